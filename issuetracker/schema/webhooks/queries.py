from typing import Annotated

import strawberry

from ...resolvers.webhooks import webhooks
from ..context import Info
from ..errors import IsAuthenticated
from ..lookup import one_id
from ..orders import WebhookOrderBy, list_order
from ..relay import After, Before, Connection, First, Last, page_args
from .types import WebhookType


@strawberry.type
class WebhookQueries:
    @strawberry.field(
        permission_classes=[IsAuthenticated],
        description="The viewer's webhooks, oldest first or in `orderBy`. Needs a token "
        "(UNAUTHENTICATED).",
    )
    async def webhooks(
        self,
        info: Info,
        order_by: WebhookOrderBy = None,
        first: First = None,
        after: After = None,
        last: Last = None,
        before: Before = None,
    ) -> Connection[WebhookType]:
        args = page_args(first, after, last, before)
        page = await webhooks.list_webhooks(info.context.scope, args, list_order(order_by))
        return Connection.from_page(page, WebhookType.from_row)

    @strawberry.field(
        permission_classes=[IsAuthenticated],
        description="One of the viewer's webhooks, by exactly one of `id` and `databaseId`; "
        "null, with a NOT_FOUND error, for any other. Needs a token.",
    )
    async def webhook(
        self,
        info: Info,
        id: Annotated[
            strawberry.ID | None, strawberry.argument(description="The webhook's global id.")
        ] = None,
        database_id: Annotated[
            int | None, strawberry.argument(description="The webhook's database id.")
        ] = None,
    ) -> WebhookType | None:
        webhook_id = one_id(id, database_id, "Webhook")
        return WebhookType.from_row(await webhooks.get_webhook(info.context.scope, webhook_id))
