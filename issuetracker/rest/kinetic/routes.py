"""The URL map of the Kinetic dialect."""

from aiohttp import web

from ...web import Face
from .responses import render_error, render_http_error

PREFIX = "/api/v1"
FACE = Face(PREFIX, render_error, render_http_error)


def add_routes(router: web.UrlDispatcher) -> None:
    """Filled in by the Kinetic handlers."""
