"""What an attempt to deliver a message leaves behind: its record in the delivery log, the
message delivered, rescheduled (exponential backoff with jitter, a receiver's Retry-After
honoured) or dead, its webhook's count of failures, and the metrics.

A message deleted while it was being sent (its webhook was deleted meanwhile, and the message
with it) leaves nothing: the attempt's record would point at a row that is gone."""

import logging
import random
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from tortoise.expressions import F
from tortoise.transactions import in_transaction

from .. import metrics
from ..models import DeliveryAttempt, MessageStatus, OutboxMessage, Webhook
from .outbox import enqueue_email

log = logging.getLogger("issuetracker.dispatcher")

MAX_ATTEMPTS = 21
"""With the backoff below, about three days of trying."""
FIRST_RETRY = 30.0
LONGEST_WAIT = 6 * 3600.0
LONGEST_RETRY_AFTER = 24 * 3600.0


def retry_delay(attempts: int, retry_after: float | None, rng: random.Random) -> float:
    """Exponential backoff with ±20% jitter; a receiver's Retry-After is honoured (capped)."""
    base = FIRST_RETRY * 2.0 ** min(attempts - 1, 20)
    delay = min(base * rng.uniform(0.8, 1.2), LONGEST_WAIT)
    if retry_after is not None:
        delay = max(delay, min(retry_after, LONGEST_RETRY_AFTER))
    return delay


@dataclass
class Attempt:
    started: datetime
    timer: float
    """`time.perf_counter()` at the start: latency is measured on a clock that only moves on."""
    status: int | None = None
    error: str | None = None
    retry_after: float | None = None
    dead: bool = False


class Undeliverable(Exception):
    """No attempt will ever succeed; the message is kept as dead."""


@dataclass(frozen=True)
class Recorder:
    clock: Callable[[], datetime]
    rng: random.Random
    lock_rows: bool
    """PostgreSQL's: rows are locked in the order a deletion takes them (SQLite has one
    writer at a time)."""

    async def record(self, message: OutboxMessage, attempt: Attempt) -> None:
        changes = self._outcome(message, attempt)
        async with in_transaction():
            if not await self._still_there(message):
                log.info(
                    "delivery attempt ended: the message was deleted meanwhile",
                    extra={"message_id": message.idempotency_key, "kind": message.kind.value},
                )
                return
            await DeliveryAttempt.create(
                message=message,
                attempted_at=attempt.started,
                succeeded=attempt.error is None,
                response_status=attempt.status,
                latency_ms=int((time.perf_counter() - attempt.timer) * 1000),
                error=attempt.error,
            )
            # Only while the lease is still ours: if it ran out and another dispatcher took
            # the message, that one's outcome stands.
            held = await OutboxMessage.filter(
                id=message.id, lease_owner=message.lease_owner
            ).update(**changes)
            message.update_from_dict(changes)
            if held and message.webhook is not None and not attempt.dead:
                await self._track_webhook(message.webhook, message)
        _count(message, attempt)

    def _outcome(self, message: OutboxMessage, attempt: Attempt) -> dict[str, Any]:
        finished, error = self.clock(), attempt.error
        attempts = message.attempts + 1
        changes: dict[str, Any] = {
            "attempts": attempts,
            "lease_owner": None,
            "lease_until": None,
            "last_error": error,
        }
        if error is None:
            changes |= {"status": MessageStatus.DELIVERED, "delivered_at": finished}
        elif attempt.dead or attempts >= MAX_ATTEMPTS:
            changes["status"] = MessageStatus.DEAD
        else:
            delay = retry_delay(attempts, attempt.retry_after, self.rng)
            changes["next_attempt_at"] = finished + timedelta(seconds=delay)
        return changes

    async def _still_there(self, message: OutboxMessage) -> bool:
        """Whether the message was not deleted (with its webhook) while it was sent; its row
        stays so for the rest of the transaction. The webhook's row is locked first, as a
        deletion locks them, so the two wait for each other rather than deadlock."""
        rows = OutboxMessage.filter(id=message.id).only("id")
        if self.lock_rows:
            if message.webhook_id is not None:
                await Webhook.filter(id=message.webhook_id).select_for_update().only("id")
            rows = rows.select_for_update()  # (`values_list` would drop the FOR UPDATE)
        return bool(await rows)

    async def _track_webhook(self, webhook: Webhook, message: OutboxMessage) -> None:
        if message.status is MessageStatus.DELIVERED:
            await Webhook.filter(id=webhook.id).update(consecutive_failures=0)
            return
        # Counted in the database: several messages of one webhook may fail in one round.
        await Webhook.filter(id=webhook.id).update(
            consecutive_failures=F("consecutive_failures") + 1
        )
        if message.status is not MessageStatus.DEAD:
            return
        disabled = await Webhook.filter(id=webhook.id, active=True).update(active=False)
        if disabled:  # only the first message to die tells the owner
            await webhook.fetch_related("user")
            await enqueue_email(
                self.clock(),
                webhook.user.email,
                "webhook_disabled",
                {
                    "webhook": {"id": webhook.id, "url": webhook.url},
                    "last_error": message.last_error or "",
                },
            )


def _count(message: OutboxMessage, attempt: Attempt) -> None:
    """The attempt's metrics and its one log line."""
    metrics.DELIVERIES.labels(message.kind.value, message.status.value).inc()
    metrics.DELIVERY_SECONDS.labels(message.kind.value).observe(time.perf_counter() - attempt.timer)
    log.info(
        "delivery attempt",
        extra={
            "message_id": message.idempotency_key,
            "request_id": message.request_id,
            "kind": message.kind.value,
            "event_type": message.event_type,
            "outcome": message.status.value,
            "attempts": message.attempts,
            "error": attempt.error,
        },
    )
