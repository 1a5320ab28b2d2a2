"""Joining an issue through the signed link of an invitation e-mail: the GET shows a button,
the POST joins."""

from aiohttp import web

from ..notifications.page_paths import INVITATION_PAGE
from ..resolvers.issues.participants import (
    InvitationOutcome,
    accept_invitation,
    invitation_of_link,
)
from ..web import SCOPE
from .refused_links import refused_link
from .rendering import render_page

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
    """The button, under what it joins; or, when the invitation is gone, just that."""
    invitation_id = _invitation_id(request)
    if refusal := refused_link(request):
        return refusal
    invitation = await invitation_of_link(invitation_id)
    if invitation is None:
        message = RESULTS[InvitationOutcome.GONE]
        return render_page(request, "pages/result.html", {"title": TITLE, "message": message})
    context = {"title": TITLE, "action_url": str(request.rel_url), "invitation": invitation}
    return render_page(request, "pages/invitation.html", context)


async def accept(request: web.Request) -> web.Response:
    invitation_id = _invitation_id(request)
    if refusal := refused_link(request):
        return refusal
    outcome = await accept_invitation(request[SCOPE], invitation_id)
    return render_page(request, "pages/result.html", {"title": TITLE, "message": RESULTS[outcome]})


def add_routes(router: web.UrlDispatcher) -> None:
    router.add_get(INVITATION_PAGE, show, allow_head=False)
    router.add_post(INVITATION_PAGE, accept)
