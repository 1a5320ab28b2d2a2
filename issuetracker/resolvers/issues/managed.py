"""The issue an actor is about to change, and the timeline entries changes write."""

from uuid import UUID

from tortoise.expressions import RawSQL

from ...models import EventKind, Issue, IssueEvent
from ..core.actor import require_user
from ..core.involvement import takes_part_sql
from ..core.permissions import ensure_may_manage_issue, issue_management_sql
from ..core.scope import Scope
from ..core.sql import table, viewer_of
from .reads import get_issue


async def managed_open_issue(
    scope: Scope,
    issue_id: int | None = None,
    *,
    guid: UUID | None = None,
    taking_part: bool = False,
) -> Issue:
    """The issue an actor is about to change, by id or guid: visible, theirs to manage, and
    still open. One statement; with `taking_part`, it also tells whether the actor takes part
    (`issue._takes_part`)."""
    require_user(scope.actor)
    viewer = viewer_of(scope.actor)
    assert viewer is not None
    found = {"_manage": RawSQL(issue_management_sql(table(Issue), viewer))}
    if taking_part:
        found["_takes_part"] = RawSQL(takes_part_sql(table(Issue), viewer))
    issue = await get_issue(
        scope, issue_id=issue_id, guid=guid, narrowed=lambda q: q.annotate(**found)
    )
    ensure_may_manage_issue(issue._manage)  # type: ignore[attr-defined]
    return issue


async def record(scope: Scope, issue: Issue, kind: EventKind, description: str) -> IssueEvent:
    return await IssueEvent.create(
        issue=issue, kind=kind, description=description, author_id=scope.actor.user_id
    )
