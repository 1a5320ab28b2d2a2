"""Checking the signed link a page was reached through."""

import aiohttp_jinja2
from aiohttp import web

from ..notifications.signing import LinkState, check_link
from ..web import SCOPE


def refused_link(request: web.Request) -> web.Response | None:
    """The page to answer instead when the link is expired (410) or altered (403); None when
    it is valid."""
    state = check_link(
        request[SCOPE].policy.secret_key,
        request.path,
        request.query.get("expires"),
        request.query.get("signature"),
        request[SCOPE].now,
    )
    if state is LinkState.VALID:
        return None
    expired = state is LinkState.EXPIRED
    return aiohttp_jinja2.render_template(
        "pages/link_error.html", request, {"expired": expired}, status=410 if expired else 403
    )
