"""Checking the signed link a page was reached through."""

from aiohttp import web

from ..notifications.signing import LinkState, check_link
from ..web import SCOPE
from .rendering import render_page


def refused_link(request: web.Request, renew: str | None = None) -> web.Response | None:
    """The page to answer instead when the link is expired (410) or altered (403); None when
    it is valid. `renew` tells how to get a new link."""
    signature = request.query.get("signature")
    if signature is not None and not signature.isascii():
        signature = None  # no signature is written so: the link was altered
    state = check_link(
        request[SCOPE].policy.secret_key,
        request.path,
        request.query.get("expires"),
        signature,
        request[SCOPE].now,
    )
    if state is LinkState.VALID:
        return None
    expired = state is LinkState.EXPIRED
    return render_page(
        request,
        "pages/link_error.html",
        {"expired": expired, "renew": renew},
        status=410 if expired else 403,
    )
