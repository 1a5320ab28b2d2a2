"""A webhook's deliveries: what was sent, every attempt, and sending one again."""

from ...models import MessageStatus, OutboxMessage
from ..core.actor import require_user
from ..core.errors import NotFound
from ..core.orders import ListOrder, paginate_in_order
from ..core.pagination import Page, Pagination
from ..core.scope import Scope
from .webhooks import get_webhook


async def list_deliveries(
    scope: Scope, webhook_id: int, page: Pagination, order: ListOrder | None = None
) -> Page[OutboxMessage]:
    webhook = await get_webhook(scope, webhook_id)
    deliveries = OutboxMessage.filter(webhook_id=webhook.id)
    return await paginate_in_order(deliveries, page, order, newest_first=True)


async def get_delivery(scope: Scope, delivery_id: int) -> OutboxMessage:
    delivery = await OutboxMessage.get_or_none(
        id=delivery_id, webhook__user_id=require_user(scope.actor).id
    )
    if delivery is None:
        raise NotFound("Delivery not found.")
    return delivery


async def redeliver(scope: Scope, delivery_id: int) -> OutboxMessage:
    """Sends a delivery again, now, with the same `webhook-id`, whatever its state, on a fresh
    retry schedule (its earlier attempts stay in the log)."""
    delivery = await get_delivery(scope, delivery_id)
    delivery.update_from_dict(
        {
            "status": MessageStatus.PENDING,
            "attempts": 0,
            "next_attempt_at": scope.now,
            "lease_owner": None,
            "lease_until": None,
        }
    )
    await delivery.save()
    return delivery
