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
from ..core.pagination import Page, PageArgs
from .inputs import IssueFilter
from .ordering import IssueOrder, sort_key


class Parent(StrEnum):
    CATEGORY = "category"
    COMPANY = "company"


NOT_DELETED = f"{ROW}.deleted_at IS NULL"
ROWS = {
    # A category's issues come from its links' index, which orders them in id order.
    Parent.CATEGORY: ParentRows(
        Issue,
        f"issue_categories AS l JOIN issues AS {ROW} ON {ROW}.id = l.issue_id",
        f"l.category_id = {{parent}} AND {NOT_DELETED}",
        order_id="l.issue_id",
    ),
    Parent.COMPANY: ParentRows(
        Issue,
        f"issues AS {ROW}",
        f"{ROW}.id IN (SELECT cl.issue_id FROM issue_categories AS cl"
        " JOIN categories AS cc ON cc.id = cl.category_id WHERE cc.company_id = {parent})"
        f" AND {NOT_DELETED}",
    ),
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
    parameters = Parameters(current_dialect())
    marks = ", ".join(parameters.add(parent_id) for parent_id in parent_ids)
    if parent is Parent.CATEGORY:
        sql = (
            "SELECT l.category_id AS parent_id, count(*) AS total FROM issue_categories AS l"
            " JOIN issues ON issues.id = l.issue_id"
            f" WHERE l.category_id IN ({marks}) AND issues.deleted_at IS NULL"
            " GROUP BY l.category_id"
        )
    else:
        sql = (
            "SELECT c.company_id AS parent_id, count(DISTINCT l.issue_id) AS total"
            " FROM categories AS c JOIN issue_categories AS l ON l.category_id = c.id"
            " JOIN issues ON issues.id = l.issue_id"
            f" WHERE c.company_id IN ({marks}) AND issues.deleted_at IS NULL"
            " GROUP BY c.company_id"
        )
    rows = await connections.get("default").execute_query_dict(sql, parameters.values)
    totals = {row["parent_id"]: row["total"] for row in rows}
    return [int(totals.get(parent_id, 0)) for parent_id in parent_ids]
