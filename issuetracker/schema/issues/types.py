from datetime import datetime
from typing import Any
from uuid import UUID

import strawberry

from ...models import PART_TIMES, Issue, IssueEvent
from ..companies.types import CategoryType
from ..context import Info
from ..enums import EventKind, IssueStatus, Severity
from ..orders import IssueEventOrderBy
from ..relay import (
    DATABASE_ID,
    After,
    Before,
    Connection,
    First,
    Last,
    Node,
    page_args,
    to_global_id,
)
from ..users.types import UserType
from .parts import ActionItemType, FactType, InvitationType, UploadType
from .viewer_flags import may_change, may_follow


def _part_times(issue: Issue) -> dict[str, Any]:
    return {part: getattr(issue, part) or issue.created_at for part in PART_TIMES}


def _since(part: str) -> str:
    return f"When the issue's {part} last changed; when it was created, until then."


@strawberry.type(name="IssueEvent", description="One entry of an issue's timeline.")
class IssueEventType(Node):
    database_id: int = strawberry.field(description=DATABASE_ID)
    kind: EventKind = strawberry.field(description="What the entry records.")
    description: str = strawberry.field(description="The entry's text, never empty.")
    created_at: datetime = strawberry.field(description="When the entry was written.")
    _author_id: strawberry.Private[int | None]

    @classmethod
    def from_row(cls, event: IssueEvent) -> "IssueEventType":
        return cls(
            id=to_global_id("IssueEvent", event.id),
            database_id=event.id,
            kind=event.kind,
            description=event.description,
            created_at=event.created_at,
            _author_id=event.author_id,
        )

    @strawberry.field(description="Who wrote the entry; null if their account was removed.")
    async def author(self, info: Info) -> UserType | None:
        if self._author_id is None:
            return None
        user = await info.context.loaders.user_by_id.load(self._author_id)
        return UserType.from_row(user) if user else None


@strawberry.type(
    name="Issue",
    description="Something that needs attention, in zero or more categories. Seen by whoever "
    "sees one of its categories' companies, and by its owner and participants.",
)
class IssueType(Node):
    database_id: int = strawberry.field(description=DATABASE_ID)
    guid: UUID = strawberry.field(
        description="The issue's UUID: how `issue(guid:)` and the Kinetic REST API name it."
    )
    name: str = strawberry.field(description="The issue's title, at most 255 characters.")
    description: str = strawberry.field(
        description="The latest description given, at creation or in an edit (each is also a "
        "timeline event); empty when none was given."
    )
    severity: Severity = strawberry.field(description="How severe the issue is.")
    status: IssueStatus = strawberry.field(description="Whether the issue is open or closed.")
    conclusion: str | None = strawberry.field(
        description="The text the issue was closed with; null while open or when closed "
        "without one."
    )
    external_reference_id: str | None = strawberry.field(
        description="The issue's id in another system, as its creator gave it."
    )
    hash_key: str | None = strawberry.field(
        description="A random key of 40 hex digits made with the issue, kept for Kinetic clients."
    )
    conference_number: str | None = strawberry.field(
        description="A conference call number, kept for Kinetic clients; nothing here sets it."
    )
    closed_at: datetime | None = strawberry.field(
        description="When the issue was closed; null while open."
    )
    deleted_at: datetime | None = strawberry.field(
        description="When the issue was deleted; null unless it was. A deleted issue leaves "
        "every list (see `IssueFilterInput.deleted`) and takes no changes; nothing of it is "
        "erased."
    )
    created_at: datetime = strawberry.field(description="When the issue was created.")
    updated_at: datetime = strawberry.field(
        description="When the issue, or anything attached to it, last changed."
    )
    categories_updated_at: datetime = strawberry.field(description=_since("categories"))
    messages_updated_at: datetime = strawberry.field(description=_since("timeline"))
    unknowns_updated_at: datetime = strawberry.field(
        description="When the issue's unknowns last changed, kept for Kinetic clients; nothing "
        "here changes them, so it is when the issue was created."
    )
    facts_updated_at: datetime = strawberry.field(description=_since("facts"))
    action_items_updated_at: datetime = strawberry.field(description=_since("action items"))
    uploads_updated_at: datetime = strawberry.field(description=_since("uploaded files"))
    involvements_updated_at: datetime = strawberry.field(
        description="When the owner, participants or invitations last changed."
    )
    viewer_can_update: bool = may_change("edit it", "`updateIssue`")
    viewer_can_close: bool = may_change("close it", "`closeIssue`")
    viewer_can_delete: bool = may_change("delete it", "`deleteIssue`")
    viewer_can_add_event: bool = may_change("add a note to its timeline", "`addIssueEvent`")
    viewer_can_follow: bool = may_follow()
    _owner_id: strawberry.Private[int | None]

    @classmethod
    def from_row(cls, issue: Issue) -> "IssueType":
        return cls(
            id=to_global_id("Issue", issue.id),
            database_id=issue.id,
            guid=issue.guid,
            name=issue.name,
            description=issue.description,
            severity=issue.severity,
            status=issue.status,
            conclusion=issue.conclusion,
            external_reference_id=issue.external_reference_id,
            hash_key=issue.hash_key,
            conference_number=issue.conference_number,
            closed_at=issue.closed_at,
            deleted_at=issue.deleted_at,
            created_at=issue.created_at,
            updated_at=issue.updated_at,
            **_part_times(issue),
            _owner_id=issue.owner_id,
        )

    @strawberry.field(
        description="Who is responsible for the issue; always one of its participants. Null "
        "only if their account was removed."
    )
    async def owner(self, info: Info) -> UserType | None:
        if self._owner_id is None:
            return None
        user = await info.context.loaders.user_by_id.load(self._owner_id)
        return UserType.from_row(user) if user else None

    @strawberry.field(
        description="Receives this issue's `issue_created`, `issue_updated` and `issue_closed` "
        "events; shown to those taking part (null to everyone else, and when none is set)."
    )
    async def webhook_url(self, info: Info) -> str | None:
        webhook = await info.context.loaders.webhook_by_issue_id.load(self.database_id)
        return webhook.url if webhook else None

    @strawberry.field(
        description="Signs the deliveries to `webhookUrl` as Standard Webhooks do "
        "(`webhook-signature`: `v1,` and the base64 HMAC-SHA256 of `webhook-id.webhook-timestamp."
        "body`, keyed with the base64 after `whsec_`); shown to those taking part, null to "
        "everyone else."
    )
    async def webhook_secret(self, info: Info) -> str | None:
        webhook = await info.context.loaders.webhook_by_issue_id.load(self.database_id)
        return webhook.secret if webhook else None

    @strawberry.field(
        description="The people taking part in the issue, in the order they joined; the owner "
        "is always among them."
    )
    async def participants(self, info: Info) -> list[UserType]:
        users = await info.context.loaders.participants_by_issue_id.load(self.database_id)
        return [UserType.from_row(user) for user in users]

    @strawberry.field(description="The issue's tags (at most 20), lower case, A to Z.")
    async def tags(self, info: Info) -> list[str]:
        return await info.context.loaders.tags_by_issue_id.load(self.database_id)

    @strawberry.field(description="Confirmed e-mail subscribers; their addresses are never shown.")
    async def subscriber_count(self, info: Info) -> int:
        return await info.context.loaders.subscriber_count_by_issue_id.load(self.database_id)

    @strawberry.field(
        description="The issue's categories that the viewer may see, oldest first; none for "
        "an issue that belongs to its owner and participants only."
    )
    async def categories(
        self,
        info: Info,
        first: First = None,
        after: After = None,
        last: Last = None,
        before: Before = None,
    ) -> Connection[CategoryType]:
        rows = await info.context.loaders.categories_by_issue_id.load(self.database_id)
        return Connection.of_loaded(
            rows, page_args(first, after, last, before), CategoryType.from_row
        )

    @strawberry.field(description="The issue's timeline, oldest first or in `orderBy`.")
    async def events(
        self,
        info: Info,
        order_by: IssueEventOrderBy = None,
        first: First = None,
        after: After = None,
        last: Last = None,
        before: Before = None,
    ) -> Connection[IssueEventType]:
        args = page_args(first, after, last, before)
        loaders = info.context.loaders
        if order_by is not None:
            key = (self.database_id, args, order_by.to_order())
            page = await loaders.event_page_by_issue.load(key)
            return Connection.from_page(page, IssueEventType.from_row)
        rows = await loaders.events_by_issue_id.load(self.database_id)
        return Connection.of_loaded(rows, args, IssueEventType.from_row)

    @strawberry.field(
        description="Who was invited to take part, oldest first; shown to those taking part "
        "only (empty for everyone else)."
    )
    async def invitations(
        self,
        info: Info,
        first: First = None,
        after: After = None,
        last: Last = None,
        before: Before = None,
    ) -> Connection[InvitationType]:
        rows = await info.context.loaders.invitations_by_issue_id.load(self.database_id)
        return Connection.of_loaded(
            rows, page_args(first, after, last, before), InvitationType.from_row
        )

    @strawberry.field(description="What is to be done about the issue, oldest first.")
    async def action_items(
        self,
        info: Info,
        first: First = None,
        after: After = None,
        last: Last = None,
        before: Before = None,
    ) -> Connection[ActionItemType]:
        rows = await info.context.loaders.action_items_by_issue_id.load(self.database_id)
        return Connection.of_loaded(
            rows, page_args(first, after, last, before), ActionItemType.from_row
        )

    @strawberry.field(description="What is known about the issue, oldest first.")
    async def facts(
        self,
        info: Info,
        first: First = None,
        after: After = None,
        last: Last = None,
        before: Before = None,
    ) -> Connection[FactType]:
        rows = await info.context.loaders.facts_by_issue_id.load(self.database_id)
        return Connection.of_loaded(rows, page_args(first, after, last, before), FactType.from_row)

    @strawberry.field(description="The files attached to the issue, oldest first.")
    async def uploads(
        self,
        info: Info,
        first: First = None,
        after: After = None,
        last: Last = None,
        before: Before = None,
    ) -> Connection[UploadType]:
        rows = await info.context.loaders.uploads_by_issue_id.load(self.database_id)
        return Connection.of_loaded(
            rows, page_args(first, after, last, before), UploadType.from_row
        )
