"""Which issues a filter picks, as SQL conditions on an issue row: the ORM's lists and the
compiled read path both read them. Values come through `SqlValues`, so each path binds them its
own way."""

from datetime import UTC, datetime

from ..core.errors import Unauthenticated
from ..core.fragments import inner
from ..core.ids import possible_ids
from ..core.involvement import involved_issue_ids_sql
from ..core.sql import SqlValues, Viewer, is_limited
from ..core.visibility import issue_visible
from .inputs import IssueFilter
from .relations import has_tag
from .search import search_conditions


def issue_conditions(
    wanted: IssueFilter, issue: str, viewer: Viewer, values: SqlValues[IssueFilter]
) -> list[str]:
    """`wanted` decides which conditions there are; `values` gives their parameters. Asking
    for the viewer's own issues needs a signed-in viewer (Unauthenticated)."""
    conditions = [*_candidates(wanted, issue, viewer)]
    link, category = inner(issue, "link"), inner(issue, "category")
    if wanted.category_ids is not None:
        in_categories = values.int_list(
            f"{link}.category_id", lambda given: possible_ids(given.category_ids or [])
        )
        conditions.append(
            f"{issue}.id IN (SELECT {link}.issue_id FROM issue_categories AS {link}"
            f" WHERE {in_categories})"
        )
    if wanted.company_ids is not None:
        in_companies = values.int_list(
            f"{category}.company_id", lambda given: possible_ids(given.company_ids or [])
        )
        conditions.append(
            f"{issue}.id IN (SELECT {link}.issue_id FROM issue_categories AS {link}"
            f" JOIN categories AS {category} ON {category}.id = {link}.category_id"
            f" WHERE {in_companies})"
        )
    conditions += _row_conditions(wanted, issue, values)
    if wanted.tag:
        tag = values.value(lambda given: (given.tag or "").strip().lower())
        conditions.append(has_tag(issue, tag))
    if wanted.searching:
        conditions += search_conditions(
            issue, values, wanted.parsed_search, viewer, lambda given: given.parsed_search
        )
    if wanted.shared_with_user_id is not None:
        other = values.value(lambda given: given.shared_with_user_id)
        conditions.append(f"{issue}.id IN ({involved_issue_ids_sql(other)})")
    return conditions


def filter_shape(wanted: IssueFilter) -> tuple[object, ...]:
    """What of a filter decides which conditions `issue_conditions` writes (not their values):
    statements built from it serve every filter of the same shape."""
    return (
        wanted.category_ids is not None,
        wanted.company_ids is not None,
        wanted.severity is not None,
        wanted.status is not None,
        wanted.created_after is not None,
        wanted.created_before is not None,
        bool(wanted.tag),
        wanted.parsed_search.shape(),
        wanted.shared_with_user_id is not None,
        wanted.involving_viewer,
        wanted.deleted_only,
    )


def _candidates(wanted: IssueFilter, issue: str, viewer: Viewer) -> list[str]:
    """The issues a filter starts from: visible ones, or only the viewer's own; deleted ones
    instead of the others when asked for."""
    if wanted.involving_viewer or wanted.shared_with_user_id is not None:
        if viewer is None:
            raise Unauthenticated()
        candidates = f"{issue}.id IN ({involved_issue_ids_sql(viewer)})"
        if is_limited(viewer):  # taking part opens nothing beyond a limited token's companies
            candidates += f" AND {issue_visible(issue, viewer, include_deleted=True)}"
    else:
        candidates = issue_visible(issue, viewer, include_deleted=True)
    deleted = "IS NOT NULL" if wanted.deleted_only else "IS NULL"
    return [candidates, f"{issue}.deleted_at {deleted}"]


def _row_conditions(wanted: IssueFilter, issue: str, values: SqlValues[IssueFilter]) -> list[str]:
    conditions = []
    if wanted.severity is not None:
        severity = values.value(lambda given: given.severity and given.severity.value)
        conditions.append(f"{issue}.severity = {severity}")
    if wanted.status is not None:
        status = values.value(lambda given: given.status and given.status.value)
        conditions.append(f"{issue}.status = {status}")
    dialect = values.dialect
    if wanted.created_after is not None:
        after = values.value(lambda given: dialect.datetime_value(_in_utc(given.created_after)))
        conditions.append(f"{issue}.created_at >= {after}")
    if wanted.created_before is not None:
        before = values.value(lambda given: dialect.datetime_value(_in_utc(given.created_before)))
        conditions.append(f"{issue}.created_at < {before}")
    return conditions


def _in_utc(moment: datetime | None) -> datetime:
    """Naive times are UTC; SQLite compares stored times as text, so every bound is in UTC."""
    assert moment is not None
    return moment.replace(tzinfo=UTC) if moment.tzinfo is None else moment.astimezone(UTC)
