"""Batched reads of webhook deliveries (see `core/batches.py`)."""

from collections.abc import Sequence

from ...models import DeliveryAttempt
from ..core.batches import grouped


async def attempts_by_message_ids(message_ids: Sequence[int]) -> list[list[DeliveryAttempt]]:
    attempts = await DeliveryAttempt.filter(message_id__in=message_ids).order_by("id")
    return grouped([(attempt.message_id, attempt) for attempt in attempts], message_ids)
