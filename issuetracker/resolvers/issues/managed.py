"""The issue an actor is about to change, and the timeline entries changes write."""

from collections.abc import Callable, Mapping
from uuid import UUID

from tortoise.expressions import RawSQL

from ...models import EventKind, Issue, IssueEvent
from ..core.actor import require_user
from ..core.permissions import ensure_may_manage_issue, issue_management_sql
from ..core.scope import Scope
from ..core.sql import table, viewer_of
from .reads import get_issue


async def managed_open_issue(
    scope: Scope,
    issue_id: int | None = None,
    *,
    guid: UUID | None = None,
    also: Mapping[str, Callable[[str, str], str]] | None = None,
) -> Issue:
    """The issue an actor is about to change, by id or guid: visible, theirs to manage, and
    still open. One statement, which also reads `also`: attributes of the issue, each by SQL
    made from the issue's table and the viewer."""
    require_user(scope.actor)
    viewer = viewer_of(scope.actor)
    assert viewer is not None
    found = {"_manage": RawSQL(issue_management_sql(table(Issue), viewer))}
    for name, sql in (also or {}).items():
        found[name] = RawSQL(sql(table(Issue), viewer))
    issue = await get_issue(
        scope, issue_id=issue_id, guid=guid, narrowed=lambda q: q.annotate(**found)
    )
    ensure_may_manage_issue(issue._manage)  # type: ignore[attr-defined]
    return issue


async def record(scope: Scope, issue: Issue, kind: EventKind, description: str) -> IssueEvent:
    return await IssueEvent.create(
        issue=issue, kind=kind, description=description, author_id=scope.actor.user_id
    )
