import strawberry

from ...models import Membership
from ...resolvers.companies import categories, companies, members
from ...resolvers.companies.companies import CompanyChanges
from ..context import Info
from ..errors import IsAuthenticated, UserError, payload_of
from ..relay import database_id
from .inputs import (
    AddCompanyMemberInput,
    ChangeCompanyMemberRoleInput,
    CreateCategoryInput,
    CreateCompanyInput,
    DeleteCategoryInput,
    DeleteCompanyInput,
    InviteCompanyMemberInput,
    RemoveCompanyMemberInput,
    UpdateCategoryInput,
    UpdateCompanyInput,
)
from .types import CategoryType, CompanyType, MembershipType


@strawberry.type
class CompanyPayload:
    company: CompanyType | None = None
    errors: list[UserError]


@strawberry.type
class MembershipPayload:
    membership: MembershipType | None = None
    errors: list[UserError]


@strawberry.type
class CategoryPayload:
    category: CategoryType | None = None
    errors: list[UserError]


async def _membership(info: Info, membership: Membership, company_id: int) -> MembershipType:
    company = await companies.get_company(info.context.scope, company_id)
    return MembershipType.from_row(membership, company)


def _changes(input: CreateCompanyInput | UpdateCompanyInput) -> CompanyChanges:
    return CompanyChanges(name=input.name, logo_url=input.logo_url, is_public=input.is_public)


@strawberry.type
class CompanyMutations:
    @strawberry.mutation(permission_classes=[IsAuthenticated])
    async def create_company(self, info: Info, input: CreateCompanyInput) -> CompanyPayload:
        return await payload_of(
            CompanyPayload,
            lambda: companies.create_company(info.context.scope, _changes(input)),
            field="company",
            wrap=CompanyType.from_row,
        )

    @strawberry.mutation(permission_classes=[IsAuthenticated])
    async def update_company(self, info: Info, input: UpdateCompanyInput) -> CompanyPayload:
        return await payload_of(
            CompanyPayload,
            lambda: companies.update_company(
                info.context.scope, database_id(input.id, "Company"), _changes(input)
            ),
            field="company",
            wrap=CompanyType.from_row,
        )

    @strawberry.mutation(permission_classes=[IsAuthenticated])
    async def delete_company(self, info: Info, input: DeleteCompanyInput) -> CompanyPayload:
        return await payload_of(
            CompanyPayload,
            lambda: companies.delete_company(info.context.scope, database_id(input.id, "Company")),
            field="company",
            wrap=CompanyType.from_row,
        )

    @strawberry.mutation(
        permission_classes=[IsAuthenticated],
        description="Invites a person by e-mail address: an existing user becomes a member, an "
        "unknown address gets an account and a link to choose a password. Either way they are "
        "told by e-mail. Owners and admins only; only owners make owners.",
    )
    async def invite_company_member(
        self, info: Info, input: InviteCompanyMemberInput
    ) -> MembershipPayload:
        async def invite() -> MembershipType:
            company_id = database_id(input.company_id, "Company", field="company_id")
            membership = await members.invite_company_member(
                info.context.scope, company_id, input.email, input.role
            )
            return await _membership(info, membership, company_id)

        return await payload_of(MembershipPayload, invite, field="membership", wrap=lambda m: m)

    @strawberry.mutation(
        permission_classes=[IsAuthenticated],
        deprecation_reason="Use inviteCompanyMember, and changeCompanyMemberRole for roles.",
    )
    async def add_company_member(
        self, info: Info, input: AddCompanyMemberInput
    ) -> MembershipPayload:
        async def add() -> MembershipType:
            company_id = database_id(input.company_id, "Company", field="company_id")
            membership = await members.add_company_member(
                info.context.scope, company_id, input.email, input.role
            )
            return await _membership(info, membership, company_id)

        return await payload_of(MembershipPayload, add, field="membership", wrap=lambda m: m)

    @strawberry.mutation(
        permission_classes=[IsAuthenticated],
        description="Owners and admins only; only owners make or unmake owners, and a company "
        "always keeps one.",
    )
    async def change_company_member_role(
        self, info: Info, input: ChangeCompanyMemberRoleInput
    ) -> MembershipPayload:
        async def change() -> MembershipType:
            company_id = database_id(input.company_id, "Company", field="company_id")
            user_id = database_id(input.user_id, "User", field="user_id")
            membership = await members.change_company_member_role(
                info.context.scope, company_id, user_id, input.role
            )
            return await _membership(info, membership, company_id)

        return await payload_of(MembershipPayload, change, field="membership", wrap=lambda m: m)

    @strawberry.mutation(permission_classes=[IsAuthenticated])
    async def remove_company_member(
        self, info: Info, input: RemoveCompanyMemberInput
    ) -> MembershipPayload:
        async def remove() -> MembershipType:
            company_id = database_id(input.company_id, "Company", field="company_id")
            user_id = database_id(input.user_id, "User", field="user_id")
            company = await companies.get_company(info.context.scope, company_id)
            membership = await members.remove_company_member(
                info.context.scope, company_id, user_id
            )
            return MembershipType.from_row(membership, company)

        return await payload_of(MembershipPayload, remove, field="membership", wrap=lambda m: m)

    @strawberry.mutation(permission_classes=[IsAuthenticated])
    async def create_category(self, info: Info, input: CreateCategoryInput) -> CategoryPayload:
        return await payload_of(
            CategoryPayload,
            lambda: categories.create_category(
                info.context.scope,
                database_id(input.company_id, "Company", field="company_id"),
                input.name,
            ),
            field="category",
            wrap=CategoryType.from_row,
        )

    @strawberry.mutation(permission_classes=[IsAuthenticated])
    async def update_category(self, info: Info, input: UpdateCategoryInput) -> CategoryPayload:
        return await payload_of(
            CategoryPayload,
            lambda: categories.update_category(
                info.context.scope, database_id(input.id, "Category"), input.name
            ),
            field="category",
            wrap=CategoryType.from_row,
        )

    @strawberry.mutation(permission_classes=[IsAuthenticated])
    async def delete_category(self, info: Info, input: DeleteCategoryInput) -> CategoryPayload:
        return await payload_of(
            CategoryPayload,
            lambda: categories.delete_category(
                info.context.scope, database_id(input.id, "Category")
            ),
            field="category",
            wrap=CategoryType.from_row,
        )
