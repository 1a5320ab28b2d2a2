"""What each gunicorn worker serves; `gunicorn_conf.py` names it, with the rest of gunicorn's
settings. The worker runs the runner this returns, so a stop drains as `serve` does (see
serving.py)."""

from .logs import configure_logging
from .server import create_app
from .serving import DrainingRunner
from .settings import Settings


async def app() -> DrainingRunner:
    settings = Settings()
    configure_logging(settings.log_level)
    return DrainingRunner(create_app(settings), settings.shutdown_drain_seconds, access_log=None)
