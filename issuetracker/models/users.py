from enum import StrEnum

from tortoise import fields
from tortoise.models import Model


class UserStatus(StrEnum):
    ACTIVE = "active"
    DISABLED = "disabled"


class User(Model):
    id = fields.IntField(primary_key=True)
    guid = fields.UUIDField(unique=True)
    email = fields.CharField(max_length=254, unique=True)
    name = fields.CharField(max_length=255)
    password_hash = fields.CharField(max_length=255, db_default="")
    email_verified_at = fields.DatetimeField(null=True)
    time_zone = fields.CharField(max_length=64, db_default="UTC")
    phone = fields.CharField(max_length=64, null=True)
    title = fields.CharField(max_length=255, null=True)
    avatar_url = fields.CharField(max_length=2048, null=True)
    status = fields.CharEnumField(UserStatus, max_length=16, db_default=UserStatus.ACTIVE.value)
    created_at = fields.DatetimeField(auto_now_add=True)
    updated_at = fields.DatetimeField(auto_now=True)

    class Meta:
        table = "users"


class ApiToken(Model):
    # A bearer token: only a hash of the secret is stored; the prefix identifies it to people.

    id = fields.IntField(primary_key=True)
    user: fields.ForeignKeyRelation[User] = fields.ForeignKeyField(
        "models.User", related_name="api_tokens", on_delete=fields.CASCADE
    )
    user_id: int
    name = fields.CharField(max_length=255)
    prefix = fields.CharField(max_length=16)
    secret_hash = fields.CharField(max_length=64, unique=True)
    last_used_at = fields.DatetimeField(null=True)
    expires_at = fields.DatetimeField(null=True)
    revoked_at = fields.DatetimeField(null=True)
    created_at = fields.DatetimeField(auto_now_add=True)
    # Narrowing: a read-only token runs no writes; company_ids (null: unrestricted) are the
    # only companies whose memberships it uses. Kept on the row, so whatever holds the row
    # (the actor, a cache of lookups) holds the narrowing too.
    read_only = fields.BooleanField(db_default=False)
    company_ids: list[int] | None = fields.JSONField(null=True)

    class Meta:
        table = "api_tokens"
