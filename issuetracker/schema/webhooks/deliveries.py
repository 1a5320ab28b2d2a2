from datetime import datetime

import strawberry

from ...models import DeliveryAttempt, MessageStatus, OutboxMessage
from ..context import Info
from ..enums import described_enum
from ..relay import DATABASE_ID, Node, to_global_id

described_enum(
    MessageStatus,
    "DeliveryStatus",
    "Where a delivery stands.",
    {
        MessageStatus.PENDING: "Not delivered yet: waiting for its first attempt or a retry "
        "(see `nextAttemptAt`).",
        MessageStatus.DELIVERED: "The receiver answered with a 2xx status.",
        MessageStatus.DEAD: "Given up on, after about three days of retries or because the "
        "webhook was disabled; `redeliverWebhookDelivery` tries again.",
    },
)


@strawberry.type(name="DeliveryAttempt", description="One try at sending a delivery.")
class DeliveryAttemptType:
    attempted_at: datetime = strawberry.field(description="When the request was sent.")
    succeeded: bool = strawberry.field(description="Whether the receiver answered with a 2xx.")
    response_status: int | None = strawberry.field(
        description="The receiver's HTTP status; null when no response came (timeout, "
        "connection refused)."
    )
    latency_ms: int = strawberry.field(
        description="Milliseconds from sending the request to the end of the answer."
    )
    error: str | None = strawberry.field(
        description="What went wrong, for people; null when the attempt succeeded."
    )

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
    database_id: int = strawberry.field(description=DATABASE_ID)
    webhook_message_id: str = strawberry.field(
        description="The `webhook-id` header it carries, the same on every attempt: receivers "
        "use it to drop duplicates."
    )
    event_type: str = strawberry.field(
        description="The event sent, e.g. `issue_created`, `issue_updated`, `issue_closed`, "
        "`webhook_created`."
    )
    status: MessageStatus = strawberry.field(description="Where the delivery stands.")
    attempt_count: int = strawberry.field(
        description="How many attempts were made since it was queued or last redelivered."
    )
    next_attempt_at: datetime | None = strawberry.field(
        description="When the next attempt is due; null unless the status is PENDING."
    )
    delivered_at: datetime | None = strawberry.field(
        description="When an attempt succeeded; null until then."
    )
    last_error: str | None = strawberry.field(
        description="What went wrong on the latest attempt; null when it succeeded or none was "
        "made."
    )
    created_at: datetime = strawberry.field(description="When the event was queued.")

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
