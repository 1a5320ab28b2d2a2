"""Databases of their own, for tests that migrate or share a database with other processes."""

import uuid
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path

import asyncpg

from .conftest import TEST_DATABASE_URL


@asynccontextmanager
async def empty_database_url(tmp_path: Path, label: str) -> AsyncIterator[str]:
    """An empty SQLite file, or a new PostgreSQL database (dropped afterwards) when the suite
    runs on PostgreSQL."""
    if not TEST_DATABASE_URL.startswith("postgres"):
        yield f"sqlite://{tmp_path}/{label}.sqlite3"
        return
    server, _, _ = TEST_DATABASE_URL.replace("{}", "").rstrip("/_").rpartition("/")
    name = f"issuetracker_{label}_{uuid.uuid4().hex}"
    admin = await asyncpg.connect(server.replace("postgres://", "postgresql://") + "/postgres")
    await admin.execute(f'CREATE DATABASE "{name}"')
    try:
        yield f"{server}/{name}"
    finally:
        await admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        await admin.close()
