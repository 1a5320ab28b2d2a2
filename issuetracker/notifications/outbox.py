"""Writing to the outbox. Call these inside the transaction of the change that causes them, so a
change that rolls back sends nothing. `now` is when the change happened: the message is due
then."""

import uuid
from datetime import datetime
from typing import Any

from ..logs import current_request_id
from ..models import Issue, MessageKind, OutboxMessage, Webhook
from .webhook_targets import host_of


def _key() -> str:
    return f"msg_{uuid.uuid4().hex}"


async def enqueue_email(
    now: datetime, to: str, template: str, data: dict[str, Any]
) -> OutboxMessage:
    """`template` names the e-mail in templates/emails/; `data` is what it shows."""
    return await OutboxMessage.create(
        kind=MessageKind.EMAIL,
        destination=to,
        event_type=template,
        payload=data,
        idempotency_key=_key(),
        next_attempt_at=now,
        request_id=current_request_id.get(),
    )


async def enqueue_webhook(
    now: datetime,
    url: str,
    event_type: str,
    data: dict[str, Any],
    webhook: Webhook | None = None,
    *,
    issue: Issue | None = None,
) -> OutboxMessage:
    """The body is `{type, timestamp, data}`, fixed now so every attempt sends the same. It is
    signed with the secret of the user's `webhook`, or of the `issue` whose own webhook URL
    `url` is."""
    body = {"type": event_type, "timestamp": now.isoformat(), "data": data}
    return await OutboxMessage.create(
        kind=MessageKind.WEBHOOK,
        destination=url,
        destination_host=host_of(url),
        event_type=event_type,
        payload=body,
        idempotency_key=_key(),
        webhook=webhook,
        issue=issue,
        next_attempt_at=now,
        request_id=current_request_id.get(),
    )
