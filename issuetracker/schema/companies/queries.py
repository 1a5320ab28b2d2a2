from typing import Annotated

import strawberry

from ...resolvers.companies import categories, companies
from ..context import Info
from ..lookup import one_id
from ..orders import CompanyOrderBy, list_order
from ..relay import After, Before, Connection, First, Last, database_ids, page_args
from .types import CategoryType, CompanyType


@strawberry.type
class CompanyQueries:
    @strawberry.field(
        description="The companies the viewer may see: public ones, and private ones they are "
        "a member of; oldest first, or in `orderBy`."
    )
    async def companies(
        self,
        info: Info,
        order_by: CompanyOrderBy = None,
        first: First = None,
        after: After = None,
        last: Last = None,
        before: Before = None,
    ) -> Connection[CompanyType]:
        page = await companies.list_companies(
            info.context.scope, page_args(first, after, last, before), list_order(order_by)
        )
        return Connection.from_page(page, CompanyType.from_row)

    @strawberry.field(
        description="One company, by exactly one of `id` and `databaseId`; null, with a "
        "NOT_FOUND error, when the viewer may not see it."
    )
    async def company(
        self,
        info: Info,
        id: Annotated[
            strawberry.ID | None, strawberry.argument(description="The company's global id.")
        ] = None,
        database_id: Annotated[
            int | None, strawberry.argument(description="The company's database id.")
        ] = None,
    ) -> CompanyType | None:
        company_id = one_id(id, database_id, "Company")
        return CompanyType.from_row(await companies.get_company(info.context.scope, company_id))

    @strawberry.field(
        description="The categories of the companies the viewer may see, oldest first."
    )
    async def categories(
        self,
        info: Info,
        company_ids: Annotated[
            list[strawberry.ID] | None,
            strawberry.argument(
                description="Only the categories of these companies; an id the viewer may not "
                "see makes the query fail (BAD_USER_INPUT)."
            ),
        ] = None,
        first: First = None,
        after: After = None,
        last: Last = None,
        before: Before = None,
    ) -> Connection[CategoryType]:
        wanted = None
        if company_ids is not None:
            wanted = database_ids(company_ids, "Company", field="company_ids")
        page = await categories.list_categories(
            info.context.scope, page_args(first, after, last, before), wanted
        )
        return Connection.from_page(page, CategoryType.from_row)

    @strawberry.field(
        description="One category, by exactly one of `id` and `databaseId`; null, with a "
        "NOT_FOUND error, when the viewer may not see it."
    )
    async def category(
        self,
        info: Info,
        id: Annotated[
            strawberry.ID | None, strawberry.argument(description="The category's global id.")
        ] = None,
        database_id: Annotated[
            int | None, strawberry.argument(description="The category's database id.")
        ] = None,
    ) -> CategoryType | None:
        category_id = one_id(id, database_id, "Category")
        category = await categories.get_category(info.context.scope, category_id)
        return CategoryType.from_row(category)
