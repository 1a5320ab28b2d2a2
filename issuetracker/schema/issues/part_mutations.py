"""Working an issue together: participants, invitations, action items, facts and uploads."""

from typing import Annotated

import strawberry

from ...app_storage import upload_store
from ...models import Upload
from ...resolvers.issues import participants, parts, uploads
from ..context import Info
from ..errors import PAYLOAD_ERRORS, IsAuthenticated, UserError, payload_of
from ..relay import database_id
from .inputs import decode_issue_id
from .mutations import MANAGERS, IssuePayload
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

_AS_NOW = "As it is now (as it was, when deleted); null when refused."


@strawberry.type(description="The outcome of `inviteToIssue`.")
class InvitationPayload:
    invitation: InvitationType | None = strawberry.field(
        default=None, description="The invitation, new or still pending; null when refused."
    )
    errors: list[UserError] = strawberry.field(description=PAYLOAD_ERRORS)


@strawberry.type(description="The outcome of a change to an action item.")
class ActionItemPayload:
    action_item: ActionItemType | None = strawberry.field(default=None, description=_AS_NOW)
    errors: list[UserError] = strawberry.field(description=PAYLOAD_ERRORS)


@strawberry.type(description="The outcome of a change to a fact.")
class FactPayload:
    fact: FactType | None = strawberry.field(default=None, description=_AS_NOW)
    errors: list[UserError] = strawberry.field(description=PAYLOAD_ERRORS)


@strawberry.type(description="The outcome of `uploadIssueFile`.")
class IssueUploadPayload:
    upload: UploadType | None = strawberry.field(
        default=None, description="The stored file; null when refused."
    )
    errors: list[UserError] = strawberry.field(description=PAYLOAD_ERRORS)


@strawberry.type
class IssuePartMutations:
    @strawberry.mutation(
        permission_classes=[IsAuthenticated],
        description="E-mails an address a link (valid for 14 days) to join an issue; an address "
        "without an account gets one on joining. Needs a verified e-mail address. " + MANAGERS,
    )
    async def invite_to_issue(
        self,
        info: Info,
        input: Annotated[
            InviteToIssueInput, strawberry.argument(description="The issue and the address.")
        ],
    ) -> InvitationPayload | None:
        return await payload_of(
            InvitationPayload,
            lambda: participants.invite_to_issue(
                info.context.scope, decode_issue_id(input.issue_id, "issue_id"), input.email
            ),
            field="invitation",
            wrap=InvitationType.from_row,
        )

    @strawberry.mutation(
        permission_classes=[IsAuthenticated],
        description="Removes someone from the people taking part in an issue. " + MANAGERS,
    )
    async def remove_issue_participant(
        self,
        info: Info,
        input: Annotated[
            RemoveIssueParticipantInput,
            strawberry.argument(description="The issue and the participant."),
        ],
    ) -> IssuePayload | None:
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

    @strawberry.mutation(
        permission_classes=[IsAuthenticated],
        description="Adds an action item to an issue. " + MANAGERS,
    )
    async def add_action_item(
        self,
        info: Info,
        input: Annotated[
            AddActionItemInput, strawberry.argument(description="The issue and the item.")
        ],
    ) -> ActionItemPayload | None:
        return await payload_of(
            ActionItemPayload,
            lambda: parts.add_action_item(
                info.context.scope, decode_issue_id(input.issue_id, "issue_id"), input.to_changes()
            ),
            field="action_item",
            wrap=ActionItemType.from_row,
        )

    @strawberry.mutation(
        permission_classes=[IsAuthenticated],
        description="Changes an action item. " + MANAGERS,
    )
    async def update_action_item(
        self,
        info: Info,
        input: Annotated[
            UpdateActionItemInput, strawberry.argument(description="The item and its changes.")
        ],
    ) -> ActionItemPayload | None:
        return await payload_of(
            ActionItemPayload,
            lambda: parts.update_action_item(
                info.context.scope, database_id(input.id, "ActionItem"), input.to_changes()
            ),
            field="action_item",
            wrap=ActionItemType.from_row,
        )

    @strawberry.mutation(
        permission_classes=[IsAuthenticated],
        description="Deletes an action item for good. " + MANAGERS,
    )
    async def delete_action_item(
        self,
        info: Info,
        input: Annotated[
            DeleteActionItemInput, strawberry.argument(description="The item to delete.")
        ],
    ) -> ActionItemPayload | None:
        return await payload_of(
            ActionItemPayload,
            lambda: parts.delete_action_item(
                info.context.scope, database_id(input.id, "ActionItem")
            ),
            field="action_item",
            wrap=ActionItemType.from_row,
        )

    @strawberry.mutation(
        permission_classes=[IsAuthenticated],
        description="Adds a fact to an issue. " + MANAGERS,
    )
    async def add_fact(
        self,
        info: Info,
        input: Annotated[AddFactInput, strawberry.argument(description="The issue and the fact.")],
    ) -> FactPayload | None:
        return await payload_of(
            FactPayload,
            lambda: parts.add_fact(
                info.context.scope, decode_issue_id(input.issue_id, "issue_id"), input.description
            ),
            field="fact",
            wrap=FactType.from_row,
        )

    @strawberry.mutation(
        permission_classes=[IsAuthenticated],
        description="Changes a fact's text. " + MANAGERS,
    )
    async def update_fact(
        self,
        info: Info,
        input: Annotated[
            UpdateFactInput, strawberry.argument(description="The fact and its new text.")
        ],
    ) -> FactPayload | None:
        return await payload_of(
            FactPayload,
            lambda: parts.update_fact(
                info.context.scope, database_id(input.id, "Fact"), input.description
            ),
            field="fact",
            wrap=FactType.from_row,
        )

    @strawberry.mutation(
        permission_classes=[IsAuthenticated],
        description="Deletes a fact for good. " + MANAGERS,
    )
    async def delete_fact(
        self,
        info: Info,
        input: Annotated[DeleteFactInput, strawberry.argument(description="The fact to delete.")],
    ) -> FactPayload | None:
        return await payload_of(
            FactPayload,
            lambda: parts.delete_fact(info.context.scope, database_id(input.id, "Fact")),
            field="fact",
            wrap=FactType.from_row,
        )

    @strawberry.mutation(
        permission_classes=[IsAuthenticated],
        description="Attaches a file to an issue; send it as a GraphQL multipart request. "
        + MANAGERS,
    )
    async def upload_issue_file(
        self,
        info: Info,
        input: Annotated[
            UploadIssueFileInput, strawberry.argument(description="The issue and the file.")
        ],
    ) -> IssueUploadPayload | None:
        async def add() -> Upload:
            received, issue_id = input.received_file(), decode_issue_id(input.issue_id, "issue_id")
            store = upload_store(info.context.request.app)
            return await uploads.add_upload(info.context.scope, issue_id, received, store)

        return await payload_of(IssueUploadPayload, add, field="upload", wrap=UploadType.from_row)
