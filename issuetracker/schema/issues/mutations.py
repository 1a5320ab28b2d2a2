import strawberry

from ...resolvers.issues import writes
from ..context import Info
from ..errors import IsAuthenticated, UserError, payload_of
from .inputs import (
    AddIssueEventInput,
    CloseIssueInput,
    CreateIssueInput,
    DeleteIssueInput,
    UpdateIssueInput,
    decode_issue_id,
)
from .types import IssueEventType, IssueType


@strawberry.type
class IssuePayload:
    issue: IssueType | None = None
    errors: list[UserError]


@strawberry.type
class IssueEventPayload:
    event: IssueEventType | None = None
    errors: list[UserError]


@strawberry.type
class IssueMutations:
    @strawberry.mutation(permission_classes=[IsAuthenticated])
    async def create_issue(self, info: Info, input: CreateIssueInput) -> IssuePayload:
        return await payload_of(
            IssuePayload,
            lambda: writes.create_issue(info.context.scope, input.to_draft()),
            field="issue",
            wrap=IssueType.from_row,
        )

    @strawberry.mutation(permission_classes=[IsAuthenticated])
    async def update_issue(self, info: Info, input: UpdateIssueInput) -> IssuePayload:
        return await payload_of(
            IssuePayload,
            lambda: writes.update_issue(
                info.context.scope, decode_issue_id(input.id), input.to_changes()
            ),
            field="issue",
            wrap=IssueType.from_row,
        )

    @strawberry.mutation(permission_classes=[IsAuthenticated])
    async def add_issue_event(self, info: Info, input: AddIssueEventInput) -> IssueEventPayload:
        return await payload_of(
            IssueEventPayload,
            lambda: writes.add_issue_event(
                info.context.scope, decode_issue_id(input.issue_id, "issue_id"), input.description
            ),
            field="event",
            wrap=IssueEventType.from_row,
        )

    @strawberry.mutation(permission_classes=[IsAuthenticated])
    async def close_issue(self, info: Info, input: CloseIssueInput) -> IssuePayload:
        return await payload_of(
            IssuePayload,
            lambda: writes.close_issue(
                info.context.scope, decode_issue_id(input.id), input.description
            ),
            field="issue",
            wrap=IssueType.from_row,
        )

    @strawberry.mutation(permission_classes=[IsAuthenticated])
    async def delete_issue(self, info: Info, input: DeleteIssueInput) -> IssuePayload:
        return await payload_of(
            IssuePayload,
            lambda: writes.delete_issue(info.context.scope, decode_issue_id(input.id)),
            field="issue",
            wrap=IssueType.from_row,
        )
