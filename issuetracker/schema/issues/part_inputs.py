"""The inputs of the mutations that work an issue together."""

from datetime import date

import strawberry
from strawberry.file_uploads import Upload

from ...resolvers.core.errors import ErrorCode, ValidationFailed
from ...resolvers.issues.parts import PartChanges
from ...resolvers.issues.uploads import ReceivedFile
from .inputs import user_id_of

_ISSUE = "The issue's global id: an open issue the viewer may manage."
_TEXT = "The text, 1 to 65535 characters."


@strawberry.input(description="Someone to invite by e-mail to take part in an issue.")
class InviteToIssueInput:
    issue_id: strawberry.ID = strawberry.field(description=_ISSUE)
    email: str = strawberry.field(
        description="Gets an e-mail with a link to join; asking again sends nothing more."
    )


@strawberry.input(description="Someone to remove from the people taking part in an issue.")
class RemoveIssueParticipantInput:
    issue_id: strawberry.ID = strawberry.field(description=_ISSUE)
    user_id: strawberry.ID = strawberry.field(
        description="The participant's global user id: anyone but the owner (OWNER)."
    )


@strawberry.input(description="A new action item of an issue.")
class AddActionItemInput:
    issue_id: strawberry.ID = strawberry.field(description=_ISSUE)
    description: str = strawberry.field(description="What is to be done, 1 to 65535 characters.")
    done: bool = strawberry.field(default=False, description="Whether it is done already.")
    assignee_id: strawberry.ID | None = strawberry.field(
        default=None, description="Who is to do it: someone taking part in the issue."
    )
    due_on: date | None = strawberry.field(
        default=None, description="The day it should be done by."
    )

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
    id: strawberry.ID = strawberry.field(description="The action item to change.")
    description: str | None = strawberry.field(
        default=None, description="What is to be done, 1 to 65535 characters."
    )
    done: bool | None = strawberry.field(default=None, description="Whether it has been done.")
    assignee_id: strawberry.Maybe[strawberry.ID | None] = strawberry.field(
        default=None,
        description="Who is to do it, someone taking part in the issue; null unassigns it.",
    )
    due_on: strawberry.Maybe[date | None] = strawberry.field(
        default=None, description="The day it should be done by; null removes it."
    )

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


@strawberry.input(description="The action item to delete.")
class DeleteActionItemInput:
    id: strawberry.ID = strawberry.field(description="The action item's global id.")


@strawberry.input(description="A new fact of an issue.")
class AddFactInput:
    issue_id: strawberry.ID = strawberry.field(description=_ISSUE)
    description: str = strawberry.field(description=_TEXT)


@strawberry.input(description="A fact's new text.")
class UpdateFactInput:
    id: strawberry.ID = strawberry.field(description="The fact to change.")
    description: str = strawberry.field(description=_TEXT)


@strawberry.input(description="The fact to delete.")
class DeleteFactInput:
    id: strawberry.ID = strawberry.field(description="The fact's global id.")


@strawberry.input(description="Sent as a GraphQL multipart request, the file in `file`.")
class UploadIssueFileInput:
    issue_id: strawberry.ID = strawberry.field(description=_ISSUE)
    file: Upload = strawberry.field(
        description="The file: a part of the multipart request (NOT_A_FILE otherwise) of at "
        "most the server's UPLOAD_MAX_BYTES (10 MiB by default; larger ones get HTTP 413)."
    )

    def received_file(self) -> ReceivedFile:
        """A value that is not a file part (e.g. a string in JSON variables) is invalid."""
        if not isinstance(self.file, ReceivedFile):
            raise ValidationFailed.single(
                "file", "Send the file as a part of a multipart request.", ErrorCode.NOT_A_FILE
            )
        return self.file
