from enum import StrEnum

from tortoise import fields
from tortoise.models import Model


class AuditAction(StrEnum):
    COMPANY_CREATED = "company_created"
    COMPANY_RENAMED = "company_renamed"
    COMPANY_VISIBILITY_CHANGED = "company_visibility_changed"
    COMPANY_SLUG_CHANGED = "company_slug_changed"
    COMPANY_DELETED = "company_deleted"
    MEMBER_INVITED = "member_invited"
    MEMBER_JOINED = "member_joined"
    MEMBER_REMOVED = "member_removed"
    MEMBER_ROLE_CHANGED = "member_role_changed"
    CATEGORY_DELETED = "category_deleted"
    ISSUE_DELETED = "issue_deleted"
    WEBHOOK_CREATED = "webhook_created"
    WEBHOOK_DELETED = "webhook_deleted"
    WEBHOOK_SECRET_ROTATED = "webhook_secret_rotated"  # noqa: S105 (a name, not a secret)
    API_TOKEN_CREATED = "api_token_created"  # noqa: S105 (a name, not a secret)
    API_TOKEN_REVOKED = "api_token_revoked"  # noqa: S105 (a name, not a secret)
    SIGN_IN_FROM_NEW_ADDRESS = "sign_in_from_new_address"
    SIGN_IN_LOCKED = "sign_in_locked"


class AuditEntry(Model):
    # The company and the account an entry belongs to are plain numbers, not foreign keys:
    # the entry of a company's deletion outlives the company.
    id = fields.IntField(primary_key=True)
    action = fields.CharEnumField(AuditAction, max_length=32)
    actor_id = fields.IntField(null=True)
    company_id = fields.IntField(null=True)
    user_id = fields.IntField(null=True)
    subject_type = fields.CharField(max_length=32)
    subject_id = fields.IntField()
    client_address = fields.CharField(max_length=64, db_default="")
    changes: list[dict[str, str | None]] = fields.JSONField()
    created_at = fields.DatetimeField()

    class Meta:
        table = "audit_log"
        indexes = (
            ("company_id", "created_at", "id"),
            ("user_id", "created_at", "id"),
            ("created_at",),
        )
