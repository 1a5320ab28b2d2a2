import strawberry

from ...resolvers.companies import categories, companies
from ..context import Info
from ..lookup import one_id
from ..relay import Connection, database_ids, page_args
from .types import CategoryType, CompanyType


@strawberry.type
class CompanyQueries:
    @strawberry.field(description="Public companies and those the viewer is a member of.")
    async def companies(
        self,
        info: Info,
        first: int | None = None,
        after: str | None = None,
        last: int | None = None,
        before: str | None = None,
    ) -> Connection[CompanyType]:
        page = await companies.list_companies(
            info.context.scope, page_args(first, after, last, before)
        )
        return Connection.from_page(page, CompanyType.from_row)

    @strawberry.field
    async def company(
        self, info: Info, id: strawberry.ID | None = None, database_id: int | None = None
    ) -> CompanyType:
        company_id = one_id(id, database_id, "Company")
        return CompanyType.from_row(await companies.get_company(info.context.scope, company_id))

    @strawberry.field(description="Categories of the companies the viewer may see.")
    async def categories(
        self,
        info: Info,
        company_ids: list[strawberry.ID] | None = None,
        first: int | None = None,
        after: str | None = None,
        last: int | None = None,
        before: str | None = None,
    ) -> Connection[CategoryType]:
        wanted = None
        if company_ids is not None:
            wanted = database_ids(company_ids, "Company", field="company_ids")
        page = await categories.list_categories(
            info.context.scope, page_args(first, after, last, before), wanted
        )
        return Connection.from_page(page, CategoryType.from_row)

    @strawberry.field
    async def category(
        self, info: Info, id: strawberry.ID | None = None, database_id: int | None = None
    ) -> CategoryType:
        category_id = one_id(id, database_id, "Category")
        category = await categories.get_category(info.context.scope, category_id)
        return CategoryType.from_row(category)
