from datetime import datetime

import strawberry

from ...models import DeliveryAttempt, MessageStatus, OutboxMessage
from ..context import Info
from ..relay import Node, to_global_id

strawberry.enum(MessageStatus, name="DeliveryStatus")


@strawberry.type(name="DeliveryAttempt")
class DeliveryAttemptType:
    attempted_at: datetime
    succeeded: bool
    response_status: int | None
    latency_ms: int
    error: str | None

    @classmethod
    def from_row(cls, attempt: DeliveryAttempt) -> "DeliveryAttemptType":
        return cls(
            attempted_at=attempt.attempted_at,
            succeeded=attempt.succeeded,
            response_status=attempt.response_status,
            latency_ms=attempt.latency_ms,
            error=attempt.error,
        )


@strawberry.type(name="WebhookDelivery", description="One event sent to a webhook, with retries.")
class WebhookDeliveryType(Node):
    database_id: int
    webhook_message_id: str = strawberry.field(description="The `webhook-id` header it carries.")
    event_type: str
    status: MessageStatus
    attempt_count: int
    next_attempt_at: datetime | None
    delivered_at: datetime | None
    last_error: str | None
    created_at: datetime

    @classmethod
    def from_row(cls, message: OutboxMessage) -> "WebhookDeliveryType":
        waiting = message.status is MessageStatus.PENDING
        return cls(
            id=to_global_id("WebhookDelivery", message.id),
            database_id=message.id,
            webhook_message_id=message.idempotency_key,
            event_type=message.event_type,
            status=message.status,
            attempt_count=message.attempts,
            next_attempt_at=message.next_attempt_at if waiting else None,
            delivered_at=message.delivered_at,
            last_error=message.last_error,
            created_at=message.created_at,
        )

    @strawberry.field(description="Every attempt, oldest first: response code, latency, error.")
    async def attempts(self, info: Info) -> list[DeliveryAttemptType]:
        rows = await info.context.loaders.attempts_by_delivery_id.load(self.database_id)
        return [DeliveryAttemptType.from_row(row) for row in rows]
