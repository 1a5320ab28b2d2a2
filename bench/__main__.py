"""Measures the hot GraphQL read: the newest open issues with their categories and companies.

    python -m bench [--issues 5000] [--seconds 10] [--concurrency 8]

Uses BENCH_DATABASE_URL (default: a temporary SQLite file). Prints requests per second,
latency percentiles and SQL statements per request. Bounded in time; talks to loopback only.
"""

import argparse
import asyncio
import contextlib
import os
import statistics
import sys
import tempfile
import time
import uuid
from pathlib import Path

from aiohttp import ClientSession
from tortoise import connections

from issuetracker import db
from issuetracker.models import (
    Category,
    Company,
    Issue,
    IssueCategory,
    IssueStatus,
    Severity,
)

ROOT = Path(__file__).parent.parent
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


async def serve(database_url: str, port: int) -> asyncio.subprocess.Process:
    """The server runs in its own process, as in production, so the load generator here does
    not take its CPU time."""
    env = {
        **os.environ,
        "DATABASE_URL": database_url,
        "PORT": str(port),
        "LOG_LEVEL": "WARNING",
        "DISPATCHER_IN_SERVER": "false",
        "MIGRATE_ON_START": "false",
    }
    server = await asyncio.create_subprocess_exec(
        sys.executable, str(ROOT / "server.py"), "serve", env=env, cwd=ROOT
    )
    async with ClientSession() as session:
        for _ in range(100):
            with contextlib.suppress(OSError):
                async with session.get(f"http://127.0.0.1:{port}/readyz") as ready:
                    if ready.status == 200:
                        return server
            await asyncio.sleep(0.1)
    server.kill()
    raise RuntimeError("the server did not start")


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
    server = await serve(database_url, args.port)
    url = f"http://127.0.0.1:{args.port}/graphql"
    try:
        await hammer(url, 1.0, args.concurrency)  # warm up caches and the pool
        latencies = await hammer(url, args.seconds, args.concurrency)
    finally:
        server.terminate()
        await server.wait()
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
    parser.add_argument("--port", type=int, default=8099)
    asyncio.run(main(parser.parse_args()))
