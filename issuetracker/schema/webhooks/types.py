from datetime import datetime

import strawberry

from ...models import Webhook
from ...resolvers.webhooks.deliveries import list_deliveries
from ..context import Info
from ..orders import DeliveryOrderBy, list_order
from ..relay import (
    DATABASE_ID,
    After,
    Before,
    Connection,
    First,
    Last,
    Node,
    page_args,
    to_global_id,
)
from .deliveries import WebhookDeliveryType


@strawberry.type(
    name="Webhook",
    description="A URL of the viewer's that receives events as signed POST requests (Standard "
    "Webhooks). Seen and managed by its owner only; the signing secret is shown once, when "
    "created.",
)
class WebhookType(Node):
    database_id: int = strawberry.field(description=DATABASE_ID)
    url: str = strawberry.field(description="Where events are sent: a public http(s) address.")
    description: str | None = strawberry.field(
        description="What the webhook is for, as its owner wrote it."
    )
    active: bool = strawberry.field(
        description="Whether it receives events. It is turned off when a delivery fails for "
        "about three days (its owner is told by e-mail), and on again with `updateWebhook`."
    )
    consecutive_failures: int = strawberry.field(
        description="Failed attempts since the last success; back to 0 after a success or when "
        "turned on again."
    )
    created_at: datetime = strawberry.field(description="When the webhook was created.")
    updated_at: datetime = strawberry.field(description="When the webhook last changed.")

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

    @strawberry.field(
        description="Every event sent to this webhook, newest first or in `orderBy`, each with "
        "its attempts."
    )
    async def deliveries(
        self,
        info: Info,
        order_by: DeliveryOrderBy = None,
        first: First = None,
        after: After = None,
        last: Last = None,
        before: Before = None,
    ) -> Connection[WebhookDeliveryType]:
        args = page_args(first, after, last, before)
        order = list_order(order_by)
        page = await list_deliveries(info.context.scope, self.database_id, args, order)
        return Connection.from_page(page, WebhookDeliveryType.from_row)
