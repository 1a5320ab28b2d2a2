"""Measures the hot GraphQL read: the newest open issues with their categories and companies.

    python -m bench [--issues 5000] [--seconds 10] [--concurrency 8]

Uses BENCH_DATABASE_URL (default: a temporary SQLite file). Prints requests per second and
latency percentiles. Bounded in time; talks to loopback only. `python -m bench.scale` measures
single-client latency at two data sizes instead.
"""

import argparse
import asyncio
import os
import statistics
import tempfile
import time
import uuid

from aiohttp import ClientSession
from tortoise import connections

from bench.server import free_port, serve, stop
from issuetracker import db
from issuetracker.models import (
    Category,
    Company,
    Issue,
    IssueCategory,
    IssueStatus,
    Severity,
)

QUERY = """
{ issues(first: 50, filter: {status: OPEN}) {
    edges { node { id name severity createdAt
      categories { nodes { name company { name } } } } } } }
"""


async def seed(issue_count: int) -> None:
    companies = [await Company.create(name=f"Company {n}") for n in range(10)]
    categories = [
        await Category.create(company=company, name=f"Category {n}")
        for company in companies
        for n in range(5)
    ]
    severities = list(Severity)
    batch = [
        Issue(
            guid=uuid.uuid4(),
            name=f"Issue {n}",
            description="Seeded for the benchmark.",
            severity=severities[n % 3],
            status=IssueStatus.OPEN if n % 4 else IssueStatus.CLOSED,
        )
        for n in range(issue_count)
    ]
    await Issue.bulk_create(batch, batch_size=1000)
    ids = await Issue.all().values_list("id", flat=True)
    links = [
        IssueCategory(issue_id=issue_id, category_id=categories[i % len(categories)].id)
        for i, issue_id in enumerate(ids)
    ]
    await IssueCategory.bulk_create(links, batch_size=1000)
    # Fresh statistics, as autovacuum would have them on a live database: without them the
    # planner guesses one open issue and sorts thousands.
    await connections.get("default").execute_script("ANALYZE")


async def hammer(url: str, seconds: float, concurrency: int) -> list[float]:
    latencies: list[float] = []
    deadline = time.perf_counter() + seconds
    async with ClientSession() as session:

        async def worker() -> None:
            while time.perf_counter() < deadline:
                started = time.perf_counter()
                async with session.post(url, json={"query": QUERY}) as response:
                    body = await response.json()
                    assert "errors" not in body, body
                latencies.append(time.perf_counter() - started)

        await asyncio.gather(*(worker() for _ in range(concurrency)))
    return latencies


async def main(args: argparse.Namespace) -> None:
    database_url = os.environ.get("BENCH_DATABASE_URL") or (
        f"sqlite://{tempfile.mkdtemp()}/bench.sqlite3"
    )
    await db.apply_migrations(database_url)
    await db.open_database(database_url)
    try:
        if not await Issue.exists():
            await seed(args.issues)
    finally:
        await db.close_database()
    port = args.port or free_port()
    server = await serve(database_url, port)
    url = f"http://127.0.0.1:{port}/graphql"
    try:
        await hammer(url, 1.0, args.concurrency)  # warm up caches and the pool
        latencies = await hammer(url, args.seconds, args.concurrency)
    finally:
        await stop(server)
    latencies.sort()
    print(f"database:       {database_url.split('@')[-1]}")
    print(f"issues:         {args.issues} seeded, 50 per request")
    print(f"requests/s:     {len(latencies) / args.seconds:.1f}")
    print(f"latency p50:    {statistics.median(latencies) * 1000:.1f} ms")
    print(f"latency p95:    {latencies[int(len(latencies) * 0.95)] * 1000:.1f} ms")


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--issues", type=int, default=5000)
    parser.add_argument("--seconds", type=float, default=10.0)
    parser.add_argument("--concurrency", type=int, default=8)
    parser.add_argument("--port", type=int, default=0, help="default: a free one")
    asyncio.run(main(parser.parse_args()))
