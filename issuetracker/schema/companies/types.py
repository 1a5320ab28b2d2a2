from datetime import datetime
from typing import TYPE_CHECKING, Annotated

import strawberry

from ...models import Category, Company, Membership
from ...resolvers.audit.reads import company_audit_log
from ...resolvers.status.urls import status_page_url
from ..audit.types import AuditEntryConnection, AuditEntryType
from ..context import Info
from ..enums import Role
from ..issues.inputs import IssueOrderBy, order_of
from ..orders import CategoryOrderBy
from ..relay import (
    DATABASE_ID,
    After,
    Before,
    Connection,
    First,
    Last,
    Node,
    page_args,
    to_global_id,
)
from ..users.types import UserType
from .invitation_types import CompanyInvitationType
from .viewer_flags import administers, member_of_categorys_company, member_of_company

if TYPE_CHECKING:
    from strawberry.dataloader import DataLoader

    from ...models import Issue
    from ...resolvers.core.pagination import Page
    from ..issues.types import IssueType
    from ..loaders import IssuePageKey

LazyIssue = Annotated["IssueType", strawberry.lazy("issuetracker.schema.issues.types")]


async def _issue_page(
    loader: "DataLoader[IssuePageKey, Page[Issue]]",
    parent_id: int,
    order_by: IssueOrderBy,
    first: First,
    after: After,
    last: Last,
    before: Before,
) -> Connection[LazyIssue]:
    """A page of a company's or a category's issues, through the request's loader."""
    from ..issues.types import IssueType

    key = (parent_id, page_args(first, after, last, before), order_of(order_by))
    return Connection.from_page(await loader.load(key), IssueType.from_row)


@strawberry.type(
    name="Company",
    description="An organisation that owns categories of issues and has members. Seen by "
    "everyone when public, by its members only when private.",
)
class CompanyType(Node):
    database_id: int = strawberry.field(description=DATABASE_ID)
    name: str = strawberry.field(description="The company's name.")
    logo_url: str | None = strawberry.field(description="The URL of its logo, if it has one.")
    is_public: bool = strawberry.field(
        description="Whether everyone, even anonymous viewers, sees the company, its categories "
        "and their issues; when false, only its members do."
    )
    slug: str | None = strawberry.field(
        description="The name of its status page: lower-case letters, digits and dashes, "
        "unique. Null only for a company added to the database by hand, until an owner or "
        "admin gives it one."
    )
    created_at: datetime = strawberry.field(description="When the company was created.")
    updated_at: datetime = strawberry.field(description="When the company last changed.")
    viewer_can_administer: bool = administers(
        "Whether the viewer is an owner or admin of the company, who may make it public or "
        "private, change its slug (`updateCompany`) and manage its members."
    )
    viewer_can_delete: bool = administers(
        "Whether the viewer may delete the company (`deleteCompany`): an owner or admin."
    )
    viewer_can_create_category: bool = member_of_company(
        "Whether the viewer may add a category to the company (`createCategory`): a member."
    )
    _row: strawberry.Private[Company]

    @classmethod
    def from_row(cls, company: Company) -> "CompanyType":
        return cls(
            id=to_global_id("Company", company.id),
            database_id=company.id,
            name=company.name,
            logo_url=company.logo_url,
            is_public=company.is_public,
            slug=company.slug,
            created_at=company.created_at,
            updated_at=company.updated_at,
            _row=company,
        )

    @strawberry.field(
        description="The URL of its public status page (open issues by category, each issue's "
        "timeline, Atom feeds, following by e-mail); null for a private company."
    )
    def status_page_url(self, info: Info) -> str | None:
        return status_page_url(info.context.settings.public_url, self._row)

    @strawberry.field(description="The company's categories, oldest first or in `orderBy`.")
    async def categories(
        self,
        info: Info,
        order_by: CategoryOrderBy = None,
        first: First = None,
        after: After = None,
        last: Last = None,
        before: Before = None,
    ) -> Connection["CategoryType"]:
        args = page_args(first, after, last, before)
        loaders = info.context.loaders
        if order_by is not None:
            key = (self.database_id, args, order_by.to_order())
            page = await loaders.category_page_by_company.load(key)
            return Connection.from_page(page, CategoryType.from_row)
        rows = await loaders.categories_by_company_id.load(self.database_id)
        return Connection.of_loaded(rows, args, CategoryType.from_row)

    @strawberry.field(
        description="Issues in any of the company's categories, newest first or in `orderBy`."
    )
    async def issues(
        self,
        info: Info,
        order_by: IssueOrderBy = None,
        first: First = None,
        after: After = None,
        last: Last = None,
        before: Before = None,
    ) -> Connection[LazyIssue]:
        loader = info.context.loaders.issue_page_by_company
        return await _issue_page(loader, self.database_id, order_by, first, after, last, before)

    @strawberry.field(
        description="The company's audit log, newest first: membership and roles, visibility, "
        "slug, deletions. For its owners and admins; null, with a FORBIDDEN error, for anyone "
        "else."
    )
    async def audit_log(
        self, info: Info, first: First = None, after: After = None
    ) -> AuditEntryConnection | None:
        args = page_args(first, after, None, None)
        page = await company_audit_log(info.context.scope, self.database_id, args)
        return Connection.from_page(page, AuditEntryType.from_row)

    @strawberry.field(description="The viewer's role in the company; null when not a member.")
    async def viewer_role(self, info: Info) -> Role | None:
        return await info.context.loaders.viewer_role_by_company_id.load(self.database_id)

    @strawberry.field(
        description="The invitations waiting to be accepted (not expired), oldest first: for "
        "the company's owners and admins; empty for everyone else."
    )
    async def invitations(
        self,
        info: Info,
        first: First = None,
        after: After = None,
        last: Last = None,
        before: Before = None,
    ) -> Connection[CompanyInvitationType]:
        loader = info.context.loaders.pending_invitations_by_company_id
        rows = await loader.load(self.database_id)
        args = page_args(first, after, last, before)
        return Connection.of_loaded(rows, args, CompanyInvitationType.from_row)


@strawberry.type(
    name="Category",
    description="A group of issues within a company, such as a department. Seen by whoever "
    "sees its company.",
)
class CategoryType(Node):
    database_id: int = strawberry.field(description=DATABASE_ID)
    name: str = strawberry.field(description="The category's name, unique within its company.")
    created_at: datetime = strawberry.field(description="When the category was created.")
    updated_at: datetime = strawberry.field(description="When the category was last renamed.")
    viewer_can_update: bool = member_of_categorys_company(
        "Whether the viewer may rename the category (`updateCategory`): a member of its company."
    )
    viewer_can_delete: bool = member_of_categorys_company(
        "Whether the viewer may delete the category (`deleteCategory`): a member of its company."
    )
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

    @strawberry.field(description="The company the category belongs to.")
    async def company(self, info: Info) -> CompanyType:
        company = await info.context.loaders.company_by_id.load(self._company_id)
        assert company is not None, "a visible category always has a visible company"
        return CompanyType.from_row(company)

    @strawberry.field(description="Issues in this category, newest first or in `orderBy`.")
    async def issues(
        self,
        info: Info,
        order_by: IssueOrderBy = None,
        first: First = None,
        after: After = None,
        last: Last = None,
        before: Before = None,
    ) -> Connection[LazyIssue]:
        loader = info.context.loaders.issue_page_by_category
        return await _issue_page(loader, self.database_id, order_by, first, after, last, before)


@strawberry.type(name="Membership", description="A person's place in a company.")
class MembershipType:
    role: Role = strawberry.field(description="What the member may do in the company.")
    _user_id: strawberry.Private[int]
    _company: strawberry.Private[Company]

    @classmethod
    def from_row(cls, membership: Membership, company: Company) -> "MembershipType":
        return cls(role=membership.role, _user_id=membership.user_id, _company=company)

    @strawberry.field(description="The company the person is a member of.")
    def company(self) -> CompanyType:
        return CompanyType.from_row(self._company)

    @strawberry.field(description="The person who is a member.")
    async def user(self, info: Info) -> UserType:
        user = await info.context.loaders.user_by_id.load(self._user_id)
        assert user is not None, "a membership always has a user"
        return UserType.from_row(user)
