"""Starts `server.py serve` in its own process, as in production, so that a benchmark's client
does not take the server's CPU time."""

import asyncio
import contextlib
import os
import socket
import sys
from pathlib import Path

from aiohttp import ClientSession

ROOT = Path(__file__).parent.parent


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


async def serve(
    database_url: str, port: int, log_level: str = "WARNING", **settings: str
) -> asyncio.subprocess.Process:
    """The server on loopback, once it answers `/readyz`; the caller terminates it. `settings`
    are more of the server's environment."""
    env = {
        **os.environ,
        "DATABASE_URL": database_url,
        "PORT": str(port),
        "LOG_LEVEL": log_level,
        "DISPATCHER_IN_SERVER": "false",
        "MIGRATE_ON_START": "false",
        **settings,
    }
    server = await asyncio.create_subprocess_exec(
        sys.executable, str(ROOT / "server.py"), "serve", env=env, cwd=ROOT
    )
    async with ClientSession() as session:
        for _ in range(300):  # 30 s: a loaded machine imports slowly
            with contextlib.suppress(OSError):
                async with session.get(f"http://127.0.0.1:{port}/readyz") as ready:
                    if ready.status == 200:
                        return server
            await asyncio.sleep(0.1)
    server.kill()
    await server.wait()
    raise RuntimeError("the server did not start")


async def stop(server: asyncio.subprocess.Process) -> None:
    server.terminate()
    await server.wait()
