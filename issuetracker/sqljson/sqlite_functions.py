"""Python functions SQLite calls while it builds JSON, where SQL alone has no spelling for what
Python writes: base64 ids, and times as Python formats them. Registered on each connection
before its first JSON-building statement; more can be added by the faces (`register`)."""

import base64
from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any
from weakref import WeakSet

FUNCTIONS: dict[str, tuple[int, Callable[..., Any]]] = {}
_prepared: WeakSet[Any] = WeakSet()


def register(name: str, arity: int, function: Callable[..., Any]) -> None:
    FUNCTIONS[name] = (arity, function)


def base64_id(prefix: str, number: int | None) -> str | None:
    if number is None:
        return None
    return base64.urlsafe_b64encode(f"{prefix}:{number}".encode()).decode().rstrip("=")


def iso_datetime(stored: str | None) -> str | None:
    """A stored time as the ORM reads it (in UTC) and `isoformat()` writes it."""
    if stored is None:
        return None
    return datetime.fromisoformat(stored).astimezone(UTC).isoformat()


register("it_base64_id", 2, base64_id)
register("it_datetime", 1, iso_datetime)


async def prepare(connection: Any) -> None:
    """Registers the functions on an aiosqlite connection, once."""
    if connection in _prepared:
        return
    for name, (arity, function) in FUNCTIONS.items():
        await connection.create_function(name, arity, function, deterministic=True)
    _prepared.add(connection)
