from typing import Annotated
from uuid import UUID

import strawberry

from ...resolvers.core.errors import ValidationFailed
from ...resolvers.issues import reads
from ...resolvers.issues.inputs import IssueFilter
from ..context import Info
from ..relay import After, Before, Connection, First, Last, page_args
from .inputs import IssueFilterInput, IssueOrderBy, decode_issue_id, order_of
from .types import IssueType


@strawberry.type
class IssueQueries:
    @strawberry.field(description="Issues the viewer may see, newest first or in `orderBy`.")
    async def issues(
        self,
        info: Info,
        filter: Annotated[
            IssueFilterInput | None,
            strawberry.argument(
                description="Which issues to list; every one the viewer may see (deleted ones "
                "aside) when left out."
            ),
        ] = None,
        order_by: IssueOrderBy = None,
        first: First = None,
        after: After = None,
        last: Last = None,
        before: Before = None,
    ) -> Connection[IssueType]:
        wanted = filter.to_filter() if filter else IssueFilter()
        args = page_args(first, after, last, before)
        page = await reads.list_issues(info.context.scope, wanted, args, order_of(order_by))
        return Connection.from_page(page, IssueType.from_row)

    @strawberry.field(
        description="One issue, by exactly one of `id`, `databaseId` or `guid`; null, with a "
        "NOT_FOUND error, when the viewer may not see it or it was deleted (unless "
        "`includeDeleted`)."
    )
    async def issue(
        self,
        info: Info,
        id: Annotated[
            strawberry.ID | None, strawberry.argument(description="The issue's global id.")
        ] = None,
        database_id: Annotated[
            int | None, strawberry.argument(description="The issue's database id.")
        ] = None,
        guid: Annotated[
            UUID | None,
            strawberry.argument(description="The issue's UUID, as the Kinetic REST API names it."),
        ] = None,
        include_deleted: Annotated[
            bool, strawberry.argument(description="Find the issue even when it was deleted.")
        ] = False,
    ) -> IssueType | None:
        if sum(value is not None for value in (id, database_id, guid)) != 1:
            raise ValidationFailed.single("id", "Pass exactly one of `id`, `databaseId`, `guid`.")
        issue_id = database_id if id is None else decode_issue_id(id)
        issue = await reads.get_issue(
            info.context.scope, issue_id=issue_id, guid=guid, include_deleted=include_deleted
        )
        return IssueType.from_row(issue)
