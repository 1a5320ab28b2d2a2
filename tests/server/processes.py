"""Starting `server.py` as a process of its own, and waiting for it to answer."""

import asyncio
import contextlib
import sys
from collections.abc import AsyncIterator
from pathlib import Path

import aiohttp

ROOT = Path(__file__).parent.parent.parent


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
