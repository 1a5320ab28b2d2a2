from enum import StrEnum

from tortoise import fields
from tortoise.models import Model

from .users import User


class Role(StrEnum):
    OWNER = "owner"
    ADMIN = "admin"
    MEMBER = "member"


class Company(Model):
    id = fields.IntField(primary_key=True)
    name = fields.CharField(max_length=255)
    logo_url = fields.CharField(max_length=2048, null=True)
    is_public = fields.BooleanField(db_default=True)
    # Where the public status page lives (`/status/<slug>`). The server gives every company one
    # (0012 gave one to each earlier company); a row inserted by hand may have none.
    slug = fields.CharField(max_length=64, null=True, unique=True)
    # Bumped, with the time, in the transaction of every change a status page shows (the
    # company, its categories, their issues and timelines): a rendered copy of a page is good
    # while the version it was made from is the company's (resolvers/status/stamps.py).
    status_version = fields.IntField(db_default=0)
    status_changed_at = fields.DatetimeField(null=True)
    created_at = fields.DatetimeField(auto_now_add=True)
    updated_at = fields.DatetimeField(auto_now=True)

    class Meta:
        table = "companies"


class RetiredSlug(Model):
    # A slug a company had: its status page's old address redirects to the new one for a while
    # (resolvers/companies/slugs.py), and no other company may take it meanwhile.

    id = fields.IntField(primary_key=True)
    company: fields.ForeignKeyRelation[Company] = fields.ForeignKeyField(
        "models.Company", related_name="retired_slugs", on_delete=fields.CASCADE
    )
    company_id: int
    slug = fields.CharField(max_length=64, unique=True)
    retired_at = fields.DatetimeField()

    class Meta:
        table = "company_slugs"


class Membership(Model):
    id = fields.IntField(primary_key=True)
    user: fields.ForeignKeyRelation[User] = fields.ForeignKeyField(
        "models.User", related_name="memberships", on_delete=fields.CASCADE
    )
    user_id: int
    company: fields.ForeignKeyRelation[Company] = fields.ForeignKeyField(
        "models.Company", related_name="memberships", on_delete=fields.CASCADE
    )
    company_id: int
    role = fields.CharEnumField(Role, max_length=16)
    created_at = fields.DatetimeField(auto_now_add=True)

    class Meta:
        table = "memberships"
        unique_together = (("company_id", "user_id"),)
        indexes = (("user_id",),)


class CompanyInvitation(Model):
    """An invitation to join a company, waiting for the person with the address to accept it.
    One per company and address: inviting again renews it."""

    id = fields.IntField(primary_key=True)
    company: fields.ForeignKeyRelation[Company] = fields.ForeignKeyField(
        "models.Company", related_name="invitations", on_delete=fields.CASCADE
    )
    company_id: int
    email = fields.CharField(max_length=254)
    role = fields.CharEnumField(Role, max_length=16)
    invited_by: fields.ForeignKeyNullableRelation[User] = fields.ForeignKeyField(
        "models.User", related_name="company_invitations_sent", null=True, on_delete=fields.SET_NULL
    )
    invited_by_id: int | None
    created_at = fields.DatetimeField()
    """When it was sent, or last renewed."""
    expires_at = fields.DatetimeField()
    accepted_at = fields.DatetimeField(null=True)

    class Meta:
        table = "company_invitations"
        unique_together = (("company_id", "email"),)
        indexes = (("email",),)


class Category(Model):
    id = fields.IntField(primary_key=True)
    company: fields.ForeignKeyRelation[Company] = fields.ForeignKeyField(
        "models.Company", related_name="categories", on_delete=fields.CASCADE
    )
    company_id: int
    name = fields.CharField(max_length=255)
    created_at = fields.DatetimeField(auto_now_add=True)
    updated_at = fields.DatetimeField(auto_now=True)

    class Meta:
        table = "categories"
        unique_together = (("company_id", "name"),)
