"""/api/webhooks: the signed-in user's own."""

from aiohttp import web

from ...resolvers.webhooks import webhooks
from ...resolvers.webhooks.webhooks import WebhookChanges
from ...web import SCOPE, json_response
from ..request import path_id, read_body, require, signed_in, text_field
from .formats import webhook_json
from .responses import page_args, paginated


@signed_in
async def list_webhooks(request: web.Request) -> web.Response:
    args = page_args(request)
    page = await webhooks.list_webhooks(request[SCOPE], args)
    return paginated(request, page, args, [webhook_json(webhook) for webhook in page.items])


@signed_in
async def create_webhook(request: web.Request) -> web.Response:
    body = await read_body(request)
    require(body, "url")
    changes = WebhookChanges(
        url=text_field(body, "url"), description=text_field(body, "description")
    )
    webhook = await webhooks.create_webhook(request[SCOPE], changes)
    # The signing secret is shown this once.
    return json_response({**webhook_json(webhook), "secret": webhook.secret}, status=201)


@signed_in
async def show_webhook(request: web.Request) -> web.Response:
    webhook = await webhooks.get_webhook(request[SCOPE], path_id(request))
    return json_response(webhook_json(webhook))


@signed_in
async def update_webhook(request: web.Request) -> web.Response:
    body = await read_body(request)
    changes = WebhookChanges(
        url=text_field(body, "url"), description=text_field(body, "description")
    )
    webhook = await webhooks.update_webhook(request[SCOPE], path_id(request), changes)
    return json_response(webhook_json(webhook))


@signed_in
async def delete_webhook(request: web.Request) -> web.Response:
    await webhooks.delete_webhook(request[SCOPE], path_id(request))
    return web.Response(status=204)
