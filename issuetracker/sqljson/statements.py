"""Running a statement that returns one JSON text, on the ORM's connection pool."""

from collections.abc import Sequence

from tortoise import connections
from tortoise.log import db_client_logger

from . import sqlite_functions
from .dialects import POSTGRES, SQLITE, Dialect


def current_dialect() -> Dialect:
    client = connections.get("default")
    return POSTGRES if client.capabilities.dialect == "postgres" else SQLITE


async def fetch_text(sql: str, params: Sequence[object]) -> str | None:
    """The first column of the first row, as text; None when there is no row or it is NULL.
    Logged like the ORM's own statements, so counting statements counts these too."""
    client = connections.get("default")
    if db_client_logger.isEnabledFor(10):
        db_client_logger.debug("%s: %s", sql, params)
    async with client.acquire_connection() as connection:
        if client.capabilities.dialect == "postgres":
            value = await connection.fetchval(sql, *params)
        else:
            await sqlite_functions.prepare(connection)
            cursor = await connection.execute(sql, params)
            row = await cursor.fetchone()
            await cursor.close()
            value = row[0] if row else None
    return None if value is None else str(value)
