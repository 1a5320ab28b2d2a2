import strawberry

from ...resolvers.webhooks import webhooks
from ..context import Info
from ..errors import IsAuthenticated
from ..lookup import one_id
from ..relay import Connection, page_args
from .types import WebhookType


@strawberry.type
class WebhookQueries:
    @strawberry.field(permission_classes=[IsAuthenticated], description="The viewer's webhooks.")
    async def webhooks(
        self,
        info: Info,
        first: int | None = None,
        after: str | None = None,
        last: int | None = None,
        before: str | None = None,
    ) -> Connection[WebhookType]:
        args = page_args(first, after, last, before)
        page = await webhooks.list_webhooks(info.context.scope, args)
        return Connection.from_page(page, WebhookType.from_row)

    @strawberry.field(permission_classes=[IsAuthenticated])
    async def webhook(
        self, info: Info, id: strawberry.ID | None = None, database_id: int | None = None
    ) -> WebhookType:
        webhook_id = one_id(id, database_id, "Webhook")
        return WebhookType.from_row(await webhooks.get_webhook(info.context.scope, webhook_id))
