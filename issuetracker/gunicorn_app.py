"""The entry point for several worker processes:

gunicorn 'issuetracker.gunicorn_app:app' -k aiohttp.GunicornWebWorker -w 4 --graceful-timeout 35

The worker runs the runner this returns, so a stop drains as `serve` does (see serving.py): give
gunicorn's `--graceful-timeout` a few seconds more than SHUTDOWN_DRAIN_SECONDS.
"""

from .logs import configure_logging
from .server import create_app
from .serving import DrainingRunner
from .settings import Settings


async def app() -> DrainingRunner:
    settings = Settings()
    configure_logging(settings.log_level)
    return DrainingRunner(create_app(settings), settings.shutdown_drain_seconds, access_log=None)
