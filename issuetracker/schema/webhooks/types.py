from datetime import datetime

import strawberry

from ...models import Webhook
from ..relay import Node, to_global_id


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
