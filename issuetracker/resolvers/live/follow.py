"""What a live subscription hears: the rules for `issueEvents` and `issueChanges`. What is
asked for is checked when the subscription starts (a hidden or missing issue, company or
category is NOT_FOUND), and every change again as it comes, with the subscriber's rights as
they are then: a token revoked or expired since ends the subscription (Unauthenticated), an
issue the subscriber may no longer see is passed over."""

from collections.abc import AsyncIterator, Callable
from dataclasses import dataclass
from datetime import datetime

from tortoise.expressions import Subquery

from ...models import Category, ChangeKind, Issue, IssueCategory, IssueEvent
from ..accounts.tokens import still_signed_in
from ..companies.categories import get_category
from ..companies.companies import get_company
from ..core.involvement import takes_part
from ..core.scope import Scope
from ..core.visibility import visible_issues
from ..issues.reads import get_issue, get_issue_event
from .feed import Heard, Listener, LiveFeed

RECHECK_SECONDS = 60.0
"""How long a quiet subscription goes before its token is checked again."""


@dataclass(frozen=True)
class Following:
    """A subscription under way: whose, on which feed, on which clock."""

    scope: Scope
    feed: LiveFeed
    clock: Callable[[], datetime]

    async def changes(self, listener: Listener) -> AsyncIterator[tuple[Scope, Heard]]:
        """Each change with the scope it is checked in, the token checked again each time
        (once a change for all the subscriptions of one token)."""
        try:
            while True:
                heard = await listener.next(RECHECK_SECONDS)
                now = self.clock()
                if heard is None:
                    actor = await still_signed_in(self.scope.actor, now)
                else:
                    key = ("token", self.scope.actor.token_id)
                    actor = await heard.once(key, still_signed_in, self.scope.actor, now)
                    yield self.scope.acting_as(actor).at(now), heard
        finally:
            self.feed.forget(listener)


@dataclass(frozen=True)
class ChangeFilter:
    company_ids: list[int] | None = None
    category_ids: list[int] | None = None
    involving_me: bool = False


async def issue_events(
    following: Following, issue_id: int, after_event_id: int | None
) -> AsyncIterator[IssueEvent]:
    """The events added to an issue from now on; with `after_event_id`, first those added
    after it that the subscriber missed."""
    await get_issue(following.scope, issue_id=issue_id)
    listener = await following.feed.listen(issue_id)
    missed = await _events_after(following.scope, issue_id, after_event_id)
    return _issue_events(following, listener, missed)


async def _issue_events(
    following: Following, listener: Listener, missed: list[IssueEvent]
) -> AsyncIterator[IssueEvent]:
    seen = {event.id for event in missed}
    for missed_event in missed:
        yield missed_event
    async for scope, heard in following.changes(listener):
        event_id = heard.change.event_id
        if event_id is None or event_id in seen:
            continue
        event = await heard.once(("event", scope.actor.user_id), _visible_event, scope, event_id)
        if event is not None:
            yield event


async def _visible_event(scope: Scope, event_id: int) -> IssueEvent | None:
    visible = Subquery(visible_issues(scope.actor).values("id"))
    return await IssueEvent.get_or_none(id=event_id, issue_id__in=visible)


async def _events_after(
    scope: Scope, issue_id: int, after_event_id: int | None
) -> list[IssueEvent]:
    if after_event_id is None:
        return []
    await get_issue_event(scope, after_event_id)
    return await IssueEvent.filter(issue_id=issue_id, id__gt=after_event_id).order_by("id")


async def issue_changes(
    following: Following, wanted: ChangeFilter
) -> AsyncIterator[tuple[ChangeKind, Issue]]:
    """Every change to an issue the subscriber may see, narrowed by `wanted`."""
    for company_id in wanted.company_ids or []:
        await get_company(following.scope, company_id)
    for category_id in wanted.category_ids or []:
        await get_category(following.scope, category_id)
    listener = await following.feed.listen()
    return _issue_changes(following, listener, wanted)


async def _issue_changes(
    following: Following, listener: Listener, wanted: ChangeFilter
) -> AsyncIterator[tuple[ChangeKind, Issue]]:
    async for scope, heard in following.changes(listener):
        issue = await heard.once(("issue", scope.actor.user_id), _visible_issue, scope, heard)
        if issue is not None and await _wanted(scope, issue, wanted):
            yield heard.change.kind, issue


async def _visible_issue(scope: Scope, heard: Heard) -> Issue | None:
    issues = visible_issues(scope.actor, include_deleted=True)
    return await issues.get_or_none(id=heard.change.issue_id)


async def _wanted(scope: Scope, issue: Issue, wanted: ChangeFilter) -> bool:
    if wanted.involving_me and not await takes_part(scope.actor.user_id, issue.id):
        return False
    if wanted.category_ids is not None:
        links = IssueCategory.filter(issue_id=issue.id, category_id__in=wanted.category_ids)
        if not await links.exists():
            return False
    if wanted.company_ids is not None:
        categories = Category.filter(company_id__in=wanted.company_ids).values("id")
        links = IssueCategory.filter(issue_id=issue.id, category_id__in=Subquery(categories))
        if not await links.exists():
            return False
    return True
