"""The long-running processes run on uvloop's event loop (`event_loop.py`); gunicorn's workers
too."""

import asyncio

import uvloop

from issuetracker import event_loop


def test_serve_and_worker_run_on_uvloop() -> None:
    async def running_loop() -> type:
        return type(asyncio.get_running_loop())

    assert event_loop.run(running_loop()) is uvloop.Loop


def test_gunicorn_s_workers_run_on_uvloop() -> None:
    assert event_loop.GUNICORN_WORKER == "aiohttp.GunicornUVLoopWebWorker"
