"""Serving HTTP from one process or several.

With several, the parent migrates (when it should) and starts the processes, which share the
port (`SO_REUSEPORT`: the kernel spreads connections among them). The first runs the outbox
dispatcher unless `worker` processes do. A stop (SIGTERM or SIGINT) reaches every process,
each drains its requests, and the parent waits for them. A process that dies makes the whole
server stop with a message saying so, rather than serve on with fewer hands.

Draining: the process stops listening, closes its WebSockets (code 1001, "going away") and
waits, up to SHUTDOWN_DRAIN_SECONDS, until every request it had started is answered, bodies
still arriving included; answers given meanwhile close their connection. Only then does
aiohttp's own shutdown run, which stops reading request bodies at once."""

import asyncio
import contextlib
import gc
import logging
import multiprocessing
import os
import signal
import sys
import tempfile
import weakref
from collections.abc import Callable, Iterator
from multiprocessing.context import SpawnProcess
from typing import Any

from aiohttp import WSCloseCode, web

from . import db, encryption, event_loop
from .configuration import explain_failure
from .listening import announce, listen
from .logs import configure_logging
from .settings import Settings

log = logging.getLogger("issuetracker.serving")

AppFactory = Callable[[Settings], web.Application]
"""Builds the app a process serves; a module-level function, so spawned processes get it."""

GRACE_AFTER_DRAIN = 1.0
"""What aiohttp's shutdown gives requests still running when the drain period is over."""


class InFlight:
    """The requests being answered and the WebSockets open in one process, so that a stop can
    wait for the first and close the second."""

    def __init__(self) -> None:
        self.requests: set[asyncio.Task[Any]] = set()
        """The tasks answering requests: each ends once its response is written."""
        self.websockets: weakref.WeakSet[web.WebSocketResponse] = weakref.WeakSet()
        self.draining = False

    def install(self, app: web.Application) -> None:
        app[IN_FLIGHT] = self
        app.middlewares.insert(0, self._track)
        app.on_response_prepare.append(self._prepared)

    @web.middleware
    async def _track(self, request: web.Request, handler: Any) -> web.StreamResponse:
        task = asyncio.current_task()
        if task is not None and task not in self.requests:
            self.requests.add(task)
            task.add_done_callback(self.requests.discard)
        response: web.StreamResponse = await handler(request)
        return response

    async def _prepared(self, request: web.Request, response: web.StreamResponse) -> None:
        if isinstance(response, web.WebSocketResponse):
            self.websockets.add(response)
        elif self.draining:  # no further request on this connection
            response.force_close()
            response.headers["Connection"] = "close"

    async def drain(self, seconds: float) -> None:
        loop = asyncio.get_running_loop()
        deadline = loop.time() + seconds
        self.draining = True
        sockets = [socket for socket in list(self.websockets) if not socket.closed]
        log.info(
            "stopping: answering the requests in flight",
            extra={"requests": len(self.requests) - len(sockets), "websockets": len(sockets)},
        )
        closing = [
            asyncio.ensure_future(socket.close(code=WSCloseCode.GOING_AWAY, message=b"stopping"))
            for socket in sockets
        ]
        while self.requests and (left := deadline - loop.time()) > 0:
            await asyncio.wait(set(self.requests), timeout=left)
        for close in closing:
            close.cancel()
        if self.requests:
            log.warning(
                "the drain period is over: cutting off the requests still running",
                extra={"requests": len(self.requests)},
            )


IN_FLIGHT = web.AppKey("in_flight", InFlight)


class DrainingRunner(web.AppRunner):
    """An AppRunner whose cleanup drains first (see above); also what gunicorn's aiohttp worker
    runs, see `gunicorn_app.py`."""

    def __init__(self, app: web.Application, drain_seconds: float, **kwargs: Any) -> None:
        super().__init__(app, shutdown_timeout=GRACE_AFTER_DRAIN, **kwargs)
        self.drain_seconds = drain_seconds

    async def cleanup(self) -> None:
        for site in list(self.sites):
            await site.stop()  # no new connections
        in_flight = self.app.get(IN_FLIGHT)
        if in_flight is not None:
            await in_flight.drain(self.drain_seconds)
        await super().cleanup()


def worker_count(asked: int) -> int:
    """0 means one process per core."""
    return asked if asked > 0 else os.cpu_count() or 1


def serve(settings: Settings, workers: int, make_app: AppFactory) -> int:
    count = worker_count(workers)
    if count == 1:
        _serve_here(settings, make_app, reuse_port=False)
        return 0
    if settings.should_migrate_on_start:
        encryption.install_for(settings)
        asyncio.run(db.apply_migrations(settings.database_url))
    with _shared_metrics():
        return _supervise(settings, count, make_app)


@contextlib.contextmanager
def _shared_metrics() -> Iterator[None]:
    """A folder where every process keeps its metrics, so `/metrics` of any one reports all
    of them (prometheus-client's multiprocess mode), unless one is given."""
    if "PROMETHEUS_MULTIPROC_DIR" in os.environ:
        yield
        return
    with tempfile.TemporaryDirectory(prefix="issuetracker-metrics-") as folder:
        os.environ["PROMETHEUS_MULTIPROC_DIR"] = folder
        try:
            yield
        finally:
            del os.environ["PROMETHEUS_MULTIPROC_DIR"]


def _serve_here(settings: Settings, make_app: AppFactory, *, reuse_port: bool) -> None:
    app = make_app(settings)
    gc.freeze()  # what start-up built lives as long as the process: the collector skips it
    event_loop.run(_serve_until_stopped(app, settings, reuse_port=reuse_port))


async def _serve_until_stopped(
    app: web.Application, settings: Settings, *, reuse_port: bool
) -> None:
    sockets = listen(settings.host, settings.port, reuse_port=reuse_port)
    if not reuse_port:  # with several processes, the parent says it once
        announce(settings)
    runner = DrainingRunner(app, settings.shutdown_drain_seconds, access_log=None)
    try:
        await runner.setup()
        for bound in sockets:
            await web.SockSite(runner, bound).start()
        stop = asyncio.Event()
        loop = asyncio.get_running_loop()
        for signal_number in (signal.SIGTERM, signal.SIGINT):
            loop.add_signal_handler(signal_number, stop.set)
        await stop.wait()
    finally:
        await runner.cleanup()
        for bound in sockets:
            bound.close()  # those of sites never started, when starting failed


def _child(settings: Settings, number: int, make_app: AppFactory) -> None:
    configure_logging(settings.log_level)
    changes: dict[str, object] = {"migrate_on_start": False}
    if number > 0:
        changes["dispatcher_in_server"] = False  # one dispatcher is enough for a machine
    try:
        _serve_here(settings.model_copy(update=changes), make_app, reuse_port=True)
    except Exception as failure:
        lines = explain_failure(failure, settings)
        if lines is None:
            raise
        print("\n".join(lines), file=sys.stderr)
        sys.exit(1)


def _supervise(settings: Settings, count: int, make_app: AppFactory) -> int:
    context = multiprocessing.get_context("spawn")
    children: list[SpawnProcess] = []
    for number in range(count):
        child = context.Process(
            target=_child, args=(settings, number, make_app), name=f"http-{number}"
        )
        child.start()
        children.append(child)
    announce(settings, processes=count)
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
