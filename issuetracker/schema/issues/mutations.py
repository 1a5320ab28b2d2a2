import strawberry

from ...resolvers import issues
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
            lambda: issues.create_issue(
                info.context.actor,
                input.to_draft(),
                allowed_webhook_hosts=info.context.settings.webhook_allowed_hosts,
            ),
            field="issue",
            wrap=IssueType.from_row,
        )

    @strawberry.mutation(permission_classes=[IsAuthenticated])
    async def update_issue(self, info: Info, input: UpdateIssueInput) -> IssuePayload:
        return await payload_of(
            IssuePayload,
            lambda: issues.update_issue(
                info.context.actor,
                decode_issue_id(input.id),
                input.to_changes(),
                allowed_webhook_hosts=info.context.settings.webhook_allowed_hosts,
            ),
            field="issue",
            wrap=IssueType.from_row,
        )

    @strawberry.mutation(permission_classes=[IsAuthenticated])
    async def add_issue_event(self, info: Info, input: AddIssueEventInput) -> IssueEventPayload:
        return await payload_of(
            IssueEventPayload,
            lambda: issues.add_issue_event(
                info.context.actor, decode_issue_id(input.issue_id, "issue_id"), input.description
            ),
            field="event",
            wrap=IssueEventType.from_row,
        )

    @strawberry.mutation(permission_classes=[IsAuthenticated])
    async def close_issue(self, info: Info, input: CloseIssueInput) -> IssuePayload:
        return await payload_of(
            IssuePayload,
            lambda: issues.close_issue(
                info.context.actor, decode_issue_id(input.id), input.description
            ),
            field="issue",
            wrap=IssueType.from_row,
        )

    @strawberry.mutation(permission_classes=[IsAuthenticated])
    async def delete_issue(self, info: Info, input: DeleteIssueInput) -> IssuePayload:
        return await payload_of(
            IssuePayload,
            lambda: issues.delete_issue(info.context.actor, decode_issue_id(input.id)),
            field="issue",
            wrap=IssueType.from_row,
        )
