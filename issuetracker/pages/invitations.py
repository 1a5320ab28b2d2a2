"""Joining an issue through the signed link of an invitation e-mail: the GET shows a button,
the POST joins."""

import aiohttp_jinja2
from aiohttp import web

from ..notifications.page_paths import INVITATION_PAGE
from ..resolvers.issues.participants import InvitationOutcome, accept_invitation
from ..web import SCOPE
from .links import refused_link

RESULTS = {
    InvitationOutcome.ACCEPTED: "You take part in the issue now.",
    InvitationOutcome.ALREADY: "This invitation was already accepted.",
    InvitationOutcome.GONE: "This invitation no longer exists.",
}
TITLE = "Join the issue"


def _invitation_id(request: web.Request) -> int:
    raw_id = request.match_info["id"]
    if not (raw_id.isascii() and raw_id.isdigit()):
        raise web.HTTPNotFound()
    return int(raw_id)


async def show(request: web.Request) -> web.Response:
    _invitation_id(request)
    if refusal := refused_link(request):
        return refusal
    return aiohttp_jinja2.render_template(
        "pages/confirm.html", request, {"title": TITLE, "action_url": str(request.rel_url)}
    )


async def accept(request: web.Request) -> web.Response:
    invitation_id = _invitation_id(request)
    if refusal := refused_link(request):
        return refusal
    outcome = await accept_invitation(request[SCOPE], invitation_id)
    return aiohttp_jinja2.render_template(
        "pages/result.html", request, {"title": TITLE, "message": RESULTS[outcome]}
    )


def add_routes(router: web.UrlDispatcher) -> None:
    router.add_get(INVITATION_PAGE, show, allow_head=False)
    router.add_post(INVITATION_PAGE, accept)
