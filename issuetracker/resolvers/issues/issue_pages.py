"""Pages of issues for many categories, or many companies, at once: `Category.issues` and
`Company.issues` nested in a list cost two statements per batch (each parent's page as its
own `ORDER BY ... LIMIT`, the top rows of an index, joined with UNION ALL; then the rows),
and their counts one more, only when asked for."""

from collections.abc import Sequence
from enum import StrEnum

from tortoise import connections

from ...models import Issue
from ...sqljson.statements import current_dialect
from ..core.child_pages import ROW, Parameters, ParentRows, parent_pages
from ..core.fragments import link_of
from ..core.pagination import Page, PageArgs
from .inputs import IssueFilter
from .ordering import IssueOrder, sort_key
from .relations import issues_of_category, issues_of_company


class Parent(StrEnum):
    CATEGORY = "category"
    COMPANY = "company"


LINK = link_of(ROW)
ROWS = {
    # A category's issues come from its links' index, which orders them in id order.
    Parent.CATEGORY: ParentRows(
        Issue,
        f"issue_categories AS {LINK} JOIN issues AS {ROW} ON {ROW}.id = {LINK}.issue_id",
        issues_of_category(ROW, "{parent}"),
        order_id=f"{LINK}.issue_id",
    ),
    Parent.COMPANY: ParentRows(Issue, f"issues AS {ROW}", issues_of_company(ROW, "{parent}")),
}


async def issue_pages(
    parent: Parent, parent_ids: Sequence[int], args: PageArgs, order: IssueOrder | None
) -> list[Page[Issue]]:
    """Newest first, or in `order`. Only for parents the caller already sees: an issue in a
    visible category is visible, so no other filter applies. Uncounted: `issue_counts`
    counts, and the loaders give the pages its counts."""
    parameters = Parameters(current_dialect())
    key = sort_key(order.check(IssueFilter()), ROW, parameters) if order else None
    return await parent_pages(ROWS[parent], parameters, parent_ids, args, key)


async def issue_counts(parent: Parent, parent_ids: Sequence[int]) -> list[int]:
    """How many issues (not deleted) each parent has, in one statement."""
    if not parent_ids:
        return []
    parameters = Parameters(current_dialect())
    rows_of = ROWS[parent]
    sql = " UNION ALL ".join(
        f"SELECT CAST({mark} AS INTEGER) AS parent_id, count(*) AS total FROM {rows_of.rows}"
        f" WHERE {rows_of.of_parent.format(parent=mark)}"
        for mark in (parameters.add(parent_id) for parent_id in parent_ids)
    )
    rows = await connections.get("default").execute_query_dict(sql, parameters.values)
    totals = {row["parent_id"]: row["total"] for row in rows}
    return [int(totals.get(parent_id, 0)) for parent_id in parent_ids]
