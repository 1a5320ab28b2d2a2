"""Issues and what hangs off them.

The many-to-many links are explicit models so that visibility filters and loaders can use
them in subqueries and batched reads without joining through the issue table.
"""

from enum import StrEnum

from tortoise import fields
from tortoise.models import Model

from .companies import Category
from .encrypted import EncryptedTextField
from .users import User


class Severity(StrEnum):
    CRITICAL = "critical"
    IMPORTANT = "important"
    INFO = "info"


class IssueStatus(StrEnum):
    OPEN = "open"
    CLOSED = "closed"


class EventKind(StrEnum):
    CREATED = "created"
    UPDATED = "updated"
    CLOSED = "closed"
    NOTE = "note"


class Issue(Model):
    id = fields.IntField(primary_key=True)
    guid = fields.UUIDField(unique=True)
    name = fields.CharField(max_length=255)
    description = fields.TextField(db_default="")
    severity = fields.CharEnumField(Severity, max_length=16, db_default=Severity.INFO.value)
    status = fields.CharEnumField(IssueStatus, max_length=16, db_default=IssueStatus.OPEN.value)
    conclusion = fields.TextField(null=True)
    owner: fields.ForeignKeyNullableRelation[User] = fields.ForeignKeyField(
        "models.User", related_name="owned_issues", null=True, on_delete=fields.SET_NULL
    )
    owner_id: int | None
    closed_at = fields.DatetimeField(null=True)
    deleted_at = fields.DatetimeField(null=True)
    external_reference_id = fields.CharField(max_length=255, null=True)
    webhook_url = fields.CharField(max_length=2048, null=True)
    # Signs the deliveries to `webhook_url` (Standard Webhooks, `whsec_` + base64); every issue
    # has one from its creation (0005 gave one to each earlier issue), shown to those taking part.
    # Kept encrypted (0015).
    webhook_secret = EncryptedTextField("issues.webhook_secret", null=True)
    hash_key = fields.CharField(max_length=40, null=True)
    conference_number = fields.CharField(max_length=64, null=True)
    # The words of the name, tags and description, normalised for search (resolvers/issues/
    # search_words.py): kept by every write of those, read by the search on both engines.
    search_text = fields.TextField(db_default="")
    created_at = fields.DatetimeField(auto_now_add=True)
    updated_at = fields.DatetimeField(auto_now=True)
    # When each part of the issue last changed (Kinetic's `*_updated_at`); null means "since
    # the issue was created".
    categories_updated_at = fields.DatetimeField(null=True)
    messages_updated_at = fields.DatetimeField(null=True)
    unknowns_updated_at = fields.DatetimeField(null=True)
    facts_updated_at = fields.DatetimeField(null=True)
    action_items_updated_at = fields.DatetimeField(null=True)
    uploads_updated_at = fields.DatetimeField(null=True)
    involvements_updated_at = fields.DatetimeField(null=True)

    class Meta:
        table = "issues"
        indexes = (("status",), ("severity",), ("created_at",), ("owner_id",), ("deleted_at",))


PART_TIMES = (
    "categories_updated_at",
    "messages_updated_at",
    "unknowns_updated_at",
    "facts_updated_at",
    "action_items_updated_at",
    "uploads_updated_at",
    "involvements_updated_at",
)
"""Issue fields: when each part of an issue last changed; all start at its creation."""


class IssueCategory(Model):
    id = fields.IntField(primary_key=True)
    issue: fields.ForeignKeyRelation[Issue] = fields.ForeignKeyField(
        "models.Issue", related_name="category_links", on_delete=fields.CASCADE
    )
    issue_id: int
    category: fields.ForeignKeyRelation[Category] = fields.ForeignKeyField(
        "models.Category", related_name="issue_links", on_delete=fields.CASCADE
    )
    category_id: int

    class Meta:
        table = "issue_categories"
        unique_together = (("issue_id", "category_id"),)
        indexes = (("category_id", "issue_id"),)


class IssueParticipant(Model):
    id = fields.IntField(primary_key=True)
    issue: fields.ForeignKeyRelation[Issue] = fields.ForeignKeyField(
        "models.Issue", related_name="participant_links", on_delete=fields.CASCADE
    )
    issue_id: int
    user: fields.ForeignKeyRelation[User] = fields.ForeignKeyField(
        "models.User", related_name="participations", on_delete=fields.CASCADE
    )
    user_id: int
    created_at = fields.DatetimeField(auto_now_add=True)

    class Meta:
        table = "issue_participants"
        unique_together = (("issue_id", "user_id"),)
        indexes = (("user_id", "issue_id"),)


class Tag(Model):
    id = fields.IntField(primary_key=True)
    name = fields.CharField(max_length=64, unique=True)
    created_at = fields.DatetimeField(auto_now_add=True)

    class Meta:
        table = "tags"


class IssueTag(Model):
    id = fields.IntField(primary_key=True)
    issue: fields.ForeignKeyRelation[Issue] = fields.ForeignKeyField(
        "models.Issue", related_name="tag_links", on_delete=fields.CASCADE
    )
    issue_id: int
    tag: fields.ForeignKeyRelation[Tag] = fields.ForeignKeyField(
        "models.Tag", related_name="issue_links", on_delete=fields.CASCADE
    )
    tag_id: int

    class Meta:
        table = "issue_tags"
        unique_together = (("issue_id", "tag_id"),)
        indexes = (("tag_id", "issue_id"),)


class IssueEvent(Model):
    id = fields.IntField(primary_key=True)
    issue: fields.ForeignKeyRelation[Issue] = fields.ForeignKeyField(
        "models.Issue", related_name="events", on_delete=fields.CASCADE
    )
    issue_id: int
    kind = fields.CharEnumField(EventKind, max_length=16)
    description = fields.TextField()
    author: fields.ForeignKeyNullableRelation[User] = fields.ForeignKeyField(
        "models.User", related_name="issue_events", null=True, on_delete=fields.SET_NULL
    )
    author_id: int | None
    created_at = fields.DatetimeField(auto_now_add=True)
    updated_at = fields.DatetimeField(auto_now=True)

    class Meta:
        table = "issue_events"
        indexes = (("issue_id", "id"),)
