import strawberry

from ..enums import Role


@strawberry.input
class CreateCompanyInput:
    name: str
    logo_url: str | None = None
    is_public: bool = True


@strawberry.input
class UpdateCompanyInput:
    id: strawberry.ID
    name: str | None = None
    logo_url: str | None = None
    is_public: bool | None = None


@strawberry.input
class DeleteCompanyInput:
    id: strawberry.ID


@strawberry.input
class AddCompanyMemberInput:
    company_id: strawberry.ID
    email: str
    role: Role = Role.MEMBER


@strawberry.input
class InviteCompanyMemberInput:
    company_id: strawberry.ID
    email: str
    role: Role = Role.MEMBER


@strawberry.input
class ChangeCompanyMemberRoleInput:
    company_id: strawberry.ID
    user_id: strawberry.ID
    role: Role


@strawberry.input
class RemoveCompanyMemberInput:
    company_id: strawberry.ID
    user_id: strawberry.ID


@strawberry.input
class CreateCategoryInput:
    company_id: strawberry.ID
    name: str


@strawberry.input
class UpdateCategoryInput:
    id: strawberry.ID
    name: str


@strawberry.input
class DeleteCategoryInput:
    id: strawberry.ID
