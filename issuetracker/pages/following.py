"""Following by e-mail: confirming and leaving a subscription through a signed link.

A GET shows a page with a button and changes nothing, so mail scanners that open links are
harmless; the POST (also the one-click `List-Unsubscribe-Post`) makes the change."""

from collections.abc import Awaitable, Callable

from aiohttp import web

from ..notifications.page_paths import SUBSCRIPTION_PAGE
from ..resolvers.core.scope import Scope
from ..resolvers.following.followers import (
    LinkOutcome,
    confirm_subscription,
    subscription_of_link,
    unsubscribe,
)
from ..web import SCOPE
from .refused_links import refused_link
from .rendering import render_page

ACTIONS: dict[str, tuple[str, Callable[[Scope, int], Awaitable[LinkOutcome]]]] = {
    "confirm": ("Confirm your subscription", confirm_subscription),
    "unsubscribe": ("Unsubscribe", unsubscribe),
}
RESULTS = {
    ("confirm", LinkOutcome.DONE): "Your subscription is confirmed. Updates will come to you.",
    ("confirm", LinkOutcome.ALREADY): "This subscription was already confirmed.",
    ("confirm", LinkOutcome.GONE): "This subscription no longer exists.",
    ("unsubscribe", LinkOutcome.DONE): "You are unsubscribed. Nothing more will be sent.",
    ("unsubscribe", LinkOutcome.GONE): "You were already unsubscribed.",
}


def _parse(request: web.Request) -> tuple[str, int]:
    action, raw_id = request.match_info["action"], request.match_info["id"]
    if action not in ACTIONS or not (raw_id.isascii() and raw_id.isdigit()):
        raise web.HTTPNotFound()
    return action, int(raw_id)


async def show(request: web.Request) -> web.Response:
    """The button, under what it acts on; or, when the subscription is gone, just that."""
    action, subscription_id = _parse(request)
    if refusal := refused_link(request):
        return refusal
    title = ACTIONS[action][0]
    subscription = await subscription_of_link(subscription_id)
    if subscription is None:
        message = RESULTS[(action, LinkOutcome.GONE)]
        return render_page(request, "pages/result.html", {"title": title, "message": message})
    context = {
        "title": title,
        "action": action,
        "action_url": str(request.rel_url),
        "subscription": subscription,
    }
    return render_page(request, "pages/subscription.html", context)


async def act(request: web.Request) -> web.Response:
    action, subscription_id = _parse(request)
    if refusal := refused_link(request):
        return refusal
    title, perform = ACTIONS[action]
    outcome = await perform(request[SCOPE], subscription_id)
    context = {"title": title, "message": RESULTS[(action, outcome)]}
    return render_page(request, "pages/result.html", context)


def add_routes(router: web.UrlDispatcher) -> None:
    router.add_get(SUBSCRIPTION_PAGE, show, allow_head=False)
    router.add_post(SUBSCRIPTION_PAGE, act)
