"""An issue's parts, what people working it together attach to it: invitations, action items,
facts and uploaded files (their bytes live in the file storage, `storage/`, under `storage_key`)."""

from tortoise import fields
from tortoise.models import Model

from .issues import Issue
from .users import User


class Invitation(Model):
    id = fields.IntField(primary_key=True)
    issue: fields.ForeignKeyRelation[Issue] = fields.ForeignKeyField(
        "models.Issue", related_name="invitations", on_delete=fields.CASCADE
    )
    issue_id: int
    email = fields.CharField(max_length=254)
    invited_by: fields.ForeignKeyNullableRelation[User] = fields.ForeignKeyField(
        "models.User", related_name="sent_invitations", null=True, on_delete=fields.SET_NULL
    )
    invited_by_id: int | None
    accepted_by: fields.ForeignKeyNullableRelation[User] = fields.ForeignKeyField(
        "models.User", related_name="accepted_invitations", null=True, on_delete=fields.SET_NULL
    )
    accepted_by_id: int | None
    accepted_at = fields.DatetimeField(null=True)
    created_at = fields.DatetimeField(auto_now_add=True)
    updated_at = fields.DatetimeField(auto_now=True)

    class Meta:
        table = "issue_invitations"
        unique_together = (("issue_id", "email"),)
        indexes = (("email",),)


class ActionItem(Model):
    id = fields.IntField(primary_key=True)
    issue: fields.ForeignKeyRelation[Issue] = fields.ForeignKeyField(
        "models.Issue", related_name="action_items", on_delete=fields.CASCADE
    )
    issue_id: int
    description = fields.TextField()
    done = fields.BooleanField(db_default=False)
    assignee: fields.ForeignKeyNullableRelation[User] = fields.ForeignKeyField(
        "models.User", related_name="assigned_action_items", null=True, on_delete=fields.SET_NULL
    )
    assignee_id: int | None
    due_on = fields.DateField(null=True)
    created_by: fields.ForeignKeyNullableRelation[User] = fields.ForeignKeyField(
        "models.User", related_name="created_action_items", null=True, on_delete=fields.SET_NULL
    )
    created_by_id: int | None
    created_at = fields.DatetimeField(auto_now_add=True)
    updated_at = fields.DatetimeField(auto_now=True)

    class Meta:
        table = "issue_action_items"
        indexes = (("issue_id", "id"),)


class Fact(Model):
    id = fields.IntField(primary_key=True)
    issue: fields.ForeignKeyRelation[Issue] = fields.ForeignKeyField(
        "models.Issue", related_name="facts", on_delete=fields.CASCADE
    )
    issue_id: int
    description = fields.TextField()
    author: fields.ForeignKeyNullableRelation[User] = fields.ForeignKeyField(
        "models.User", related_name="facts", null=True, on_delete=fields.SET_NULL
    )
    author_id: int | None
    created_at = fields.DatetimeField(auto_now_add=True)
    updated_at = fields.DatetimeField(auto_now=True)

    class Meta:
        table = "issue_facts"
        indexes = (("issue_id", "id"),)


class Upload(Model):
    id = fields.IntField(primary_key=True)
    guid = fields.UUIDField(unique=True)
    issue: fields.ForeignKeyRelation[Issue] = fields.ForeignKeyField(
        "models.Issue", related_name="uploads", on_delete=fields.CASCADE
    )
    issue_id: int
    file_name = fields.CharField(max_length=255)
    content_type = fields.CharField(max_length=255)
    size = fields.BigIntField()
    storage_key = fields.CharField(max_length=64, unique=True)
    uploaded_by: fields.ForeignKeyNullableRelation[User] = fields.ForeignKeyField(
        "models.User", related_name="uploads", null=True, on_delete=fields.SET_NULL
    )
    uploaded_by_id: int | None
    created_at = fields.DatetimeField(auto_now_add=True)
    updated_at = fields.DatetimeField(auto_now=True)

    class Meta:
        table = "issue_uploads"
        indexes = (("issue_id", "id"),)
