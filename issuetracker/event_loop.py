"""The event loop the long-running processes (`serve`, `worker`, gunicorn's workers) run on:
uvloop's where it is installed (a dependency on Linux and macOS), asyncio's own elsewhere. On
uvloop the server spends about a quarter fewer instructions on a request (callgrind, a note
added over GraphQL: 2.49 M -> 1.83 M): the loop, its transports and asyncpg's protocol are C."""

import asyncio
from collections.abc import Coroutine
from typing import Any, TypeVar

T = TypeVar("T")

try:
    import uvloop
except ImportError:  # pragma: no cover (Windows)
    uvloop = None  # type: ignore[assignment]

GUNICORN_WORKER = (
    "aiohttp.GunicornWebWorker" if uvloop is None else "aiohttp.GunicornUVLoopWebWorker"
)


def run(main: Coroutine[Any, Any, T]) -> T:
    if uvloop is None:  # pragma: no cover
        return asyncio.run(main)
    return uvloop.run(main)
