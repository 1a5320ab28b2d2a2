"""The entry point for several worker processes:

gunicorn 'issuetracker.gunicorn_app:app' -k aiohttp.GunicornWebWorker -w 4
"""

from aiohttp import web

from .logs import configure_logging
from .server import create_app
from .settings import Settings


async def app() -> web.Application:
    settings = Settings()
    configure_logging(settings.log_level)
    return create_app(settings)
