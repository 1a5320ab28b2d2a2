from typing import Annotated

import strawberry

from ...models import Membership
from ...resolvers.companies import categories, companies, members
from ...resolvers.companies.companies import CompanyChanges
from ..context import Info
from ..errors import PAYLOAD_ERRORS, IsAuthenticated, UserError, payload_of
from ..relay import database_id
from .inputs import (
    ChangeCompanyMemberRoleInput,
    CreateCategoryInput,
    CreateCompanyInput,
    DeleteCategoryInput,
    DeleteCompanyInput,
    RemoveCompanyMemberInput,
    UpdateCategoryInput,
    UpdateCompanyInput,
)
from .types import CategoryType, CompanyType, MembershipType


@strawberry.type(description="The outcome of a change to a company.")
class CompanyPayload:
    company: CompanyType | None = strawberry.field(
        default=None,
        description="The company as it is now (as it was, when deleted); null when refused.",
    )
    errors: list[UserError] = strawberry.field(description=PAYLOAD_ERRORS)


@strawberry.type(description="The outcome of a change to a company's members.")
class MembershipPayload:
    membership: MembershipType | None = strawberry.field(
        default=None,
        description="The membership as it is now (as it was, when removed); null when refused.",
    )
    errors: list[UserError] = strawberry.field(description=PAYLOAD_ERRORS)


@strawberry.type(description="The outcome of a change to a category.")
class CategoryPayload:
    category: CategoryType | None = strawberry.field(
        default=None,
        description="The category as it is now (as it was, when deleted); null when refused.",
    )
    errors: list[UserError] = strawberry.field(description=PAYLOAD_ERRORS)


async def _membership(info: Info, membership: Membership, company_id: int) -> MembershipType:
    company = await companies.get_company(info.context.scope, company_id)
    return MembershipType.from_row(membership, company)


def _changes(input: CreateCompanyInput | UpdateCompanyInput) -> CompanyChanges:
    return CompanyChanges(
        name=input.name, logo_url=input.logo_url, is_public=input.is_public, slug=input.slug
    )


@strawberry.type
class CompanyMutations:
    @strawberry.mutation(
        permission_classes=[IsAuthenticated],
        description="Creates a company with the viewer as its owner. Needs a verified e-mail "
        "address (FORBIDDEN until then).",
    )
    async def create_company(
        self,
        info: Info,
        input: Annotated[
            CreateCompanyInput, strawberry.argument(description="The company to create.")
        ],
    ) -> CompanyPayload | None:
        return await payload_of(
            CompanyPayload,
            lambda: companies.create_company(info.context.scope, _changes(input)),
            field="company",
            wrap=CompanyType.from_row,
        )

    @strawberry.mutation(
        permission_classes=[IsAuthenticated],
        description="Changes a company. Members edit the name and logo; only owners and admins "
        "make it public or private and change its slug (FORBIDDEN otherwise).",
    )
    async def update_company(
        self,
        info: Info,
        input: Annotated[
            UpdateCompanyInput, strawberry.argument(description="The changes to make.")
        ],
    ) -> CompanyPayload | None:
        return await payload_of(
            CompanyPayload,
            lambda: companies.update_company(
                info.context.scope, database_id(input.id, "Company"), _changes(input)
            ),
            field="company",
            wrap=CompanyType.from_row,
        )

    @strawberry.mutation(
        permission_classes=[IsAuthenticated],
        description="Deletes a company with its categories and memberships, for good; its "
        "issues stay, without those categories. Owners and admins only.",
    )
    async def delete_company(
        self,
        info: Info,
        input: Annotated[
            DeleteCompanyInput, strawberry.argument(description="The company to delete.")
        ],
    ) -> CompanyPayload | None:
        return await payload_of(
            CompanyPayload,
            lambda: companies.delete_company(info.context.scope, database_id(input.id, "Company")),
            field="company",
            wrap=CompanyType.from_row,
        )

    @strawberry.mutation(
        permission_classes=[IsAuthenticated],
        description="Owners and admins only; only owners make or unmake owners, and a company "
        "always keeps one.",
    )
    async def change_company_member_role(
        self,
        info: Info,
        input: Annotated[
            ChangeCompanyMemberRoleInput,
            strawberry.argument(description="The member and their new role."),
        ],
    ) -> MembershipPayload | None:
        async def change() -> MembershipType:
            company_id = database_id(input.company_id, "Company", field="company_id")
            user_id = database_id(input.user_id, "User", field="user_id")
            membership = await members.change_company_member_role(
                info.context.scope, company_id, user_id, input.role
            )
            return await _membership(info, membership, company_id)

        return await payload_of(MembershipPayload, change, field="membership", wrap=lambda m: m)

    @strawberry.mutation(
        permission_classes=[IsAuthenticated],
        description="Removes a member from a company: owners and admins remove others (only "
        "owners remove owners), anyone may leave; a company always keeps one owner.",
    )
    async def remove_company_member(
        self,
        info: Info,
        input: Annotated[
            RemoveCompanyMemberInput, strawberry.argument(description="The member to remove.")
        ],
    ) -> MembershipPayload | None:
        async def remove() -> MembershipType:
            company_id = database_id(input.company_id, "Company", field="company_id")
            user_id = database_id(input.user_id, "User", field="user_id")
            company = await companies.get_company(info.context.scope, company_id)
            membership = await members.remove_company_member(
                info.context.scope, company_id, user_id
            )
            return MembershipType.from_row(membership, company)

        return await payload_of(MembershipPayload, remove, field="membership", wrap=lambda m: m)

    @strawberry.mutation(
        permission_classes=[IsAuthenticated],
        description="Creates a category in a company the viewer is a member of.",
    )
    async def create_category(
        self,
        info: Info,
        input: Annotated[
            CreateCategoryInput, strawberry.argument(description="The category to create.")
        ],
    ) -> CategoryPayload | None:
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

    @strawberry.mutation(
        permission_classes=[IsAuthenticated],
        description="Renames a category; for members of its company.",
    )
    async def update_category(
        self,
        info: Info,
        input: Annotated[
            UpdateCategoryInput, strawberry.argument(description="The category and its new name.")
        ],
    ) -> CategoryPayload | None:
        return await payload_of(
            CategoryPayload,
            lambda: categories.update_category(
                info.context.scope, database_id(input.id, "Category"), input.name
            ),
            field="category",
            wrap=CategoryType.from_row,
        )

    @strawberry.mutation(
        permission_classes=[IsAuthenticated],
        description="Deletes a category for good; its issues stay, without it. For members of "
        "its company.",
    )
    async def delete_category(
        self,
        info: Info,
        input: Annotated[
            DeleteCategoryInput, strawberry.argument(description="The category to delete.")
        ],
    ) -> CategoryPayload | None:
        return await payload_of(
            CategoryPayload,
            lambda: categories.delete_category(
                info.context.scope, database_id(input.id, "Category")
            ),
            field="category",
            wrap=CategoryType.from_row,
        )
