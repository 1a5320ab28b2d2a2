"""What a live subscription hears: the rules for `issueEvents` and `issueChanges`.

What is asked for is checked when the subscription starts (a hidden or missing issue, company
or category is NOT_FOUND). Every change is checked again as it comes, with each subscriber's
rights as they are then, as SQL (`event_heard`, `change_heard`) that the live hub puts into the
one statement it runs for all the subscribers of a document: someone removed from a company
stops hearing of it at once, and an issue moved into a private category falls silent."""

from dataclasses import dataclass

from ...models import IssueEvent
from ..companies.categories import get_category
from ..companies.companies import get_company
from ..core.fragments import inner
from ..core.involvement import takes_part_sql
from ..core.scope import Scope
from ..core.sql import SqlValues, Viewer
from ..core.visibility import issue_visible
from ..issues.reads import get_issue, get_issue_event


@dataclass(frozen=True)
class ChangeFilter:
    company_ids: list[int] | None = None
    category_ids: list[int] | None = None
    involving_me: bool = False


async def start_issue_events(scope: Scope, issue_id: int, after_event_id: int | None) -> None:
    """The issue and the event a reconnecting client saw last must be ones it may see."""
    await get_issue(scope, issue_id=issue_id)
    if after_event_id is not None:
        await get_issue_event(scope, after_event_id)


async def start_issue_changes(scope: Scope, wanted: ChangeFilter) -> None:
    for company_id in wanted.company_ids or []:
        await get_company(scope, company_id)
    for category_id in wanted.category_ids or []:
        await get_category(scope, category_id)


async def events_after(issue_id: int, after_event_id: int) -> list[int]:
    """The ids of the events added to an issue after one a reconnecting client saw; each is
    checked against the subscriber's rights as it is sent."""
    events = IssueEvent.filter(issue_id=issue_id, id__gt=after_event_id).order_by("id")
    return [event.id for event in await events.only("id")]


def event_heard(event: str, viewer: Viewer) -> str:
    """SQL: the viewer hears of the `issue_events` row `event` (its issue is one they see)."""
    issue = inner(event, "issue")
    return (
        f"EXISTS (SELECT 1 FROM issues AS {issue} WHERE {issue}.id = {event}.issue_id"
        f" AND {issue_visible(issue, viewer)})"
    )


def change_heard(
    issue: str, viewer: Viewer, wanted: ChangeFilter, values: SqlValues[ChangeFilter]
) -> str:
    """SQL: the viewer hears of a change to the `issues` row `issue` (a deleted one too, when
    they took part in it), narrowed by `wanted` (whose lists `values` makes parameters)."""
    conditions = [issue_visible(issue, viewer, include_deleted=True)]
    if wanted.involving_me:
        conditions.append("1 = 0" if viewer is None else takes_part_sql(issue, viewer))
    link, category = inner(issue, "link"), inner(issue, "category")
    if wanted.category_ids is not None:
        listed = values.int_list(f"{link}.category_id", lambda given: given.category_ids or [])
        conditions.append(
            f"EXISTS (SELECT 1 FROM issue_categories AS {link}"
            f" WHERE {link}.issue_id = {issue}.id AND {listed})"
        )
    if wanted.company_ids is not None:
        listed = values.int_list(f"{category}.company_id", lambda given: given.company_ids or [])
        conditions.append(
            f"EXISTS (SELECT 1 FROM issue_categories AS {link}"
            f" JOIN categories AS {category} ON {category}.id = {link}.category_id"
            f" WHERE {link}.issue_id = {issue}.id AND {listed})"
        )
    return " AND ".join(conditions)
