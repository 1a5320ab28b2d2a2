import strawberry

from ..enums import Role

_NAME = "The company's name, at most 255 characters."
_LOGO_URL = "The URL of the company's logo, at most 2048 characters; empty removes it."
_SLUG = (
    "The name of its status page (`/status/<slug>`): lower-case letters, digits and single "
    "dashes between them, at most 64 characters, held by no other company now or lately "
    "(BAD_USER_INPUT with the field `slug` otherwise)."
)


@strawberry.input(description="A new company; its creator becomes its owner.")
class CreateCompanyInput:
    name: str = strawberry.field(description=_NAME)
    logo_url: str | None = strawberry.field(default=None, description=_LOGO_URL)
    is_public: bool = strawberry.field(
        default=True,
        description="Whether everyone sees the company and its issues, or only its members.",
    )
    slug: str | None = strawberry.field(
        default=None, description=f"{_SLUG} Left out, one is made from the name."
    )


@strawberry.input(description="Changes to a company; what is left out stays as it is.")
class UpdateCompanyInput:
    id: strawberry.ID = strawberry.field(description="The company to change.")
    name: str | None = strawberry.field(default=None, description=_NAME)
    logo_url: str | None = strawberry.field(default=None, description=_LOGO_URL)
    is_public: bool | None = strawberry.field(
        default=None,
        description="Whether everyone sees the company and its issues. Changing it is for "
        "owners and admins (FORBIDDEN otherwise); other members edit the name and logo.",
    )
    slug: str | None = strawberry.field(
        default=None,
        description=f"{_SLUG} Changing it is for owners and admins; the old one redirects to "
        "the new one for 90 days.",
    )


@strawberry.input(description="The company to delete.")
class DeleteCompanyInput:
    id: strawberry.ID = strawberry.field(description="The company's global id.")


_COMPANY = "The company's global id."
_ROLE = "The role to give; only owners give OWNER."


_EMAIL = (
    "Their e-mail address. The answer is the same whether it has an account, or is a member "
    "already."
)


@strawberry.input(description="A person to invite into a company, as `inviteCompanyMember` takes.")
class AddCompanyMemberInput:
    company_id: strawberry.ID = strawberry.field(description=_COMPANY)
    email: str = strawberry.field(description=_EMAIL)
    role: Role = strawberry.field(default=Role.MEMBER, description=_ROLE)


@strawberry.input(description="A person to invite into a company by e-mail address.")
class InviteCompanyMemberInput:
    company_id: strawberry.ID = strawberry.field(description=_COMPANY)
    email: str = strawberry.field(description=_EMAIL)
    role: Role = strawberry.field(default=Role.MEMBER, description=_ROLE)


@strawberry.input(description="A member of a company and their new role.")
class ChangeCompanyMemberRoleInput:
    company_id: strawberry.ID = strawberry.field(description=_COMPANY)
    user_id: strawberry.ID = strawberry.field(description="The member's global user id.")
    role: Role = strawberry.field(description="The new role; only owners give or take OWNER.")


@strawberry.input(description="A member to remove from a company.")
class RemoveCompanyMemberInput:
    company_id: strawberry.ID = strawberry.field(description=_COMPANY)
    user_id: strawberry.ID = strawberry.field(
        description="The member's global user id; the viewer's own to leave the company."
    )


_CATEGORY_NAME = "The category's name: at most 255 characters, unique within the company."


@strawberry.input(description="A new category in a company.")
class CreateCategoryInput:
    company_id: strawberry.ID = strawberry.field(
        description="The company, one the viewer is a member of."
    )
    name: str = strawberry.field(description=_CATEGORY_NAME)


@strawberry.input(description="A category's new name.")
class UpdateCategoryInput:
    id: strawberry.ID = strawberry.field(description="The category to rename.")
    name: str = strawberry.field(description=_CATEGORY_NAME)


@strawberry.input(description="The category to delete.")
class DeleteCategoryInput:
    id: strawberry.ID = strawberry.field(description="The category's global id.")


_INVITATION = "The invitation's global id."


@strawberry.input(description="An invitation to the viewer's address, to accept.")
class AcceptCompanyInvitationInput:
    id: strawberry.ID = strawberry.field(description=_INVITATION)


@strawberry.input(description="An invitation to the viewer's address, to decline.")
class DeclineCompanyInvitationInput:
    id: strawberry.ID = strawberry.field(description=_INVITATION)


@strawberry.input(description="An invitation of a company the viewer owns or administers.")
class CancelCompanyInvitationInput:
    id: strawberry.ID = strawberry.field(description=_INVITATION)
