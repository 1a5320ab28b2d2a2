"""Serving HTTP from one process or several.

With several, the parent migrates (when it should) and starts the processes, which share the
port (`SO_REUSEPORT`: the kernel spreads connections among them). The first runs the outbox
dispatcher unless `worker` processes do. A stop (SIGTERM or SIGINT) reaches every process,
each drains its requests, and the parent waits for them. A process that dies makes the whole
server stop with a message saying so, rather than serve on with fewer hands."""

import asyncio
import gc
import logging
import multiprocessing
import os
import signal
import sys
from multiprocessing.context import SpawnProcess

from aiohttp import web

from . import db
from .logs import configure_logging
from .settings import Settings

log = logging.getLogger("issuetracker.serving")

DRAIN_SECONDS = 30


def worker_count(asked: int) -> int:
    """0 means one process per core."""
    return asked if asked > 0 else os.cpu_count() or 1


def serve(settings: Settings, workers: int) -> int:
    count = worker_count(workers)
    if count == 1:
        _serve_here(settings, reuse_port=False)
        return 0
    if settings.should_migrate_on_start:
        asyncio.run(db.apply_migrations(settings.database_url))
    return _supervise(settings, count)


def _serve_here(settings: Settings, *, reuse_port: bool) -> None:
    from .server import create_app

    app = create_app(settings)
    gc.freeze()  # what start-up built lives as long as the process: the collector skips it
    web.run_app(
        app,
        host=settings.host,
        port=settings.port,
        access_log=None,
        shutdown_timeout=DRAIN_SECONDS,
        reuse_port=reuse_port,
        print=None,
    )


def _child(settings: Settings, number: int) -> None:
    configure_logging(settings.log_level)
    changes: dict[str, object] = {"migrate_on_start": False}
    if number > 0:
        changes["dispatcher_in_server"] = False  # one dispatcher is enough for a machine
    _serve_here(settings.model_copy(update=changes), reuse_port=True)


def _supervise(settings: Settings, count: int) -> int:
    context = multiprocessing.get_context("spawn")
    children: list[SpawnProcess] = []
    for number in range(count):
        child = context.Process(target=_child, args=(settings, number), name=f"http-{number}")
        child.start()
        children.append(child)
    log.info("serving with %d processes", count, extra={"port": settings.port})
    stopping = False

    def stop(signal_number: int, frame: object) -> None:
        nonlocal stopping
        stopping = True
        for child in children:
            if child.is_alive() and child.pid is not None:
                os.kill(child.pid, signal.SIGTERM)

    signal.signal(signal.SIGTERM, stop)
    signal.signal(signal.SIGINT, stop)
    status = 0
    while any(child.is_alive() for child in children):
        for child in children:
            child.join(timeout=0.5)
            if not child.is_alive() and not stopping and child.exitcode not in (0, None):
                log.error(
                    "a server process stopped (exit code %s): stopping the others",
                    child.exitcode,
                    extra={"process": child.name},
                )
                status = 1
                stop(signal.SIGTERM, None)
    sys.stdout.flush()
    return status
