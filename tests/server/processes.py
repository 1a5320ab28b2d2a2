"""Waiting for a server started as a process of its own."""

import asyncio

import aiohttp


async def until_ready(port: int) -> None:
    """Returns once the server on `port` answers `/readyz` (its database too), within 30 s."""
    async with aiohttp.ClientSession() as session:
        for _ in range(300):
            try:
                async with session.get(f"http://127.0.0.1:{port}/readyz") as ready:
                    if ready.status == 200:
                        return
            except aiohttp.ClientError:
                pass
            await asyncio.sleep(0.1)
    raise AssertionError(f"the server on port {port} did not start")
