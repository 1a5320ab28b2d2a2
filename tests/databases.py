"""Databases of their own, for tests that migrate or share a database with other processes."""

import asyncio
import os
import uuid
from collections.abc import AsyncIterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import asynccontextmanager
from pathlib import Path

import asyncpg

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


# Dropping a database forces a checkpoint (about 0.3 s), so tests' databases are dropped in the
# background while the next tests run; `finish_dropping` waits for the last ones.
_dropper = ThreadPoolExecutor(max_workers=2, thread_name_prefix="drop-test-database")


def drop_in_background(url: str) -> None:
    _dropper.submit(asyncio.run, drop_database(url))


def finish_dropping() -> None:
    _dropper.shutdown(wait=True)


@asynccontextmanager
async def fresh_database_url(url: str) -> AsyncIterator[str]:
    """The URL a test's database lives at: on PostgreSQL a new database (`{}` in the URL is
    replaced by a random name) that is dropped afterwards; in-memory SQLite as it is."""
    if not url.startswith("postgres"):
        yield url
        return
    if "{}" not in url:
        url = url.rstrip("/") + "_{}"
    named = url.replace("{}", uuid.uuid4().hex)
    try:
        yield named
    finally:
        drop_in_background(named)


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
