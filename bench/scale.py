"""Single-client latency at ten times the data: a read's cost must grow with its answer, not
with the tables.

    python -m bench.scale [--issues 50000 500000] [--requests 200]

For each of the two sizes, the PostgreSQL database `it_scale_50k` or `it_scale_500k` (built
once, see `scale_data`; `BENCH_SCALE_PREFIX` names them otherwise) and the real server over it,
in its own process. One client sends each query one request at a time: warmed up, then
`--requests` times per size (fewer when the query takes over `SECONDS_PER_QUERY`), the sizes
taking turns every `ROUND` requests so that the drifting load of a shared machine weighs on
both alike. Prints p50 and p99 at each size and the
ratio of the p50s as a Markdown table, and exits with 1 when a query that must stay flat got more
than `MAX_FLAT_RATIO` times slower.
"""

import argparse
import asyncio
import base64
import contextlib
import statistics
import sys
import time
from collections.abc import AsyncIterator
from dataclasses import dataclass

from aiohttp import ClientSession

from bench.scale_data import EMAIL, PASSWORD, seeded_database, size
from bench.server import free_port, serve, stop

WARM_UP, ROUND = 10, 10
SECONDS_PER_QUERY = 60.0
MAX_FLAT_RATIO = 2.0


@dataclass(frozen=True)
class Query:
    name: str
    path: str
    graphql: str | None = None
    """None: a GET of `path`."""
    variables: dict[str, str] | None = None
    flat: bool = True
    """Must not get slower with the size of the tables, only with the size of its answer."""
    signed_in: bool = False


QUERIES = [
    Query(
        "(a) 50 newest open issues",  # the peer benchmark's Q1
        "/graphql",
        "{ issues(first: 50, filter: {status: OPEN}) { edges { node { id name severity createdAt"
        " categories { nodes { id name company { id name } } } } } } }",
    ),
    Query("(b) ConnectNow list", "/api/issues?per_page=50&status=open&with=categories.company"),
    Query(
        "(c) categories { issues(first: 10) }",
        "/graphql",
        "{ categories(first: 20) { nodes { name issues(first: 10) { nodes { id name } } } } }",
    ),
    Query(
        "(d) search filter",
        "/graphql",
        '{ issues(first: 10, filter: {search: "4711"}) { nodes { id name } } }',
        flat=False,
    ),
    Query(
        "(e) filtered totalCount",  # exact up to COUNT_LIMIT, then estimated: flat
        "/graphql",
        "{ issues(first: 5, filter: {severity: CRITICAL, status: OPEN})"
        " { totalCount totalCountIsExact nodes { name } } }",
    ),
    Query(
        "(f) node(id:)",
        "/graphql",
        "query ($id: ID!) { node(id: $id) {"
        " ... on Issue { name events { nodes { description } } } } }",
        {"id": base64.urlsafe_b64encode(b"Issue:7").decode().rstrip("=")},
    ),
    Query("(g) Kinetic list", "/api/v1/issues?limit=50", signed_in=True),
]

LOGIN = """mutation ($email: String!, $password: String!) {
  login(input: {email: $email, password: $password}) { apiToken { secret } errors { message } } }"""


@dataclass(frozen=True)
class Client:
    session: ClientSession
    token: str


@contextlib.asynccontextmanager
async def client(issues: int) -> AsyncIterator[Client]:
    """A signed-in client of a server of its own over the database for `issues`."""
    url = await seeded_database(issues)
    port = free_port()
    server = await serve(url, port)
    try:
        async with ClientSession(f"http://127.0.0.1:{port}") as session:
            yield Client(session, await sign_in(session))
    finally:
        await stop(server)


async def sign_in(session: ClientSession) -> str:
    variables = {"email": EMAIL, "password": PASSWORD}
    async with session.post("/graphql", json={"query": LOGIN, "variables": variables}) as sent:
        body = await sent.json()
    secret: str = body["data"]["login"]["apiToken"]["secret"]
    return secret


async def latencies(
    clients: dict[int, Client], query: Query, requests: int
) -> dict[int, list[float]]:
    """Seconds per request at each size."""
    print(f"{query.name} ...", file=sys.stderr)
    for each in clients.values():
        await timed(each, query, WARM_UP)
    seconds: dict[int, list[float]] = {issues: [] for issues in clients}
    deadline = time.perf_counter() + SECONDS_PER_QUERY
    while min(map(len, seconds.values())) < requests and time.perf_counter() < deadline:
        for issues, each in clients.items():
            seconds[issues] += await timed(each, query, ROUND)
    return seconds


async def timed(to: Client, query: Query, requests: int) -> list[float]:
    headers = {"Authorization": f"Bearer {to.token}"} if query.signed_in else {}
    seconds = []
    for _ in range(requests):
        started = time.perf_counter()
        await send(to.session, query, headers)
        seconds.append(time.perf_counter() - started)
    return seconds


async def send(session: ClientSession, query: Query, headers: dict[str, str]) -> None:
    if query.graphql is None:
        request = session.get(query.path, headers=headers)
    else:
        body = {"query": query.graphql, "variables": query.variables}
        request = session.post(query.path, json=body, headers=headers)
    async with request as response:
        body = await response.json()
    assert response.status == 200, body
    assert "errors" not in body, body


Results = dict[str, dict[int, list[float]]]
"""Seconds per request, by query name, then by size."""


def table(results: Results, small: int, large: int) -> str:
    header = ["query", "flat?", f"p50 {size(small)}", f"p50 {size(large)}", "ratio"]
    header += [f"p99 {size(small)}", f"p99 {size(large)}", "requests"]
    lines = [row(header), row(["---"] * len(header))]
    for query in QUERIES:
        before, after = results[query.name][small], results[query.name][large]
        cells = [query.name, "must" if query.flat else "grows", ms(p50(before)), ms(p50(after))]
        cells += [f"{p50(after) / p50(before):.1f}x", ms(p99(before)), ms(p99(after))]
        lines.append(row([*cells, f"{len(before)}/{len(after)}"]))
    return "\n".join(lines)


def grown(results: Results, small: int, large: int) -> list[str]:
    """The queries that must stay flat but got more than MAX_FLAT_RATIO times slower."""
    return [
        query.name
        for query in QUERIES
        if query.flat
        and p50(results[query.name][large]) > MAX_FLAT_RATIO * p50(results[query.name][small])
    ]


def p50(seconds: list[float]) -> float:
    return statistics.median(seconds)


def p99(seconds: list[float]) -> float:
    return statistics.quantiles(seconds, n=100)[98]


def ms(seconds: float) -> str:
    return f"{seconds * 1000:.1f} ms"


def row(cells: list[str]) -> str:
    return "| " + " | ".join(cells) + " |"


async def main(args: argparse.Namespace) -> int:
    small, large = sorted(args.issues)
    async with client(small) as at_small, client(large) as at_large:
        clients = {small: at_small, large: at_large}
        results = {query.name: await latencies(clients, query, args.requests) for query in QUERIES}
    print(table(results, small, large))
    if failed := grown(results, small, large):
        print(f"grew more than {MAX_FLAT_RATIO:g}x: {', '.join(failed)}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--issues", type=int, nargs=2, default=[50_000, 500_000])
    parser.add_argument("--requests", type=int, default=200, help="per query and size")
    sys.exit(asyncio.run(main(parser.parse_args())))
