"""Search latency at 100,000 issues on PostgreSQL, one client, through the real server.

    python -m bench.search [--issues 100000] [--requests 200]

The database is `bench.scale_data`'s (`it_scale_100k`), its issues then given names and
descriptions drawn from a small vocabulary (so words repeat as in a real tracker) and their
search text, once. Prints p50 and p99 of a one-word search, a two-word search with two
qualifiers and a phrase, as a Markdown table, then EXPLAIN of the one-word search's
conditions, which must read the trigram index.
"""

import argparse
import asyncio
import sys

import asyncpg

from bench.scale import Query, client, latencies, ms, p50, p99, row
from bench.scale_data import POSTGRES, database_name

VOCABULARY = [
    "the",
    "printer",
    "paper",
    "jam",
    "network",
    "router",
    "mail",
    "server",
    "queue",
    "disk",
    "backup",
    "login",
    "password",
    "screen",
    "keyboard",
    "mouse",
    "office",
    "floor",
    "cable",
    "power",
    "outage",
    "slow",
    "fast",
    "broken",
    "fixed",
    "update",
    "install",
    "license",
    "invoice",
    "customer",
    "order",
    "shipping",
    "delay",
    "refund",
    "account",
    "access",
    "error",
    "warning",
    "crash",
    "report",
    "meeting",
    "room",
    "coffee",
    "machine",
    "heating",
    "cooling",
    "window",
    "door",
    "badge",
    "camera",
    "phone",
]

TEXTS = """
UPDATE issues SET
  name = initcap(w[1 + (id * 7) % n]) || ' ' || w[1 + (id * 13) % n] || ' ' || w[1 + (id * 31) % n],
  description = w[1 + (id * 3) % n] || ' ' || w[1 + (id * 11) % n] || ' ' || w[1 + (id * 17) % n]
    || ' ' || w[1 + (id * 19) % n] || ' ' || w[1 + (id * 23) % n] || ' ' || w[1 + (id * 29) % n]
FROM (SELECT $1::text[] AS w, cardinality($1::text[]) AS n) AS vocabulary
"""
SEARCH_TEXT = "UPDATE issues SET search_text = ' ' || lower(name) || ' | ' || description || ' '"
"""`search_words.search_text_of` for lower-case ASCII words without tags, in SQL."""

QUERIES = [
    Query(
        "one word",
        "/graphql",
        '{ issues(first: 10, filter: {search: "printer"}) { nodes { id name } } }',
        flat=False,
    ),
    Query(
        "two words, two qualifiers",
        "/graphql",
        '{ issues(first: 10, filter: {search: "printer jam is:open severity:critical"})'
        " { nodes { id name } } }",
        flat=False,
    ),
    Query(
        "a phrase",
        "/graphql",
        '{ issues(first: 10, filter: {search: "\\"paper jam\\""}) { nodes { id name } } }',
        flat=False,
    ),
]


async def give_texts(issues: int) -> None:
    """Varied texts for the seeded issues, once (the seed names them all alike)."""
    connection = await asyncpg.connect(f"{POSTGRES}/{database_name(issues)}")
    try:
        if await connection.fetchval("SELECT count(*) FROM issues WHERE search_text = ''") == 0:
            return
        print("giving the issues varied texts ...", file=sys.stderr)
        await connection.execute(TEXTS, VOCABULARY)
        await connection.execute(SEARCH_TEXT)
        await connection.execute("VACUUM ANALYZE issues")
    finally:
        await connection.close()


async def explain(issues: int) -> str:
    connection = await asyncpg.connect(f"{POSTGRES}/{database_name(issues)}")
    try:
        rows = await connection.fetch(
            "EXPLAIN SELECT id FROM issues WHERE search_text LIKE '% printer%'"
            " AND deleted_at IS NULL ORDER BY id DESC"
        )
        return "\n".join(row[0] for row in rows)
    finally:
        await connection.close()


async def main(args: argparse.Namespace) -> None:
    from bench.scale_data import seeded_database

    await seeded_database(args.issues)
    await give_texts(args.issues)
    async with client(args.issues) as searching:
        header = ["query", "p50", "p99", "requests"]
        lines = [row(header), row(["---"] * len(header))]
        for query in QUERIES:
            seconds = (await latencies({args.issues: searching}, query, args.requests))[args.issues]
            lines.append(row([query.name, ms(p50(seconds)), ms(p99(seconds)), str(len(seconds))]))
    print("\n".join(lines))
    print(await explain(args.issues))


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--issues", type=int, default=100_000)
    parser.add_argument("--requests", type=int, default=200)
    asyncio.run(main(parser.parse_args()))
