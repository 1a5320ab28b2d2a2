"""Commands run as an operator runs them: `server.py` in a process of its own, and waiting
for it to answer."""

import asyncio
import contextlib
import os
import sys
from collections.abc import AsyncIterator
from dataclasses import dataclass
from pathlib import Path

import aiohttp

ROOT = Path(__file__).parent.parent.parent
COMMAND_SECONDS = 60.0
"""Far more than any command here takes, even on a loaded machine; a command that hangs (a
setting wrongly accepted, a server starting) fails the test instead of holding up the run."""


@dataclass(frozen=True)
class Finished:
    code: int
    out: str
    err: str


async def run_command(*args: str, cwd: Path, **settings: str) -> Finished:
    """`python server.py ARGS` with these settings over the suite's environment, run in
    `cwd` (where no `.env` file is), until it exits."""
    process = await asyncio.create_subprocess_exec(
        sys.executable,
        str(ROOT / "server.py"),
        *args,
        env={**os.environ, "LOG_LEVEL": "WARNING", **settings},
        cwd=cwd,
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.PIPE,
    )
    try:
        async with asyncio.timeout(COMMAND_SECONDS):
            out, err = await process.communicate()
    finally:
        if process.returncode is None:
            process.kill()
            await process.wait()
    return Finished(process.returncode or 0, out.decode(), err.decode())


async def until_ready(port: int, path: str = "/readyz") -> None:
    """Returns once the server on `port` answers `path` with 200 (`/readyz`: its database
    answers too), within 30 s."""
    async with aiohttp.ClientSession() as session:
        for _ in range(300):
            try:
                async with session.get(f"http://127.0.0.1:{port}{path}") as ready:
                    if ready.status == 200:
                        return
            except aiohttp.ClientError:
                pass
            await asyncio.sleep(0.1)
    raise AssertionError(f"the server on port {port} did not start")


@contextlib.asynccontextmanager
async def server_process(
    env: dict[str, str], *args: str, log: Path
) -> AsyncIterator[asyncio.subprocess.Process]:
    """`python server.py *args` with `env`, its output in `log`; stopped (SIGTERM, then
    killed) when the block ends."""
    with log.open("ab") as output:
        process = await asyncio.create_subprocess_exec(
            sys.executable,
            str(ROOT / "server.py"),
            *args,
            env=env,
            cwd=ROOT,
            stdout=output,
            stderr=output,
        )
    try:
        yield process
    finally:
        if process.returncode is None:
            process.terminate()
            try:
                async with asyncio.timeout(15):
                    await process.wait()
            except TimeoutError:
                process.kill()
                await process.wait()
