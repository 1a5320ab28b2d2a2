from datetime import datetime
from uuid import UUID

import strawberry

from ...models import PART_TIMES, Issue, IssueEvent
from ..companies.types import CategoryType
from ..context import Info
from ..enums import EventKind, IssueStatus, Severity
from ..relay import Connection, Node, page_args, to_global_id
from ..users.types import UserType
from .parts import ActionItemType, FactType, InvitationType, UploadType

_SINCE = "When this part of the issue last changed; its creation until then."


@strawberry.type(name="IssueEvent", description="One entry of an issue's timeline.")
class IssueEventType(Node):
    database_id: int
    kind: EventKind
    description: str
    created_at: datetime
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

    @strawberry.field
    async def author(self, info: Info) -> UserType | None:
        if self._author_id is None:
            return None
        user = await info.context.loaders.user_by_id.load(self._author_id)
        return UserType.from_row(user) if user else None


@strawberry.type(name="Issue")
class IssueType(Node):
    database_id: int
    guid: UUID
    name: str
    description: str
    severity: Severity
    status: IssueStatus
    conclusion: str | None
    external_reference_id: str | None
    hash_key: str | None
    conference_number: str | None
    closed_at: datetime | None
    deleted_at: datetime | None = strawberry.field(
        description="Set when the issue was deleted; nothing of it is erased."
    )
    created_at: datetime
    updated_at: datetime
    categories_updated_at: datetime = strawberry.field(description=_SINCE)
    messages_updated_at: datetime = strawberry.field(description=_SINCE)
    unknowns_updated_at: datetime = strawberry.field(description=_SINCE)
    facts_updated_at: datetime = strawberry.field(description=_SINCE)
    action_items_updated_at: datetime = strawberry.field(description=_SINCE)
    uploads_updated_at: datetime = strawberry.field(description=_SINCE)
    involvements_updated_at: datetime = strawberry.field(
        description="When the owner, participants or invitations last changed."
    )
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
            **{part: getattr(issue, part) or issue.created_at for part in PART_TIMES},
            _owner_id=issue.owner_id,
        )

    @strawberry.field
    async def owner(self, info: Info) -> UserType | None:
        if self._owner_id is None:
            return None
        user = await info.context.loaders.user_by_id.load(self._owner_id)
        return UserType.from_row(user) if user else None

    @strawberry.field(description="Receives this issue's events; shown to those taking part.")
    async def webhook_url(self, info: Info) -> str | None:
        return await info.context.loaders.webhook_url_by_issue_id.load(self.database_id)

    @strawberry.field(description="The owner among them, always.")
    async def participants(self, info: Info) -> list[UserType]:
        users = await info.context.loaders.participants_by_issue_id.load(self.database_id)
        return [UserType.from_row(user) for user in users]

    @strawberry.field
    async def tags(self, info: Info) -> list[str]:
        return await info.context.loaders.tags_by_issue_id.load(self.database_id)

    @strawberry.field(description="Confirmed e-mail subscribers; their addresses are never shown.")
    async def subscriber_count(self, info: Info) -> int:
        return await info.context.loaders.subscriber_count_by_issue_id.load(self.database_id)

    @strawberry.field(description="The categories the viewer may see.")
    async def categories(
        self,
        info: Info,
        first: int | None = None,
        after: str | None = None,
        last: int | None = None,
        before: str | None = None,
    ) -> Connection[CategoryType]:
        rows = await info.context.loaders.categories_by_issue_id.load(self.database_id)
        return Connection.of_loaded(
            rows, page_args(first, after, last, before), CategoryType.from_row
        )

    @strawberry.field(description="The timeline, oldest first.")
    async def events(
        self,
        info: Info,
        first: int | None = None,
        after: str | None = None,
        last: int | None = None,
        before: str | None = None,
    ) -> Connection[IssueEventType]:
        rows = await info.context.loaders.events_by_issue_id.load(self.database_id)
        return Connection.of_loaded(
            rows, page_args(first, after, last, before), IssueEventType.from_row
        )

    @strawberry.field(description="Oldest first; shown to those taking part in the issue only.")
    async def invitations(
        self,
        info: Info,
        first: int | None = None,
        after: str | None = None,
        last: int | None = None,
        before: str | None = None,
    ) -> Connection[InvitationType]:
        rows = await info.context.loaders.invitations_by_issue_id.load(self.database_id)
        return Connection.of_loaded(
            rows, page_args(first, after, last, before), InvitationType.from_row
        )

    @strawberry.field(description="Oldest first.")
    async def action_items(
        self,
        info: Info,
        first: int | None = None,
        after: str | None = None,
        last: int | None = None,
        before: str | None = None,
    ) -> Connection[ActionItemType]:
        rows = await info.context.loaders.action_items_by_issue_id.load(self.database_id)
        return Connection.of_loaded(
            rows, page_args(first, after, last, before), ActionItemType.from_row
        )

    @strawberry.field(description="Oldest first.")
    async def facts(
        self,
        info: Info,
        first: int | None = None,
        after: str | None = None,
        last: int | None = None,
        before: str | None = None,
    ) -> Connection[FactType]:
        rows = await info.context.loaders.facts_by_issue_id.load(self.database_id)
        return Connection.of_loaded(rows, page_args(first, after, last, before), FactType.from_row)

    @strawberry.field(description="Oldest first.")
    async def uploads(
        self,
        info: Info,
        first: int | None = None,
        after: str | None = None,
        last: int | None = None,
        before: str | None = None,
    ) -> Connection[UploadType]:
        rows = await info.context.loaders.uploads_by_issue_id.load(self.database_id)
        return Connection.of_loaded(
            rows, page_args(first, after, last, before), UploadType.from_row
        )
