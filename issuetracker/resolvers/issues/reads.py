"""Reading issues: every list and lookup goes through the visibility rules."""

import json
from collections.abc import Callable
from uuid import UUID

from tortoise.expressions import Subquery
from tortoise.queryset import QuerySet

from ...models import Issue, IssueEvent
from ...sqljson.statements import current_dialect, fetch_text
from ..accounts.relations import my_tags_json
from ..core.actor import Actor, require_user
from ..core.errors import NotFound
from ..core.ids import is_row_id
from ..core.pagination import (
    OffsetArgs,
    Page,
    Pagination,
    paginate,
    paginate_by_key,
    paginate_ordered,
)
from ..core.scope import Scope
from ..core.sql import InputValues, table, viewer_of, where
from ..core.visibility import visible_issues, visible_users
from .inputs import IssueFilter
from .listing import check_filter, listed_issues
from .ordering import IssueOrder, sort_key
from .search import relevance_sql


def filter_issues(actor: Actor, wanted: IssueFilter) -> QuerySet[Issue]:
    """The issues `wanted` picks among those the actor may see (`listed_issues`)."""
    values = InputValues(wanted)
    listed = listed_issues(wanted, table(Issue), viewer_of(actor), values)
    return where(Issue.all(), values.fragment(listed))


async def list_issues(
    scope: Scope, wanted: IssueFilter, page: Pagination, order: IssueOrder | None = None
) -> Page[Issue]:
    """Newest first, or in `order` (then by id, the same way)."""
    await check_filter(scope, wanted)
    issues = filter_issues(scope.actor, wanted)
    if order is None or isinstance(page, OffsetArgs):
        return await paginate(issues, page, newest_first=True)
    values = InputValues(wanted)
    key = sort_key(order.check(wanted), table(Issue), values, wanted.parsed_search)
    return await paginate_by_key(issues, page, key, values)


async def search_issues(scope: Scope, wanted: IssueFilter, page: OffsetArgs) -> Page[Issue]:
    """Like `list_issues`, most relevant first (then newest) when searching for words."""
    if not wanted.parsed_search.terms:
        return await list_issues(scope, wanted, page)
    values = InputValues(wanted)
    rank = relevance_sql(
        table(Issue), values, wanted.parsed_search, lambda given: given.parsed_search
    )
    ranked = filter_issues(scope.actor, wanted).annotate(rank=values.fragment(rank))
    return await paginate_ordered(ranked.order_by("-rank", "-id"), page)


async def list_shared_issues(scope: Scope, other_user_guid: UUID, page: Pagination) -> Page[Issue]:
    """A user the viewer may not see is not found, as one that does not exist."""
    require_user(scope.actor)
    other = await visible_users(scope.actor).get_or_none(guid=other_user_guid)
    if other is None:
        raise NotFound("User not found.")
    return await list_issues(scope, IssueFilter(shared_with_user_id=other.id), page)


async def list_my_tags(scope: Scope) -> list[str]:
    """The tags on the issues the viewer takes part in, by name (`my_tags`' rule)."""
    user = require_user(scope.actor)
    dialect = current_dialect()
    listed = my_tags_json(dialect, str(int(user.id)), viewer_of(scope.actor), "my_tags")
    names: list[str] = json.loads(await fetch_text(f"SELECT {listed}", []) or "[]")
    return names


async def get_issue(
    scope: Scope,
    *,
    issue_id: int | None = None,
    guid: UUID | None = None,
    include_deleted: bool = False,
    narrowed: Callable[[QuerySet[Issue]], QuerySet[Issue]] = lambda issues: issues,
) -> Issue:
    """Deleted issues are found only when asked for (to show them); no change reaches them.
    `narrowed` may add to the lookup (a permission computed in the same statement)."""
    if issue_id is not None and not is_row_id(issue_id):
        raise NotFound("Issue not found.")
    issues = narrowed(visible_issues(scope.actor, include_deleted=include_deleted))
    issue = await (issues.get_or_none(guid=guid) if guid else issues.get_or_none(id=issue_id or 0))
    if issue is None:
        raise NotFound("Issue not found.")
    return issue


async def get_issue_event(scope: Scope, event_id: int) -> IssueEvent:
    visible_ids = visible_issues(scope.actor).values_list("id", flat=True)
    event = await IssueEvent.get_or_none(id=event_id, issue_id__in=Subquery(visible_ids))
    if event is None:
        raise NotFound("Event not found.")
    return event
