"""/api/issues/{id}/subscriptions and /api/categories/{id}/subscriptions"""

from aiohttp import web

from ...resolvers.following import followers as subscriptions
from ...resolvers.following.followers import SubscribeResult
from ...web import SCOPE, json_response
from ..request import path_id, read_body, require, text_field


def _answer(result: SubscribeResult) -> web.Response:
    """201 and one confirmation e-mail when new; 200 and no e-mail when it already exists."""
    if result.created:
        message = "Subscription created. Follow the link in the e-mail to confirm it."
        return json_response({"message": message}, status=201)
    return json_response({"message": "The subscription already exists."})


async def subscribe_to_issue(request: web.Request) -> web.Response:
    body = await read_body(request)
    require(body, "email")
    result = await subscriptions.subscribe_to_issue(
        request[SCOPE], path_id(request), text_field(body, "email")
    )
    return _answer(result)


async def subscribe_to_category(request: web.Request) -> web.Response:
    body = await read_body(request)
    require(body, "email")
    result = await subscriptions.subscribe_to_category(
        request[SCOPE], path_id(request), text_field(body, "email")
    )
    return _answer(result)
