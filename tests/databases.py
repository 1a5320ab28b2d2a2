"""Databases of their own, for tests that migrate or share a database with other processes."""

import asyncio
import os
import uuid
import warnings
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from graphlib import TopologicalSorter
from pathlib import Path

import asyncpg
from tortoise.backends.base.config_generator import generate_config
from tortoise.context import TortoiseContext, tortoise_test_context
from tortoise.warnings import TortoiseLoopSwitchWarning

from issuetracker.db import MODEL_MODULES

TEST_DATABASE_URL = os.environ.get("TEST_DATABASE_URL", "sqlite://:memory:")


def _server_and_name(url: str) -> tuple[str, str]:
    server, _, name = url.rpartition("/")
    return server.replace("postgres://", "postgresql://"), name


async def _administer(url: str, statement: str) -> None:
    server, _ = _server_and_name(url)
    admin = await asyncpg.connect(server + "/postgres")
    try:
        await admin.execute(statement)
    finally:
        await admin.close()


async def drop_database(url: str) -> None:
    """Tortoise's test context creates a database but never drops it."""
    _, name = _server_and_name(url)
    await _administer(url, f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


TABLES = "SELECT tablename AS name FROM pg_tables WHERE schemaname = 'public'"
REFERENCES = """
SELECT child.relname AS child, parent.relname AS parent
FROM pg_constraint AS reference
JOIN pg_class AS child ON child.oid = reference.conrelid
JOIN pg_class AS parent ON parent.oid = reference.confrelid
WHERE reference.contype = 'f'
"""
SEQUENCES = "SELECT sequencename AS name FROM pg_sequences WHERE schemaname = 'public'"


class TestDatabase:
    """Where a test's data lives. In-memory SQLite: a new database per test, which costs
    nothing. PostgreSQL: one database per run (`{}` in the URL is replaced by a random name),
    its schema made once by Tortoise's test context and dropped at the end; each test starts
    from empty tables and restarted sequences. Making a database and its schema costs about
    0.35 s a test there; connecting and emptying one, about 0.05 s."""

    def __init__(self, url: str) -> None:
        self.url = url
        self._emptying = ""

    @classmethod
    def made(cls, url: str) -> "TestDatabase":
        """Run outside any event loop."""
        if not url.startswith("postgres"):
            return cls(url)
        if "{}" not in url:
            url = url.rstrip("/") + "_{}"
        # One database for each process of the run: pytest-xdist's workers each make their own.
        worker = os.environ.get("PYTEST_XDIST_WORKER", "main")
        database = cls(url.replace("{}", f"{worker}_{uuid.uuid4().hex}"))
        asyncio.run(database._make_schema())
        return database

    async def _make_schema(self) -> None:
        async with tortoise_test_context(MODEL_MODULES, db_url=self.url):
            pass
        server, name = _server_and_name(self.url)
        connection = await asyncpg.connect(f"{server}/{name}")
        try:
            tables = await connection.fetch(TABLES)
            references = await connection.fetch(REFERENCES)
            sequences = await connection.fetch(SEQUENCES)
        finally:
            await connection.close()
        # A table is emptied before the tables it refers to, so no foreign key is broken.
        referring: dict[str, set[str]] = {row["name"]: set() for row in tables}
        for row in references:
            if row["child"] != row["parent"]:
                referring[row["parent"]].add(row["child"])
        in_order = TopologicalSorter(referring).static_order()
        deletes = [f'DELETE FROM "{table}";' for table in in_order]  # noqa: S608 (catalog names)
        restarts = [f'ALTER SEQUENCE "{row["name"]}" RESTART;' for row in sequences]
        self._emptying = " ".join(deletes + restarts)

    @asynccontextmanager
    async def context(self) -> AsyncIterator[TortoiseContext]:
        """Tortoise's context for one test, over an empty database."""
        if not self.url.startswith("postgres"):
            async with tortoise_test_context(MODEL_MODULES, db_url=self.url) as context:
                yield context
            return
        with warnings.catch_warnings():
            warnings.filterwarnings("ignore", category=TortoiseLoopSwitchWarning)
            context = TortoiseContext()
            async with context:
                config = generate_config(
                    self.url, app_modules={"models": MODEL_MODULES}, testing=True
                )
                await context.init(config=config, use_tz=True, timezone="UTC")
                await context.connections.get("default").execute_script(self._emptying)
                yield context

    def drop(self) -> None:
        if self._emptying:
            asyncio.run(drop_database(self.url))


@asynccontextmanager
async def empty_database_url(tmp_path: Path, label: str) -> AsyncIterator[str]:
    """An empty SQLite file, or a new PostgreSQL database (dropped afterwards) when the suite
    runs on PostgreSQL."""
    if not TEST_DATABASE_URL.startswith("postgres"):
        yield f"sqlite://{tmp_path}/{label}.sqlite3"
        return
    server, _, _ = TEST_DATABASE_URL.replace("{}", "").rstrip("/_").rpartition("/")
    url = f"{server}/issuetracker_{label}_{uuid.uuid4().hex}"
    _, name = _server_and_name(url)
    await _administer(url, f'CREATE DATABASE "{name}"')
    try:
        yield url
    finally:
        await drop_database(url)
