from datetime import datetime

import strawberry

from ...models import Webhook
from ...resolvers.webhooks.deliveries import list_deliveries
from ..context import Info
from ..relay import Connection, Node, page_args, to_global_id
from .deliveries import WebhookDeliveryType


@strawberry.type(name="Webhook", description="The signing secret is shown once, when created.")
class WebhookType(Node):
    database_id: int
    url: str
    description: str | None
    active: bool
    consecutive_failures: int
    created_at: datetime
    updated_at: datetime

    @classmethod
    def from_row(cls, webhook: Webhook) -> "WebhookType":
        return cls(
            id=to_global_id("Webhook", webhook.id),
            database_id=webhook.id,
            url=webhook.url,
            description=webhook.description,
            active=webhook.active,
            consecutive_failures=webhook.consecutive_failures,
            created_at=webhook.created_at,
            updated_at=webhook.updated_at,
        )

    @strawberry.field(description="What was sent to this webhook, newest first.")
    async def deliveries(
        self,
        info: Info,
        first: int | None = None,
        after: str | None = None,
        last: int | None = None,
        before: str | None = None,
    ) -> Connection[WebhookDeliveryType]:
        args = page_args(first, after, last, before)
        page = await list_deliveries(info.context.scope, self.database_id, args)
        return Connection.from_page(page, WebhookDeliveryType.from_row)
