"""Webhooks are seen and managed by their owner only."""

import base64
import secrets
from dataclasses import dataclass
from typing import Any

from tortoise.exceptions import IntegrityError
from tortoise.queryset import QuerySet
from tortoise.transactions import in_transaction

from ..clock import utcnow
from ..models import MessageStatus, OutboxMessage, Webhook
from ..notifications.urls import UnsafeUrl, ensure_public_url
from . import notify
from .actor import Actor, require_user
from .errors import NotFound, ValidationFailed
from .pagination import Page, Pagination, paginate
from .validation import Collector


@dataclass(frozen=True, slots=True)
class WebhookChanges:
    url: str | None = None
    description: str | None = None
    active: bool | None = None


def _own_webhooks(actor: Actor) -> QuerySet[Webhook]:
    return Webhook.filter(user_id=require_user(actor).id)


async def list_webhooks(actor: Actor, page: Pagination) -> Page[Webhook]:
    return await paginate(_own_webhooks(actor), page, newest_first=False)


async def get_webhook(actor: Actor, webhook_id: int) -> Webhook:
    webhook = await _own_webhooks(actor).get_or_none(id=webhook_id)
    if webhook is None:
        raise NotFound("Webhook not found.")
    return webhook


async def _clean(
    changes: WebhookChanges, allowed_hosts: list[str], *, creating: bool
) -> dict[str, Any]:
    check = Collector()
    values: dict[str, Any] = {}
    if creating or changes.url is not None:
        url = check.text("url", changes.url, max_length=2048)
        if url:
            try:
                await ensure_public_url(url, allowed_hosts)
            except UnsafeUrl as unsafe:
                check.add("url", str(unsafe), "UNSAFE_URL")
        values["url"] = url
    if changes.description is not None:
        values["description"] = check.text(
            "description", changes.description, max_length=1000, required=False
        )
    if changes.active is not None:
        values["active"] = changes.active
        if changes.active:
            values["consecutive_failures"] = 0
    check.raise_if_any()
    return values


def _url_taken() -> ValidationFailed:
    return ValidationFailed.single("url", "You already have a webhook for this url.", "TAKEN")


async def create_webhook(
    actor: Actor, changes: WebhookChanges, allowed_hosts: list[str]
) -> Webhook:
    user = require_user(actor)
    values = await _clean(changes, allowed_hosts, creating=True)
    if await Webhook.exists(user_id=user.id, url=values["url"]):
        raise _url_taken()
    # Standard Webhooks secrets are base64 after the prefix.
    secret = "whsec_" + base64.b64encode(secrets.token_bytes(32)).decode()
    try:
        async with in_transaction():
            webhook = await Webhook.create(user=user, secret=secret, **values)
            await notify.webhook_changed(webhook, "webhook_created", user)
    except IntegrityError as race:
        raise _url_taken() from race
    return webhook


async def update_webhook(
    actor: Actor, webhook_id: int, changes: WebhookChanges, allowed_hosts: list[str]
) -> Webhook:
    webhook = await get_webhook(actor, webhook_id)
    values = await _clean(changes, allowed_hosts, creating=False)
    moved = "url" in values and values["url"] != webhook.url
    if moved and await Webhook.exists(user_id=webhook.user_id, url=values["url"]):
        raise _url_taken()
    await webhook.update_from_dict(values).save()
    return webhook


async def delete_webhook(actor: Actor, webhook_id: int) -> Webhook:
    webhook = await get_webhook(actor, webhook_id)
    async with in_transaction():
        await webhook.delete()
        await notify.webhook_changed(webhook, "webhook_deleted", require_user(actor))
    return webhook


async def list_deliveries(actor: Actor, webhook_id: int, page: Pagination) -> Page[OutboxMessage]:
    webhook = await get_webhook(actor, webhook_id)
    return await paginate(OutboxMessage.filter(webhook_id=webhook.id), page, newest_first=True)


async def get_delivery(actor: Actor, delivery_id: int) -> OutboxMessage:
    delivery = await OutboxMessage.get_or_none(
        id=delivery_id, webhook__user_id=require_user(actor).id
    )
    if delivery is None:
        raise NotFound("Delivery not found.")
    return delivery


async def redeliver(actor: Actor, delivery_id: int) -> OutboxMessage:
    """Sends a delivery again, now, with the same `webhook-id`, whatever its state, on a fresh
    retry schedule (its earlier attempts stay in the log)."""
    delivery = await get_delivery(actor, delivery_id)
    delivery.update_from_dict(
        {
            "status": MessageStatus.PENDING,
            "attempts": 0,
            "next_attempt_at": utcnow(),
            "lease_owner": None,
            "lease_until": None,
        }
    )
    await delivery.save()
    return delivery
