"""Working an issue together: participants, invitations, action items, facts and uploads."""

import strawberry

from ...models import Upload
from ...resolvers.issues import participants, parts, uploads
from ...resolvers.issues.uploads import UploadStore
from ..context import Info
from ..errors import IsAuthenticated, UserError, payload_of
from ..relay import database_id
from .inputs import decode_issue_id
from .mutations import IssuePayload
from .part_inputs import (
    AddActionItemInput,
    AddFactInput,
    DeleteActionItemInput,
    DeleteFactInput,
    InviteToIssueInput,
    RemoveIssueParticipantInput,
    UpdateActionItemInput,
    UpdateFactInput,
    UploadIssueFileInput,
)
from .parts import ActionItemType, FactType, InvitationType, UploadType
from .types import IssueType


@strawberry.type
class InvitationPayload:
    invitation: InvitationType | None = None
    errors: list[UserError]


@strawberry.type
class ActionItemPayload:
    action_item: ActionItemType | None = strawberry.field(
        default=None, description="As it is now; as it was, when deleted."
    )
    errors: list[UserError]


@strawberry.type
class FactPayload:
    fact: FactType | None = strawberry.field(
        default=None, description="As it is now; as it was, when deleted."
    )
    errors: list[UserError]


@strawberry.type
class IssueUploadPayload:
    upload: UploadType | None = None
    errors: list[UserError]


@strawberry.type
class IssuePartMutations:
    @strawberry.mutation(permission_classes=[IsAuthenticated])
    async def invite_to_issue(self, info: Info, input: InviteToIssueInput) -> InvitationPayload:
        return await payload_of(
            InvitationPayload,
            lambda: participants.invite_to_issue(
                info.context.scope, decode_issue_id(input.issue_id, "issue_id"), input.email
            ),
            field="invitation",
            wrap=InvitationType.from_row,
        )

    @strawberry.mutation(permission_classes=[IsAuthenticated])
    async def remove_issue_participant(
        self, info: Info, input: RemoveIssueParticipantInput
    ) -> IssuePayload:
        return await payload_of(
            IssuePayload,
            lambda: participants.remove_participant(
                info.context.scope,
                decode_issue_id(input.issue_id, "issue_id"),
                database_id(input.user_id, "User", field="user_id"),
            ),
            field="issue",
            wrap=IssueType.from_row,
        )

    @strawberry.mutation(permission_classes=[IsAuthenticated])
    async def add_action_item(self, info: Info, input: AddActionItemInput) -> ActionItemPayload:
        return await payload_of(
            ActionItemPayload,
            lambda: parts.add_action_item(
                info.context.scope, decode_issue_id(input.issue_id, "issue_id"), input.to_changes()
            ),
            field="action_item",
            wrap=ActionItemType.from_row,
        )

    @strawberry.mutation(permission_classes=[IsAuthenticated])
    async def update_action_item(
        self, info: Info, input: UpdateActionItemInput
    ) -> ActionItemPayload:
        return await payload_of(
            ActionItemPayload,
            lambda: parts.update_action_item(
                info.context.scope, database_id(input.id, "ActionItem"), input.to_changes()
            ),
            field="action_item",
            wrap=ActionItemType.from_row,
        )

    @strawberry.mutation(permission_classes=[IsAuthenticated])
    async def delete_action_item(
        self, info: Info, input: DeleteActionItemInput
    ) -> ActionItemPayload:
        return await payload_of(
            ActionItemPayload,
            lambda: parts.delete_action_item(
                info.context.scope, database_id(input.id, "ActionItem")
            ),
            field="action_item",
            wrap=ActionItemType.from_row,
        )

    @strawberry.mutation(permission_classes=[IsAuthenticated])
    async def add_fact(self, info: Info, input: AddFactInput) -> FactPayload:
        return await payload_of(
            FactPayload,
            lambda: parts.add_fact(
                info.context.scope, decode_issue_id(input.issue_id, "issue_id"), input.description
            ),
            field="fact",
            wrap=FactType.from_row,
        )

    @strawberry.mutation(permission_classes=[IsAuthenticated])
    async def update_fact(self, info: Info, input: UpdateFactInput) -> FactPayload:
        return await payload_of(
            FactPayload,
            lambda: parts.update_fact(
                info.context.scope, database_id(input.id, "Fact"), input.description
            ),
            field="fact",
            wrap=FactType.from_row,
        )

    @strawberry.mutation(permission_classes=[IsAuthenticated])
    async def delete_fact(self, info: Info, input: DeleteFactInput) -> FactPayload:
        return await payload_of(
            FactPayload,
            lambda: parts.delete_fact(info.context.scope, database_id(input.id, "Fact")),
            field="fact",
            wrap=FactType.from_row,
        )

    @strawberry.mutation(permission_classes=[IsAuthenticated])
    async def upload_issue_file(
        self, info: Info, input: UploadIssueFileInput
    ) -> IssueUploadPayload:
        async def add() -> Upload:
            received, issue_id = input.received_file(), decode_issue_id(input.issue_id, "issue_id")
            store = UploadStore.configured_by(info.context.settings)
            return await uploads.add_upload(info.context.scope, issue_id, received, store)

        return await payload_of(IssueUploadPayload, add, field="upload", wrap=UploadType.from_row)
