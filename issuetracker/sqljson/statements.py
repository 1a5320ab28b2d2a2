"""Running a statement that returns one JSON text, on the ORM's connection pool."""

import re
from collections.abc import Sequence
from typing import TypeVar

from tortoise import connections
from tortoise.log import db_client_logger

from . import sqlite_functions
from .dialects import POSTGRES, SQLITE, Dialect

T = TypeVar("T")


_PARAMETER = re.compile(r"(\$|\?)(\d+)")


def used_parameters(sql: str, values: Sequence[T]) -> tuple[str, list[T]]:
    """The statement with only the parameters its SQL names, numbered from 1, and their values
    (or whatever stands for them): a statement may be given a value it then does not use (the
    viewer, for a lookup anyone may make), and neither database takes one it was not asked for.
    (Parameter signs appear in no literal the builders write: keys are GraphQL names.)"""
    numbers: dict[int, int] = {}

    def renumber(match: re.Match[str]) -> str:
        old = int(match[2])
        new = numbers.setdefault(old, len(numbers) + 1)
        return f"{match[1]}{new}"

    compacted = _PARAMETER.sub(renumber, sql)
    order = sorted(numbers, key=numbers.__getitem__)
    return compacted, [values[old - 1] for old in order]


def current_dialect() -> Dialect:
    client = connections.get("default")
    return POSTGRES if client.capabilities.dialect == "postgres" else SQLITE


async def fetch_row(sql: str, params: Sequence[object]) -> tuple[object, ...] | None:
    """The first row, logged like the ORM's own statements."""
    client = connections.get("default")
    if db_client_logger.isEnabledFor(10):
        db_client_logger.debug("%s: %s", sql, params)
    async with client.acquire_connection() as connection:
        if client.capabilities.dialect == "postgres":
            row = await connection.fetchrow(sql, *params)
        else:
            await sqlite_functions.prepare(connection)
            cursor = await connection.execute(sql, params)
            row = await cursor.fetchone()
            await cursor.close()
    return None if row is None else tuple(row)


async def fetch_each(sql: str, params: Sequence[Sequence[object]]) -> list[tuple[object, ...]]:
    """PostgreSQL: the statement run once for each parameter list, pipelined in one round trip
    and one implicit transaction (asyncpg's `fetchmany`), the rows of all in order."""
    client = connections.get("default")
    if db_client_logger.isEnabledFor(10):
        db_client_logger.debug("%s: %s", sql, params)
    async with client.acquire_connection() as connection:
        rows = await connection.fetchmany(sql, params)
    return [tuple(row) for row in rows]


async def fetch_text(sql: str, params: Sequence[object]) -> str | None:
    """The first column of the first row, as text; None when there is no row or it is NULL."""
    row = await fetch_row(sql, params)
    return None if row is None or row[0] is None else str(row[0])
