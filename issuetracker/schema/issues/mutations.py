from typing import Annotated

import strawberry

from ...resolvers.issues import writes
from ..context import Info
from ..errors import PAYLOAD_ERRORS, IsAuthenticated, UserError, payload_of
from .inputs import (
    AddIssueEventInput,
    CloseIssueInput,
    CreateIssueInput,
    DeleteIssueInput,
    UpdateIssueInput,
    decode_issue_id,
)
from .types import IssueEventType, IssueType

MANAGERS = (
    "Needs the right to change the issue (see `updateIssue`; FORBIDDEN otherwise), and an open "
    "issue (ISSUE_CLOSED in `errors` otherwise)."
)


@strawberry.type(description="The outcome of a change to an issue.")
class IssuePayload:
    issue: IssueType | None = strawberry.field(
        default=None, description="The issue as it is now; null when refused."
    )
    errors: list[UserError] = strawberry.field(description=PAYLOAD_ERRORS)


@strawberry.type(description="The outcome of `addIssueEvent`.")
class IssueEventPayload:
    event: IssueEventType | None = strawberry.field(
        default=None, description="The new timeline entry; null when refused."
    )
    errors: list[UserError] = strawberry.field(description=PAYLOAD_ERRORS)


@strawberry.type
class IssueMutations:
    @strawberry.mutation(
        permission_classes=[IsAuthenticated],
        description="Creates an open issue, owned by the viewer unless `ownerId` says otherwise. "
        "Needs a verified e-mail address, and membership of every company of the categories "
        "(FORBIDDEN otherwise); without categories the issue belongs to its owner and "
        "participants.",
    )
    async def create_issue(
        self,
        info: Info,
        input: Annotated[CreateIssueInput, strawberry.argument(description="The issue to create.")],
    ) -> IssuePayload | None:
        return await payload_of(
            IssuePayload,
            lambda: writes.create_issue(info.context.scope, input.to_draft()),
            field="issue",
            wrap=IssueType.from_row,
        )

    @strawberry.mutation(
        permission_classes=[IsAuthenticated],
        description="Edits an issue. Who may change an issue: members of every company of its "
        "categories (and of any new ones) or, for an issue without categories, its owner and "
        "participants; FORBIDDEN for others. A closed issue takes no changes (ISSUE_CLOSED in "
        "`errors`).",
    )
    async def update_issue(
        self,
        info: Info,
        input: Annotated[UpdateIssueInput, strawberry.argument(description="The changes to make.")],
    ) -> IssuePayload | None:
        return await payload_of(
            IssuePayload,
            lambda: writes.update_issue(
                info.context.scope, decode_issue_id(input.id), input.to_changes()
            ),
            field="issue",
            wrap=IssueType.from_row,
        )

    @strawberry.mutation(
        permission_classes=[IsAuthenticated],
        description="Adds a note to an issue's timeline; followers and webhooks hear it. "
        + MANAGERS,
    )
    async def add_issue_event(
        self,
        info: Info,
        input: Annotated[
            AddIssueEventInput, strawberry.argument(description="The issue and the note.")
        ],
    ) -> IssueEventPayload | None:
        return await payload_of(
            IssueEventPayload,
            lambda: writes.add_issue_event(
                info.context.scope, decode_issue_id(input.issue_id, "issue_id"), input.description
            ),
            field="event",
            wrap=IssueEventType.from_row,
        )

    @strawberry.mutation(
        permission_classes=[IsAuthenticated],
        description="Closes an issue for good, with a conclusion; it then takes no more "
        "changes. " + MANAGERS,
    )
    async def close_issue(
        self,
        info: Info,
        input: Annotated[
            CloseIssueInput, strawberry.argument(description="The issue and its conclusion.")
        ],
    ) -> IssuePayload | None:
        return await payload_of(
            IssuePayload,
            lambda: writes.close_issue(
                info.context.scope, decode_issue_id(input.id), input.description
            ),
            field="issue",
            wrap=IssueType.from_row,
        )

    @strawberry.mutation(
        permission_classes=[IsAuthenticated],
        description="Deletes an open issue softly: it leaves every list, and nothing of it is "
        "erased (see `Issue.deletedAt`). " + MANAGERS,
    )
    async def delete_issue(
        self,
        info: Info,
        input: Annotated[DeleteIssueInput, strawberry.argument(description="The issue to delete.")],
    ) -> IssuePayload | None:
        return await payload_of(
            IssuePayload,
            lambda: writes.delete_issue(info.context.scope, decode_issue_id(input.id)),
            field="issue",
            wrap=IssueType.from_row,
        )
