"""The inputs of the mutations that work an issue together."""

from datetime import date

import strawberry
from strawberry.file_uploads import Upload

from ...resolvers.core.errors import ErrorCode, ValidationFailed
from ...resolvers.issues.parts import PartChanges
from ...resolvers.issues.uploads import ReceivedFile
from .inputs import user_id_of


@strawberry.input
class InviteToIssueInput:
    issue_id: strawberry.ID
    email: str = strawberry.field(
        description="Gets an e-mail with a link to join; asking again sends nothing more."
    )


@strawberry.input
class RemoveIssueParticipantInput:
    issue_id: strawberry.ID
    user_id: strawberry.ID = strawberry.field(description="Anyone but the owner.")


@strawberry.input
class AddActionItemInput:
    issue_id: strawberry.ID
    description: str
    done: bool = False
    assignee_id: strawberry.ID | None = strawberry.field(
        default=None, description="Someone taking part in the issue."
    )
    due_on: date | None = None

    def to_changes(self) -> PartChanges:
        return PartChanges(
            description=self.description,
            done=self.done,
            assignee_id=user_id_of(self.assignee_id, "assignee_id"),
            due_on=self.due_on,
        )


@strawberry.input(
    description="Fields left out stay as they are; `null` clears the assignee or the due date."
)
class UpdateActionItemInput:
    id: strawberry.ID
    description: str | None = None
    done: bool | None = None
    assignee_id: strawberry.Maybe[strawberry.ID | None] = None
    due_on: strawberry.Maybe[date | None] = None

    def to_changes(self) -> PartChanges:
        assignee, due_on = self.assignee_id, self.due_on
        return PartChanges(
            description=self.description,
            done=self.done,
            assignee_id=user_id_of(assignee.value if assignee else None, "assignee_id"),
            clear_assignee=assignee is not None and assignee.value is None,
            due_on=due_on.value if due_on else None,
            clear_due_on=due_on is not None and due_on.value is None,
        )


@strawberry.input
class DeleteActionItemInput:
    id: strawberry.ID


@strawberry.input
class AddFactInput:
    issue_id: strawberry.ID
    description: str


@strawberry.input
class UpdateFactInput:
    id: strawberry.ID
    description: str


@strawberry.input
class DeleteFactInput:
    id: strawberry.ID


@strawberry.input(description="Sent as a GraphQL multipart request, the file in `file`.")
class UploadIssueFileInput:
    issue_id: strawberry.ID
    file: Upload

    def received_file(self) -> ReceivedFile:
        """A value that is not a file part (e.g. a string in JSON variables) is invalid."""
        if not isinstance(self.file, ReceivedFile):
            raise ValidationFailed.single(
                "file", "Send the file as a part of a multipart request.", ErrorCode.NOT_A_FILE
            )
        return self.file
