from enum import StrEnum

from tortoise import fields
from tortoise.models import Model

from .issues import Issue


class ChangeKind(StrEnum):
    CREATED = "created"
    UPDATED = "updated"
    CLOSED = "closed"
    DELETED = "deleted"


class LiveChange(Model):
    # A change to an issue, written in the change's own transaction, so that live subscribers
    # in every process hear of it once it commits (and never of one rolled back). Ids only:
    # each subscriber loads what it may see. Kept for an hour.

    id = fields.BigIntField(primary_key=True)
    issue: fields.ForeignKeyRelation[Issue] = fields.ForeignKeyField(
        "models.Issue", related_name="live_changes", on_delete=fields.CASCADE
    )
    issue_id: int
    event_id = fields.IntField(null=True)
    kind = fields.CharEnumField(ChangeKind, max_length=16)
    created_at = fields.DatetimeField()

    class Meta:
        table = "live_changes"
        indexes = (("created_at",),)
