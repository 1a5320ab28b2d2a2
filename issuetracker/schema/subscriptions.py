"""`Subscription`: live updates over a WebSocket (graphql-transport-ws at /graphql). Each
field checks what it follows when it starts and every change as it comes, in
`resolvers/live/follow.py`; a token revoked or expired meanwhile closes the connection (4403),
a subscriber that reads too slowly is disconnected (4429) rather than queued for."""

from collections.abc import AsyncIterator, Callable, Iterator
from contextlib import contextmanager
from enum import Enum
from typing import Annotated, TypeVar

import strawberry
from aiohttp import web
from graphql import GraphQLError

from .. import metrics
from ..models import ChangeKind
from ..resolvers.core.errors import DomainError, Unauthenticated
from ..resolvers.live import follow
from ..resolvers.live.feed import TooSlow
from .context import Context, Info
from .issues.types import IssueEventType, IssueType
from .relay import database_id, database_ids

REVOKED = 4403
TOO_SLOW = 4429
T = TypeVar("T")
R = TypeVar("R")


@strawberry.enum(description="What happened to an issue.")
class IssueChangeKind(Enum):
    CREATED = strawberry.enum_value(ChangeKind.CREATED.value, description="It was created.")
    UPDATED = strawberry.enum_value(
        ChangeKind.UPDATED.value, description="It changed, or an event was added to it."
    )
    CLOSED = strawberry.enum_value(ChangeKind.CLOSED.value, description="It was closed.")
    DELETED = strawberry.enum_value(ChangeKind.DELETED.value, description="It was deleted.")


@strawberry.type(description="A change to an issue, as it committed.")
class IssueChange:
    kind: IssueChangeKind = strawberry.field(
        description="What happened to the issue: created, updated, closed or deleted."
    )
    issue: IssueType = strawberry.field(description="The issue as it is now.")


@strawberry.input(description="Which changes to hear of; all given conditions must hold.")
class IssueChangeFilter:
    company_ids: list[strawberry.ID] | None = strawberry.field(
        default=None, description="Only issues in a category of one of these companies."
    )
    category_ids: list[strawberry.ID] | None = strawberry.field(
        default=None, description="Only issues in one of these categories."
    )
    involving_me: bool = strawberry.field(
        default=False, description="Only issues the viewer owns or takes part in."
    )

    def to_filter(self) -> follow.ChangeFilter:
        return follow.ChangeFilter(
            company_ids=_ids(self.company_ids, "Company", "companyIds"),
            category_ids=_ids(self.category_ids, "Category", "categoryIds"),
            involving_me=self.involving_me,
        )


@strawberry.type(
    description="Live updates, over a WebSocket at /graphql (the graphql-transport-ws "
    "protocol). Each field hears only what the viewer may see, checked again at every change."
)
class Subscription:
    @strawberry.subscription(
        description="Each event added to one issue (notes, updates, closing) as it commits; "
        "NOT_FOUND when the viewer may not see the issue."
    )
    async def issue_events(
        self,
        info: Info,
        issue_id: Annotated[strawberry.ID, strawberry.argument(description="The issue's id.")],
        after_event_id: Annotated[
            strawberry.ID | None,
            strawberry.argument(
                description="The last event a reconnecting client saw: the events added since "
                "come first."
            ),
        ] = None,
    ) -> AsyncIterator[IssueEventType]:
        with _refusals_coded():
            issue = database_id(issue_id, "Issue", field="issueId")
            after = (
                database_id(after_event_id, "IssueEvent", field="afterEventId")
                if after_event_id is not None
                else None
            )
            events = await follow.issue_events(_following(info.context), issue, after)
        return _closing_on_failure(info.context, events, IssueEventType.from_row)

    @strawberry.subscription(
        description="Every change to an issue the viewer may see (created, updated, closed, "
        "deleted), narrowed by `filter`; NOT_FOUND for a company or category it may not see."
    )
    async def issue_changes(
        self,
        info: Info,
        filter: Annotated[
            IssueChangeFilter | None,
            strawberry.argument(description="Which changes; all of them when left out."),
        ] = None,
    ) -> AsyncIterator[IssueChange]:
        with _refusals_coded():
            wanted = filter.to_filter() if filter else follow.ChangeFilter()
            changes = await follow.issue_changes(_following(info.context), wanted)
        return _closing_on_failure(
            info.context,
            changes,
            lambda change: IssueChange(
                kind=IssueChangeKind(change[0].value), issue=IssueType.from_row(change[1])
            ),
        )


@contextmanager
def _refusals_coded() -> Iterator[None]:
    """A refusal when a subscription starts, with its code: the executor reports it before any
    field runs, where the error policy that codes the other answers' errors does not reach."""
    try:
        yield
    except DomainError as refusal:
        raise GraphQLError(refusal.message, extensions={"code": str(refusal.code)}) from None


def _ids(global_ids: list[strawberry.ID] | None, type_name: str, field: str) -> list[int] | None:
    return None if global_ids is None else database_ids(global_ids, type_name, field=field)


def _following(context: Context) -> follow.Following:
    return follow.Following(context.scope, context.live_feed, context.clock)


async def _closing_on_failure(
    context: Context, source: AsyncIterator[T], to_type: Callable[[T], R]
) -> AsyncIterator[R]:
    """Each item as its type, with fresh loaders (a connection lives long; their caches must
    not); a revoked token or a reader too slow ends the whole connection."""
    metrics.LIVE_SUBSCRIPTIONS.inc()
    try:
        async for item in source:
            context.renew_loaders()
            yield to_type(item)
    except Unauthenticated:
        await _close(context, REVOKED, "The token was revoked or has expired.")
    except TooSlow:
        await _close(context, TOO_SLOW, "Events came faster than they were read.")
    finally:
        metrics.LIVE_SUBSCRIPTIONS.dec()


async def _close(context: Context, code: int, reason: str) -> None:
    if isinstance(context.response, web.WebSocketResponse):
        await context.response.close(code=code, message=reason.encode())
