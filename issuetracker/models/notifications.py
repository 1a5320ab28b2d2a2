from tortoise import fields
from tortoise.models import Model

from .companies import Category
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
    secret = fields.CharField(max_length=128)
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
