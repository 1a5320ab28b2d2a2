"""The databases of `python -m bench.scale`: the shape of ../shared/bench/seed_project.sql (20
public companies, 200 categories, issues 30% closed in 1-3 categories each, 3 events an issue) at
any number of issues, generated in SQL, after the project's own migrations.

One user, who signs in for the Kinetic list, owns `OWN_ISSUES` issues spread over the table at
every size: a person's issues do not grow with the tracker.
"""

import asyncio
import os
import sys

import asyncpg

from bench.server import ROOT

POSTGRES = os.environ.get("BENCH_POSTGRES_URL", "postgres://postgres@127.0.0.1:5432")
PREFIX = os.environ.get("BENCH_SCALE_PREFIX", "it_scale")
"""The databases' names start with this (one's own, on a shared server)."""
EMAIL = "scale@example.com"
PASSWORD = "scale benchmark password"  # noqa: S105 (a benchmark database's user)
OWN_ISSUES = 100

# {issues}: how many; {owner}: the benchmark's user id; {share}: one issue in {share} is theirs.
SEED = [
    "INSERT INTO companies (name, is_public, created_at, updated_at)"
    " SELECT 'Company ' || g, true, now(), now() FROM generate_series(1, 20) g",
    "INSERT INTO categories (name, company_id, created_at, updated_at)"
    " SELECT 'Category ' || g, 1 + (g - 1) % 20, now(), now() FROM generate_series(1, 200) g",
    "INSERT INTO issues (guid, name, description, severity, status, closed_at, created_at,"
    " updated_at, owner_id) SELECT md5('issue' || g)::uuid, 'Issue ' || g,"
    " 'Description of issue ' || g, (ARRAY['critical','important','info'])[1 + g % 3],"
    " CASE WHEN g % 10 < 3 THEN 'closed' ELSE 'open' END,"
    " CASE WHEN g % 10 < 3 THEN timestamptz '2024-01-01' + g * interval '1 minute' END,"
    " timestamptz '2024-01-01' + g * interval '1 minute',"
    " timestamptz '2024-01-01' + g * interval '1 minute',"
    " CASE WHEN g % {share} = 0 THEN {owner} END FROM generate_series(1, {issues}) g",
    "INSERT INTO issue_participants (issue_id, user_id, created_at)"
    " SELECT id, owner_id, created_at FROM issues WHERE owner_id IS NOT NULL",
    "INSERT INTO issue_categories (issue_id, category_id)"
    " SELECT g, 1 + (g * 7) % 200 FROM generate_series(1, {issues}) g",
    "INSERT INTO issue_categories (issue_id, category_id)"
    " SELECT g, 1 + (g * 7 + 13) % 200 FROM generate_series(1, {issues}) g WHERE g % 2 = 0",
    "INSERT INTO issue_categories (issue_id, category_id)"
    " SELECT g, 1 + (g * 7 + 101) % 200 FROM generate_series(1, {issues}) g WHERE g % 5 = 0",
    "INSERT INTO issue_events (issue_id, kind, description, created_at, updated_at)"
    " SELECT 1 + (g - 1) % {issues}, 'note', 'Event ' || g,"
    " timestamptz '2024-01-01' + g * interval '20 second',"
    " timestamptz '2024-01-01' + g * interval '20 second' FROM generate_series(1, 3 * {issues}) g",
]


def size(issues: int) -> str:
    """`50k` for 50,000."""
    return f"{issues // 1000}k" if issues % 1000 == 0 else str(issues)


def database_name(issues: int) -> str:
    return f"{PREFIX}_{size(issues)}"


async def seeded_database(issues: int) -> str:
    """The URL of the database for `issues`, migrated, and built unless it holds them all
    already (seeding 500,000 issues takes minutes)."""
    name = database_name(issues)
    url = f"{POSTGRES}/{name}"
    if await issue_count(url) == issues:
        await server_command(url, "migrate")  # those committed since it was built
        return url
    print(f"building {name} ...", file=sys.stderr)
    admin = await asyncpg.connect(f"{POSTGRES}/postgres")
    try:
        await admin.execute(f"DROP DATABASE IF EXISTS {name}")
        await admin.execute(f"CREATE DATABASE {name}")
    finally:
        await admin.close()
    await server_command(url, "migrate")
    await server_command(
        url, "create-user", "--email", EMAIL, "--name", "Scale", "--password", PASSWORD
    )
    await seed(url, issues)
    return url


async def issue_count(url: str) -> int | None:
    try:
        connection = await asyncpg.connect(url)
    except asyncpg.InvalidCatalogNameError:
        return None
    try:
        if await connection.fetchval("SELECT to_regclass('issues')") is None:
            return None
        count: int = await connection.fetchval("SELECT count(*) FROM issues")
        return count
    finally:
        await connection.close()


async def server_command(url: str, *args: str) -> None:
    env = {**os.environ, "DATABASE_URL": url, "LOG_LEVEL": "WARNING"}
    command = await asyncio.create_subprocess_exec(
        sys.executable,
        str(ROOT / "server.py"),
        *args,
        env=env,
        cwd=ROOT,
        stdout=asyncio.subprocess.DEVNULL,
    )
    if await command.wait() != 0:
        raise RuntimeError(f"`server.py {args[0]}` failed on {url}")


async def seed(url: str, issues: int) -> None:
    """All rows in one transaction, so that a database holds all of them or none."""
    connection = await asyncpg.connect(url)
    try:
        owner = await connection.fetchval("SELECT id FROM users WHERE email = $1", EMAIL)
        share = max(issues // OWN_ISSUES, 1)
        async with connection.transaction():
            for statement in SEED:
                await connection.execute(statement.format(issues=issues, owner=owner, share=share))
        # Statistics and the visibility map, as autovacuum would leave them on a live database.
        await connection.execute("VACUUM ANALYZE")
    finally:
        await connection.close()
