"""Webhooks are seen and managed by their owner only."""

import secrets
from dataclasses import dataclass
from typing import Any

from tortoise.exceptions import IntegrityError
from tortoise.queryset import QuerySet

from ..models import Webhook
from ..notifications.urls import UnsafeUrl, ensure_public_url
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
    secret = "whsec_" + secrets.token_urlsafe(32)
    try:
        return await Webhook.create(user=user, secret=secret, **values)
    except IntegrityError as race:
        raise _url_taken() from race


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
    await webhook.delete()
    return webhook
