"""Joining or declining a company through the signed links of an invitation e-mail: the GET
shows what the button does, the POST does it. The link proves the address; joining is still
the person's own act, never a side effect of opening the link."""

from collections.abc import Awaitable, Callable

from aiohttp import web

from ..notifications.page_paths import COMPANY_INVITATION_PAGE
from ..resolvers.companies.joining import (
    LinkOutcome,
    accept_by_link,
    company_invitation_of_link,
    decline_by_link,
)
from ..resolvers.core.scope import Scope
from ..web import SCOPE
from .refused_links import refused_link
from .rendering import render_page

ACTIONS: dict[str, tuple[str, Callable[[Scope, int], Awaitable[LinkOutcome]]]] = {
    "accept": ("Join the company", accept_by_link),
    "decline": ("Decline the invitation", decline_by_link),
}
GONE = "This invitation no longer stands: it was declined, withdrawn or has expired."
ACCEPTED_BEFORE = "This invitation was already accepted."
RESULTS = {
    ("accept", LinkOutcome.DONE): "You are a member of the company now. Sign in to see it.",
    ("accept", LinkOutcome.ALREADY): ACCEPTED_BEFORE,
    ("accept", LinkOutcome.GONE): GONE,
    ("accept", LinkOutcome.UNVERIFIED): (
        "The account with this address has not verified it yet, so it cannot join through "
        "this link. Verify the address (or choose a new password with “Forgot your "
        "password?”), then accept the invitation after signing in."
    ),
    ("decline", LinkOutcome.DONE): "You declined the invitation. Nothing more will come of it.",
    ("decline", LinkOutcome.ALREADY): (
        f"{ACCEPTED_BEFORE} To leave the company, sign in and remove yourself from it."
    ),
    ("decline", LinkOutcome.GONE): GONE,
}
STATUSES = {LinkOutcome.UNVERIFIED: 409}
RENEW = "Ask the company to invite you again."


def _parse(request: web.Request) -> tuple[str, int]:
    action, raw_id = request.match_info["action"], request.match_info["id"]
    if action not in ACTIONS or not (raw_id.isascii() and raw_id.isdigit()):
        raise web.HTTPNotFound()
    return action, int(raw_id)


def _result(request: web.Request, action: str, outcome: LinkOutcome) -> web.Response:
    context = {"title": ACTIONS[action][0], "message": RESULTS[(action, outcome)]}
    return render_page(request, "pages/result.html", context, STATUSES.get(outcome, 200))


async def show(request: web.Request) -> web.Response:
    """The button, under what it acts on; or, when the invitation is gone or was accepted,
    just that."""
    action, invitation_id = _parse(request)
    if refusal := refused_link(request, RENEW):
        return refusal
    invitation = await company_invitation_of_link(request[SCOPE], invitation_id)
    if invitation is None or invitation.accepted:
        return _result(request, action, LinkOutcome.ALREADY if invitation else LinkOutcome.GONE)
    context = {
        "title": ACTIONS[action][0],
        "action": action,
        "action_url": str(request.rel_url),
        "invitation": invitation,
    }
    return render_page(request, "pages/company_invitation.html", context)


async def act(request: web.Request) -> web.Response:
    action, invitation_id = _parse(request)
    if refusal := refused_link(request, RENEW):
        return refusal
    outcome = await ACTIONS[action][1](request[SCOPE], invitation_id)
    return _result(request, action, outcome)


def add_routes(router: web.UrlDispatcher) -> None:
    router.add_get(COMPANY_INVITATION_PAGE, show, allow_head=False)
    router.add_post(COMPANY_INVITATION_PAGE, act)
