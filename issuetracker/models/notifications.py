from enum import StrEnum
from typing import Any

from tortoise import fields
from tortoise.models import Model

from .companies import Category
from .encrypted import EncryptedTextField
from .issues import Issue
from .users import User


class Webhook(Model):
    id = fields.IntField(primary_key=True)
    user: fields.ForeignKeyRelation[User] = fields.ForeignKeyField(
        "models.User", related_name="webhooks", on_delete=fields.CASCADE
    )
    user_id: int
    url = fields.CharField(max_length=2048)
    description = fields.TextField(null=True)
    # Kept because every delivery is signed with it; no API ever returns it after creation.
    secret = EncryptedTextField("webhooks.secret")
    # After a rotation the old secret signs too, beside the new one, until `_until`.
    previous_secret = EncryptedTextField("webhooks.previous_secret", null=True)
    previous_secret_until = fields.DatetimeField(null=True)
    active = fields.BooleanField(db_default=True)
    consecutive_failures = fields.IntField(db_default=0)
    created_at = fields.DatetimeField(auto_now_add=True)
    updated_at = fields.DatetimeField(auto_now=True)

    class Meta:
        table = "webhooks"
        unique_together = (("user_id", "url"),)


class Subscription(Model):
    # An e-mail address following exactly one issue or one category.

    id = fields.IntField(primary_key=True)
    email = fields.CharField(max_length=254)
    issue: fields.ForeignKeyNullableRelation[Issue] = fields.ForeignKeyField(
        "models.Issue", related_name="subscriptions", null=True, on_delete=fields.CASCADE
    )
    issue_id: int | None
    category: fields.ForeignKeyNullableRelation[Category] = fields.ForeignKeyField(
        "models.Category", related_name="subscriptions", null=True, on_delete=fields.CASCADE
    )
    category_id: int | None
    confirmed_at = fields.DatetimeField(null=True)
    created_at = fields.DatetimeField(auto_now_add=True)

    class Meta:
        table = "subscriptions"
        unique_together = (("issue_id", "email"), ("category_id", "email"))


class MessageKind(StrEnum):
    EMAIL = "email"
    WEBHOOK = "webhook"


class MessageStatus(StrEnum):
    PENDING = "pending"
    DELIVERED = "delivered"
    DEAD = "dead"


class OutboxMessage(Model):
    # An e-mail or webhook call, written in the transaction of the change that caused it.
    # `payload` is a snapshot of the facts at that moment: links, signatures and templates are
    # applied when it is sent. `idempotency_key` is also the `webhook-id` receivers see, the
    # same on every attempt.

    id = fields.IntField(primary_key=True)
    kind = fields.CharEnumField(MessageKind, max_length=16)
    destination = fields.CharField(max_length=2048)
    # A webhook URL's host, lower-case ("" for e-mail): the dispatcher gives each host at most
    # so many deliveries at once, whatever the paths.
    destination_host = fields.CharField(max_length=255, db_default="")
    event_type = fields.CharField(max_length=64)
    payload: Any = fields.JSONField()
    idempotency_key = fields.CharField(max_length=64, unique=True)
    webhook: fields.ForeignKeyNullableRelation[Webhook] = fields.ForeignKeyField(
        "models.Webhook", related_name="deliveries", null=True, on_delete=fields.CASCADE
    )
    webhook_id: int | None
    issue: fields.ForeignKeyNullableRelation[Issue] = fields.ForeignKeyField(
        "models.Issue", related_name="webhook_messages", null=True, on_delete=fields.CASCADE
    )
    issue_id: int | None
    """For a call to the issue's own `webhook_url`, signed with the issue's secret."""
    status = fields.CharEnumField(
        MessageStatus, max_length=16, db_default=MessageStatus.PENDING.value
    )
    attempts = fields.IntField(db_default=0)
    next_attempt_at = fields.DatetimeField()
    lease_owner = fields.TextField(null=True)
    lease_until = fields.DatetimeField(null=True)
    last_error = fields.TextField(null=True)
    delivered_at = fields.DatetimeField(null=True)
    # The request that caused the message (its X-Request-Id), so a delivery's log line can be
    # tied to it; none for what no request caused.
    request_id = fields.CharField(max_length=64, null=True)
    created_at = fields.DatetimeField(auto_now_add=True)

    class Meta:
        table = "outbox_messages"
        indexes = (("status", "next_attempt_at"), ("webhook_id", "id"))


class DeliveryAttempt(Model):
    id = fields.IntField(primary_key=True)
    message: fields.ForeignKeyRelation[OutboxMessage] = fields.ForeignKeyField(
        "models.OutboxMessage", related_name="delivery_attempts", on_delete=fields.CASCADE
    )
    message_id: int
    attempted_at = fields.DatetimeField()
    succeeded = fields.BooleanField()
    response_status = fields.IntField(null=True)
    latency_ms = fields.IntField()
    error = fields.TextField(null=True)

    class Meta:
        table = "delivery_attempts"
        indexes = (("message_id", "id"),)
