"""Webhooks are seen and managed by their owner only."""

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from tortoise.exceptions import IntegrityError
from tortoise.queryset import QuerySet
from tortoise.transactions import in_transaction

from ...models import AuditAction, User, Webhook
from ...notifications.delivery import new_webhook_secret
from ...notifications.outbox import enqueue_webhook
from ...notifications.webhook_targets import UnsafeUrl, ensure_public_url
from ..audit.record import changed, record
from ..core.actor import Actor, require_user
from ..core.errors import ErrorCode, NotFound, ValidationFailed
from ..core.orders import ListOrder, paginate_in_order
from ..core.pagination import Page, Pagination
from ..core.scope import Scope
from ..core.validation import Collector, column_limit

URL_LENGTH = column_limit(Webhook, "url")
ROTATION_OVERLAP = timedelta(hours=24)
"""How long deliveries carry a signature with the secret a rotation replaced."""
DESCRIPTION_LENGTH = 1000
"""A description says what a webhook is for, in a line or two."""


@dataclass(frozen=True, slots=True)
class WebhookChanges:
    url: str | None = None
    description: str | None = None
    active: bool | None = None


def own_webhooks(actor: Actor) -> QuerySet[Webhook]:
    return Webhook.filter(user_id=require_user(actor).id)


async def active_webhooks_of(addresses: Sequence[str]) -> list[Webhook]:
    """The active webhooks of the users with these addresses (who hear what they follow)."""
    if not addresses:
        return []
    return await Webhook.filter(user__email__in=addresses, active=True)


async def list_webhooks(
    scope: Scope, page: Pagination, order: ListOrder | None = None
) -> Page[Webhook]:
    return await paginate_in_order(own_webhooks(scope.actor), page, order, newest_first=False)


async def get_webhook(scope: Scope, webhook_id: int) -> Webhook:
    webhook = await own_webhooks(scope.actor).get_or_none(id=webhook_id)
    if webhook is None:
        raise NotFound("Webhook not found.")
    return webhook


async def check_public_url(scope: Scope, check: Collector, field: str, url: str) -> None:
    """Where webhooks may point: a public address, or an allowed one. A URL that cannot even
    be read (an IPv6 address without its closing bracket) is no http(s) URL either."""
    try:
        await ensure_public_url(url, list(scope.policy.webhook_allowed_hosts))
    except UnsafeUrl as unsafe:
        check.add(field, str(unsafe), ErrorCode.UNSAFE_URL)
    except ValueError:
        message = f"The {field} must be a valid http or https URL."
        check.add(field, message, ErrorCode.INVALID_URL)


async def _clean(scope: Scope, changes: WebhookChanges, *, creating: bool) -> dict[str, Any]:
    check = Collector()
    values: dict[str, Any] = {}
    if creating or changes.url is not None:
        url = check.text("url", changes.url, max_length=URL_LENGTH)
        if url:
            await check_public_url(scope, check, "url", url)
        values["url"] = url
    if changes.description is not None:
        values["description"] = check.text(
            "description", changes.description, max_length=DESCRIPTION_LENGTH, required=False
        )
    if changes.active is not None:
        values["active"] = changes.active
        if changes.active:
            values["consecutive_failures"] = 0
    check.raise_if_any()
    return values


def _url_taken() -> ValidationFailed:
    message = "You already have a webhook for this url."
    return ValidationFailed.single("url", message, ErrorCode.TAKEN)


async def create_webhook(scope: Scope, changes: WebhookChanges) -> Webhook:
    user = require_user(scope.actor)
    values = await _clean(scope, changes, creating=True)
    if await Webhook.exists(user_id=user.id, url=values["url"]):
        raise _url_taken()
    secret = new_webhook_secret()
    try:
        async with in_transaction():
            webhook = await Webhook.create(user=user, secret=secret, **values)
            change = changed("url", None, webhook.url)
            await record(
                scope, AuditAction.WEBHOOK_CREATED, webhook, user_id=user.id, changes=[change]
            )
            await _tell_owner(scope, webhook, "webhook_created", user)
    except IntegrityError as race:
        raise _url_taken() from race
    return webhook


async def update_webhook(scope: Scope, webhook_id: int, changes: WebhookChanges) -> Webhook:
    webhook = await get_webhook(scope, webhook_id)
    values = await _clean(scope, changes, creating=False)
    moved = "url" in values and values["url"] != webhook.url
    if moved and await Webhook.exists(user_id=webhook.user_id, url=values["url"]):
        raise _url_taken()
    await webhook.update_from_dict(values).save()
    return webhook


async def delete_webhook(scope: Scope, webhook_id: int) -> Webhook:
    webhook = await get_webhook(scope, webhook_id)
    async with in_transaction():
        await webhook.delete()
        change = changed("url", webhook.url, None)
        await record(
            scope, AuditAction.WEBHOOK_DELETED, webhook, user_id=webhook.user_id, changes=[change]
        )
        await _tell_owner(scope, webhook, "webhook_deleted", require_user(scope.actor))
    return webhook


async def rotate_webhook_secret(scope: Scope, webhook_id: int) -> Webhook:
    """A new secret, which the caller shows once; deliveries carry a signature with the old
    one too for `ROTATION_OVERLAP`, so receivers can switch without losing one."""
    webhook = await get_webhook(scope, webhook_id)
    until = scope.now + ROTATION_OVERLAP
    async with in_transaction():
        webhook.previous_secret = webhook.secret
        webhook.previous_secret_until = until
        webhook.secret = new_webhook_secret()
        await webhook.save(update_fields=["secret", "previous_secret", "previous_secret_until"])
        change = changed("previousSecretValidUntil", None, until.isoformat())
        await record(
            scope,
            AuditAction.WEBHOOK_SECRET_ROTATED,
            webhook,
            user_id=webhook.user_id,
            changes=[change],
        )
    return webhook


async def _tell_owner(scope: Scope, webhook: Webhook, event_type: str, owner: User) -> None:
    """`webhook_created` and `webhook_deleted` reach the owner's active webhooks."""
    snapshot = {"id": webhook.id, "url": webhook.url, "description": webhook.description}
    for target in await Webhook.filter(user_id=owner.id, active=True):
        await enqueue_webhook(scope.now, target.url, event_type, {"webhook": snapshot}, target)
