"""What people working an issue together attach to it: invitations, action items, facts and
uploaded files."""

from datetime import date, datetime
from uuid import UUID

import strawberry

from ...models import ActionItem, Fact, Invitation, Upload
from ...resolvers.issues.download_links import signed_download_url
from ...resolvers.issues.uploads import download_path
from ..context import Info
from ..relay import DATABASE_ID, Node, to_global_id
from ..users.types import UserType


async def _user(info: Info, user_id: int | None) -> UserType | None:
    if user_id is None:
        return None
    user = await info.context.loaders.user_by_id.load(user_id)
    return UserType.from_row(user) if user else None


@strawberry.type(
    name="Invitation",
    description="An invitation by e-mail to take part in an issue; shown to those taking part.",
)
class InvitationType(Node):
    database_id: int = strawberry.field(description=DATABASE_ID)
    email: str = strawberry.field(description="The address the invitation was sent to.")
    accepted_at: datetime | None = strawberry.field(
        description="When the link was followed and the person joined; null until then."
    )
    created_at: datetime = strawberry.field(description="When the invitation was sent.")
    _invited_by_id: strawberry.Private[int | None]
    _accepted_by_id: strawberry.Private[int | None]

    @classmethod
    def from_row(cls, invitation: Invitation) -> "InvitationType":
        return cls(
            id=to_global_id("Invitation", invitation.id),
            database_id=invitation.id,
            email=invitation.email,
            accepted_at=invitation.accepted_at,
            created_at=invitation.created_at,
            _invited_by_id=invitation.invited_by_id,
            _accepted_by_id=invitation.accepted_by_id,
        )

    @strawberry.field(description="Who sent it; null if their account was removed.")
    async def invited_by(self, info: Info) -> UserType | None:
        return await _user(info, self._invited_by_id)

    @strawberry.field(description="Who joined through the invitation; null until accepted.")
    async def accepted_by(self, info: Info) -> UserType | None:
        return await _user(info, self._accepted_by_id)


@strawberry.type(name="ActionItem", description="Something to do about an issue.")
class ActionItemType(Node):
    database_id: int = strawberry.field(description=DATABASE_ID)
    description: str = strawberry.field(description="What is to be done.")
    done: bool = strawberry.field(description="Whether it has been done.")
    due_on: date | None = strawberry.field(
        description="The day it should be done by; null when it has no due date."
    )
    created_at: datetime = strawberry.field(description="When the item was added.")
    updated_at: datetime = strawberry.field(description="When the item last changed.")
    _assignee_id: strawberry.Private[int | None]
    _created_by_id: strawberry.Private[int | None]

    @classmethod
    def from_row(cls, item: ActionItem) -> "ActionItemType":
        return cls(
            id=to_global_id("ActionItem", item.id),
            database_id=item.id,
            description=item.description,
            done=item.done,
            due_on=item.due_on,
            created_at=item.created_at,
            updated_at=item.updated_at,
            _assignee_id=item.assignee_id,
            _created_by_id=item.created_by_id,
        )

    @strawberry.field(
        description="Who is to do it, someone taking part in the issue; null when unassigned."
    )
    async def assignee(self, info: Info) -> UserType | None:
        return await _user(info, self._assignee_id)

    @strawberry.field(description="Who added the item; null if their account was removed.")
    async def created_by(self, info: Info) -> UserType | None:
        return await _user(info, self._created_by_id)


@strawberry.type(name="Fact", description="Something known about an issue.")
class FactType(Node):
    database_id: int = strawberry.field(description=DATABASE_ID)
    description: str = strawberry.field(description="What is known, never empty.")
    created_at: datetime = strawberry.field(description="When the fact was added.")
    updated_at: datetime = strawberry.field(description="When the fact last changed.")
    _author_id: strawberry.Private[int | None]

    @classmethod
    def from_row(cls, fact: Fact) -> "FactType":
        return cls(
            id=to_global_id("Fact", fact.id),
            database_id=fact.id,
            description=fact.description,
            created_at=fact.created_at,
            updated_at=fact.updated_at,
            _author_id=fact.author_id,
        )

    @strawberry.field(description="Who added the fact; null if their account was removed.")
    async def author(self, info: Info) -> UserType | None:
        return await _user(info, self._author_id)


@strawberry.type(name="IssueUpload", description="A file attached to an issue.")
class UploadType(Node):
    database_id: int = strawberry.field(description=DATABASE_ID)
    guid: UUID = strawberry.field(description="The file's UUID, as in its download `url`.")
    file_name: str = strawberry.field(description="The name it was sent with, without a path.")
    content_type: str = strawberry.field(
        description="The media type the sender declared, unchecked; "
        "`application/octet-stream` when none was."
    )
    size: int = strawberry.field(description="The file's size in bytes.")
    created_at: datetime = strawberry.field(description="When the file was uploaded.")
    _uploaded_by_id: strawberry.Private[int | None]

    @classmethod
    def from_row(cls, upload: Upload) -> "UploadType":
        return cls(
            id=to_global_id("IssueUpload", upload.id),
            database_id=upload.id,
            guid=upload.guid,
            file_name=upload.file_name,
            content_type=upload.content_type,
            size=upload.size,
            created_at=upload.created_at,
            _uploaded_by_id=upload.uploaded_by_id,
        )

    @strawberry.field(
        description="Where to download the file (always as an attachment): it answers those "
        "who may see the issue, with their bearer token; a browser, which cannot send one, "
        "takes `downloadUrl`."
    )
    def url(self, info: Info) -> str:
        return info.context.settings.public_url.rstrip("/") + download_path(self.guid)

    @strawberry.field(
        description="A link that downloads the file without a token, for a browser's `<img "
        "src>` or a plain link: signed, it works for whoever holds it for UPLOAD_LINK_MINUTES "
        "(15 by default) to twice that, and stays the same meanwhile so the file can be "
        "cached. Ask again for a fresh one."
    )
    def download_url(self, info: Info) -> str:
        return signed_download_url(info.context.settings, self.guid, info.context.clock())

    @strawberry.field(description="Who uploaded the file; null if their account was removed.")
    async def uploaded_by(self, info: Info) -> UserType | None:
        return await _user(info, self._uploaded_by_id)
