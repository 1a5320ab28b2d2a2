"""gunicorn's settings for this server, read from the same environment as `serve`:

    gunicorn -c python:issuetracker.gunicorn_conf -w 4

It binds HOST:PORT and runs `gunicorn_app.py` in aiohttp's worker; migrates once, in the
arbiter, before any worker starts (MIGRATE_ON_START); gives a stop the drain period and a few
seconds more; writes gunicorn's own lines as JSON, like ours; and keeps every worker's metrics
in one folder (prometheus-client's multiprocess mode), so `/metrics` of any worker reports all
of them. Options on the command line (`-w`, `-b`, ...) win over these."""

import asyncio
import os
import shutil
import sys
import tempfile
from typing import Any

from .configuration import ConfigurationError, read_settings
from .event_loop import GUNICORN_WORKER

try:
    _settings = read_settings()
except ConfigurationError as refused:  # said as `server.py` says it, before any worker starts
    sys.exit("\n".join(refused.lines))

# The folder must be known before any process imports prometheus-client: workers are forked
# from the arbiter and keep the value classes it chose then.
_made_metrics_folder = "PROMETHEUS_MULTIPROC_DIR" not in os.environ
if _made_metrics_folder:
    os.environ["PROMETHEUS_MULTIPROC_DIR"] = tempfile.mkdtemp(prefix="issuetracker-metrics-")

wsgi_app = "issuetracker.gunicorn_app:app"
worker_class = GUNICORN_WORKER
bind = [f"{_settings.host}:{_settings.port}"]
graceful_timeout = int(_settings.shutdown_drain_seconds) + 5
# gunicorn's loggers hand their lines to the root logger, which writes JSON to stderr as `serve`
# does (and, in the workers, as `configure_logging` sets it again).
logconfig_dict = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"json": {"()": "issuetracker.logs.JsonFormatter"}},
    "handlers": {"stderr": {"class": "logging.StreamHandler", "formatter": "json"}},
    "root": {"level": _settings.log_level.upper(), "handlers": ["stderr"]},
    "loggers": {
        "gunicorn.error": {"propagate": True},
        "gunicorn.access": {"propagate": True},
        "tortoise": {"level": "WARNING"},  # its "shutdown" line after migrating misleads
    },
}


def on_starting(server: Any) -> None:
    if _settings.should_migrate_on_start:
        from . import db, encryption

        encryption.install_for(_settings)
        asyncio.run(db.apply_migrations(_settings.database_url))
    os.environ["MIGRATE_ON_START"] = "false"  # what the workers read: done already


def child_exit(server: Any, worker: Any) -> None:
    from prometheus_client import multiprocess

    multiprocess.mark_process_dead(worker.pid)  # type: ignore[no-untyped-call]


def on_exit(server: Any) -> None:
    if _made_metrics_folder:
        shutil.rmtree(os.environ["PROMETHEUS_MULTIPROC_DIR"], ignore_errors=True)
