from typing import Annotated
from uuid import UUID

import strawberry

from ...resolvers.core.errors import ValidationFailed
from ...resolvers.issues import reads
from ...resolvers.issues.inputs import IssueFilter
from ..context import Info
from ..relay import Connection, page_args
from .inputs import IssueFilterInput, decode_issue_id
from .types import IssueType


@strawberry.type
class IssueQueries:
    @strawberry.field(description="Issues the viewer may see, newest first.")
    async def issues(
        self,
        info: Info,
        filter: IssueFilterInput | None = None,
        first: int | None = None,
        after: str | None = None,
        last: int | None = None,
        before: str | None = None,
    ) -> Connection[IssueType]:
        wanted = filter.to_filter() if filter else IssueFilter()
        args = page_args(first, after, last, before)
        page = await reads.list_issues(info.context.scope, wanted, args)
        return Connection.from_page(page, IssueType.from_row)

    @strawberry.field(description="One issue, by exactly one of `id`, `databaseId` or `guid`.")
    async def issue(
        self,
        info: Info,
        id: strawberry.ID | None = None,
        database_id: int | None = None,
        guid: UUID | None = None,
        include_deleted: Annotated[
            bool, strawberry.argument(description="Find the issue even when it was deleted.")
        ] = False,
    ) -> IssueType:
        if sum(value is not None for value in (id, database_id, guid)) != 1:
            raise ValidationFailed.single("id", "Pass exactly one of `id`, `databaseId`, `guid`.")
        issue_id = database_id if id is None else decode_issue_id(id)
        issue = await reads.get_issue(
            info.context.scope, issue_id=issue_id, guid=guid, include_deleted=include_deleted
        )
        return IssueType.from_row(issue)
