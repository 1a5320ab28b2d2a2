"""`server.py worker`: a dispatcher on its own, for scaling out, which stops cleanly on SIGTERM
or SIGINT. Its deliveries' counters and latencies are served at `/metrics` (with `/healthz`) on
HOST:WORKER_METRICS_PORT, under the server's rule of who may read them; a port of 0 serves
nothing, and a port already taken (a second worker on the machine) is said once in the log
while the dispatcher goes on."""

import asyncio
import logging
import signal
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from aiohttp import web

from . import db, encryption, metrics
from .clock import utcnow
from .housekeeping import housekeep
from .logs import describe_failure
from .metrics_access import MetricsAccess
from .notifications.dispatcher import Dispatcher
from .settings import Settings
from .web import json_response

log = logging.getLogger("issuetracker.worker")


async def run_worker(settings: Settings) -> int:
    encryption.install_for(settings)
    if settings.should_migrate_on_start:
        await db.apply_migrations(settings.database_url)
    await db.open_database(settings.database_url)
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for signal_number in (signal.SIGTERM, signal.SIGINT):
        loop.add_signal_handler(signal_number, stop.set)
    try:
        async with _metrics_served(settings):
            await asyncio.gather(Dispatcher(settings).run(stop), housekeep(settings, utcnow, stop))
    finally:
        await db.close_database()
    return 0


@asynccontextmanager
async def _metrics_served(settings: Settings) -> AsyncIterator[None]:
    port = settings.worker_metrics_port
    if not port:
        yield
        return
    app = web.Application()
    app.router.add_get(
        "/metrics", metrics.make_handler(MetricsAccess.from_settings(settings), utcnow)
    )
    app.router.add_get("/healthz", _healthz)
    runner = web.AppRunner(app, access_log=None, shutdown_timeout=1.0)
    await runner.setup()
    try:
        where = {"url": f"http://{settings.host}:{port}/metrics"}
        try:
            await web.TCPSite(runner, settings.host, port).start()
        except OSError as taken:
            log.warning(
                "metrics not served: the port cannot be listened on (WORKER_METRICS_PORT)",
                extra={**where, "error": describe_failure(taken)},
            )
        else:
            log.info("serving metrics", extra=where)
        yield
    finally:
        await runner.cleanup()


async def _healthz(request: web.Request) -> web.Response:
    return json_response({"status": "ok"})
