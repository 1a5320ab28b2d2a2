"""Live subscriptions at scale: N anonymous subscribers of one public issue on one server
process, one event at a time fanned out to all of them. Prints the delivery latency (from
the mutation's request to each subscriber's message, p50 and p99 over every delivery) and the
server's memory per idle subscription.

    python -m bench.subscriptions                      # 1,000 subscribers, SQLite
    LIVE_BENCH_DATABASE_URL=postgres://postgres@127.0.0.1:5432/it_live python -m bench.subscriptions
"""

import argparse
import asyncio
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

import aiohttp

from .server import ROOT, free_port, serve, stop

EVENTS = """subscription ($id: ID!) { issueEvents(issueId: $id) { id description } }"""
COMPANY = 'mutation { createCompany(input: {name: "Bench"}) { company { id } } }'
CATEGORY = """mutation ($c: ID!) {
  createCategory(input: {companyId: $c, name: "Live"}) { category { id } }
}"""
ISSUE = """mutation ($c: ID!) {
  createIssue(input: {name: "Watched", description: "-", categoryIds: [$c]}) { issue { id } }
}"""
NOTE = """mutation ($i: ID!, $d: String!) {
  addIssueEvent(input: {issueId: $i, description: $d}) { event { id } }
}"""


class Deliveries:
    """When each subscriber heard each round, and a wake-up once all have heard one."""

    def __init__(self, subscribers: int) -> None:
        self.subscribers = subscribers
        self.times: list[list[float]] = []
        self.complete = asyncio.Event()

    def heard(self, round_number: int) -> None:
        while len(self.times) <= round_number:
            self.times.append([])
        self.times[round_number].append(time.perf_counter())
        if len(self.times[round_number]) == self.subscribers:
            self.complete.set()


async def command(database_url: str, *args: str) -> str:
    env = {**os.environ, "DATABASE_URL": database_url, "LOG_LEVEL": "WARNING"}
    process = await asyncio.create_subprocess_exec(
        sys.executable,
        str(ROOT / "server.py"),
        *args,
        env=env,
        cwd=ROOT,
        stdout=asyncio.subprocess.PIPE,
    )
    out, _ = await process.communicate()
    assert process.returncode == 0, out
    lines = out.decode().strip().splitlines()
    return lines[-1] if lines else ""


async def graphql(
    session: aiohttp.ClientSession, url: str, token: str, query: str, **variables: object
) -> dict[str, Any]:
    headers = {"Authorization": f"Bearer {token}"}
    async with session.post(
        url, json={"query": query, "variables": variables}, headers=headers
    ) as answer:
        body = await answer.json()
    assert "errors" not in body, body
    data: dict[str, Any] = body["data"]
    return data


async def a_public_issue(session: aiohttp.ClientSession, url: str, token: str) -> str:
    company = await graphql(
        session, url, token, 'mutation { createCompany(input: {name: "Bench"}) { company { id } } }'
    )
    company_id = company["createCompany"]["company"]["id"]
    category = await graphql(
        session,
        url,
        token,
        CATEGORY,
        c=company_id,
    )
    category_id = category["createCategory"]["category"]["id"]
    issue = await graphql(
        session,
        url,
        token,
        ISSUE,
        c=category_id,
    )
    return str(issue["createIssue"]["issue"]["id"])


def resident_kib(pid: int) -> int:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1])
    return 0


async def subscriber(
    session: aiohttp.ClientSession,
    url: str,
    issue_id: str,
    ready: "asyncio.Queue[None]",
    deliveries: Deliveries,
    rounds: int,
) -> None:
    async with session.ws_connect(url, protocols=["graphql-transport-ws"]) as socket:
        await socket.send_json({"type": "connection_init", "payload": {}})
        assert (await socket.receive_json())["type"] == "connection_ack"
        payload = {"query": EVENTS, "variables": {"id": issue_id}}
        await socket.send_json({"id": "1", "type": "subscribe", "payload": payload})
        await ready.put(None)
        for number in range(rounds):
            message = await socket.receive_json()
            assert message["type"] == "next", message
            deliveries.heard(number)


async def run(subscribers: int, rounds: int, database_url: str) -> None:
    await command(database_url, "migrate")
    token = await command(
        database_url, "create-user", "--email", "bench@example.com", "--name", "Bench"
    )
    port = free_port()
    # every subscriber is anonymous, from this one address
    server = await serve(database_url, port, LIVE_CONNECTIONS_PER_ADDRESS=str(subscribers))
    url = f"http://127.0.0.1:{port}/graphql"
    deliveries = Deliveries(subscribers)
    latencies: list[float] = []
    try:
        async with aiohttp.ClientSession(connector=aiohttp.TCPConnector(limit=0)) as session:
            issue_id = await a_public_issue(session, url, token)
            before = resident_kib(server.pid)
            ready: asyncio.Queue[None] = asyncio.Queue()
            tasks = [
                asyncio.create_task(subscriber(session, url, issue_id, ready, deliveries, rounds))
                for _ in range(subscribers)
            ]
            for _ in range(subscribers):
                await ready.get()
            await asyncio.sleep(3)  # every subscription listening, memory settled
            after = resident_kib(server.pid)
            for number in range(rounds):
                deliveries.complete.clear()
                sent = time.perf_counter()
                await graphql(session, url, token, NOTE, i=issue_id, d=f"Round {number}")
                await deliveries.complete.wait()
                latencies += [(heard - sent) * 1000 for heard in deliveries.times[number]]
                await asyncio.sleep(0.5)
            await asyncio.gather(*tasks)
    finally:
        await stop(server)
    report(subscribers, rounds, latencies, before, after)


def report(subscribers: int, rounds: int, latencies: list[float], before: int, after: int) -> None:
    quantiles = statistics.quantiles(latencies, n=100)
    print(f"{subscribers} subscribers, {rounds} events, {len(latencies)} deliveries")
    print(f"delivery latency: p50 {quantiles[49]:.1f} ms, p99 {quantiles[98]:.1f} ms")
    print(f"server memory: {before / 1024:.1f} MiB idle, {after / 1024:.1f} MiB subscribed")
    print(f"memory per idle subscription: {(after - before) / subscribers:.1f} KiB")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--subscribers", type=int, default=1000)
    parser.add_argument("--rounds", type=int, default=5)
    options = parser.parse_args()
    database_url = os.environ.get("LIVE_BENCH_DATABASE_URL")
    with tempfile.TemporaryDirectory() as folder:
        asyncio.run(
            run(
                options.subscribers,
                options.rounds,
                database_url or f"sqlite://{folder}/live.sqlite3",
            )
        )


if __name__ == "__main__":
    main()
