"""`Subscription`: live updates over a WebSocket (graphql-transport-ws at /graphql) or a stream
of server-sent events. The fields are declared here, for the schema; the live hub answers them
(`schema/live/`), many subscribers at once, with the rules of `resolvers/live/follow.py`: what
a subscription follows is checked when it starts and every change as it comes; a token revoked
or expired meanwhile closes the connection (4403), a subscriber that reads too slowly is
disconnected (4429) rather than queued for."""

from collections.abc import AsyncIterator
from enum import Enum
from typing import Annotated

import strawberry

from ..models import ChangeKind
from ..resolvers.live import follow
from .context import Info
from .issues.types import IssueEventType, IssueType
from .relay import database_ids


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
        raise AnsweredByTheHub()

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
        raise AnsweredByTheHub()


class AnsweredByTheHub(RuntimeError):
    """Subscriptions never run in the executor: the pipeline hands them to the live hub."""


def _ids(global_ids: list[strawberry.ID] | None, type_name: str, field: str) -> list[int] | None:
    return None if global_ids is None else database_ids(global_ids, type_name, field=field)
