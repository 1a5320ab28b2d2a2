from datetime import datetime
from typing import TYPE_CHECKING, Annotated

import strawberry

from ...models import Category, Company, Membership
from ..context import Info
from ..enums import Role
from ..relay import Connection, Node, page_args, to_global_id
from ..users.types import UserType

if TYPE_CHECKING:
    from ..issues.types import IssueType

LazyIssue = Annotated["IssueType", strawberry.lazy("issuetracker.schema.issues.types")]


@strawberry.type(name="Company")
class CompanyType(Node):
    database_id: int
    name: str
    logo_url: str | None
    is_public: bool
    created_at: datetime
    updated_at: datetime

    @classmethod
    def from_row(cls, company: Company) -> "CompanyType":
        return cls(
            id=to_global_id("Company", company.id),
            database_id=company.id,
            name=company.name,
            logo_url=company.logo_url,
            is_public=company.is_public,
            created_at=company.created_at,
            updated_at=company.updated_at,
        )

    @strawberry.field
    async def categories(
        self,
        info: Info,
        first: int | None = None,
        after: str | None = None,
        last: int | None = None,
        before: str | None = None,
    ) -> Connection["CategoryType"]:
        rows = await info.context.loaders.categories_by_company_id.load(self.database_id)
        return Connection.of_loaded(
            rows, page_args(first, after, last, before), CategoryType.from_row
        )

    @strawberry.field(description="The viewer's role in the company, if a member.")
    async def viewer_role(self, info: Info) -> Role | None:
        return await info.context.loaders.viewer_role_by_company_id.load(self.database_id)


@strawberry.type(name="Category")
class CategoryType(Node):
    database_id: int
    name: str
    created_at: datetime
    updated_at: datetime
    _company_id: strawberry.Private[int]

    @classmethod
    def from_row(cls, category: Category) -> "CategoryType":
        return cls(
            id=to_global_id("Category", category.id),
            database_id=category.id,
            name=category.name,
            created_at=category.created_at,
            updated_at=category.updated_at,
            _company_id=category.company_id,
        )

    @strawberry.field
    async def company(self, info: Info) -> CompanyType:
        company = await info.context.loaders.company_by_id.load(self._company_id)
        assert company is not None, "a visible category always has a visible company"
        return CompanyType.from_row(company)

    @strawberry.field(description="Issues in this category, newest first.")
    async def issues(
        self,
        info: Info,
        first: int | None = None,
        after: str | None = None,
        last: int | None = None,
        before: str | None = None,
    ) -> Connection[LazyIssue]:
        from ..issues.types import IssueType

        args = page_args(first, after, last, before)
        page = await info.context.loaders.issue_page_by_category.load((self.database_id, args))
        return Connection.from_page(page, IssueType.from_row)


@strawberry.type(name="Membership")
class MembershipType:
    role: Role
    _user_id: strawberry.Private[int]
    _company: strawberry.Private[Company]

    @classmethod
    def from_row(cls, membership: Membership, company: Company) -> "MembershipType":
        return cls(role=membership.role, _user_id=membership.user_id, _company=company)

    @strawberry.field
    def company(self) -> CompanyType:
        return CompanyType.from_row(self._company)

    @strawberry.field
    async def user(self, info: Info) -> UserType:
        user = await info.context.loaders.user_by_id.load(self._user_id)
        assert user is not None, "a membership always has a user"
        return UserType.from_row(user)
