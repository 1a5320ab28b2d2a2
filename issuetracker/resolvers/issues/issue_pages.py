"""Pages of issues for many categories, or many companies, at once: `Category.issues` and
`Company.issues` nested in a list cost two statements per batch (each parent's page as its
own `ORDER BY ... LIMIT`, the top rows of an index, joined with UNION ALL; then the rows),
and their counts one more, only when asked for."""

from collections import defaultdict
from collections.abc import Sequence
from enum import StrEnum
from typing import Any

from tortoise import connections

from ...models import Issue
from ...sqljson.dialects import POSTGRES, SQLITE, Dialect
from ..core.pagination import Page, PageArgs, SortKey
from ..core.sql import SqlValues
from .inputs import IssueFilter
from .ordering import IssueOrder, sort_key


class Parent(StrEnum):
    CATEGORY = "category"
    COMPANY = "company"


# The issues of one parent, given as a parameter; a category's come from its links' index.
ROWS = {
    Parent.CATEGORY: (
        "issue_categories AS l JOIN issues ON issues.id = l.issue_id",
        "l.category_id = {parent}",
        "l.issue_id",
    ),
    Parent.COMPANY: (
        "issues",
        "issues.id IN (SELECT cl.issue_id FROM issue_categories AS cl"
        " JOIN categories AS cc ON cc.id = cl.category_id WHERE cc.company_id = {parent})",
        "issues.id",
    ),
}


class _Parameters(SqlValues[IssueFilter]):
    """Numbered parameters, in order, for a statement built for one batch."""

    def __init__(self, dialect: Dialect) -> None:
        self.dialect = dialect
        self.values: list[object] = []

    def value(self, get: Any) -> str:
        raise NotImplementedError("nested issue lists take no search, so no relevance")

    def add(self, value: object) -> str:
        self.values.append(value)
        return self.dialect.param(len(self.values))

    def int_list(self, column: str, get: Any) -> str:
        raise NotImplementedError


async def issue_pages(
    parent: Parent, parent_ids: Sequence[int], args: PageArgs, order: IssueOrder | None
) -> list[Page[Issue]]:
    """Newest first, or in `order`. Only for parents the caller already sees: an issue in a
    visible category is visible, so no other filter applies."""
    connection = connections.get("default")
    dialect = POSTGRES if connection.capabilities.dialect == "postgres" else SQLITE
    parameters = _Parameters(dialect)
    key = sort_key(order.check(IssueFilter()), "issues", parameters) if order else None
    args.for_key(key)
    members = [_page_sql(parent, parameters, parent_id, args, key) for parent_id in parent_ids]
    rows = await connection.execute_query_dict(" UNION ALL ".join(members), parameters.values)
    issues = {issue.id: issue for issue in await Issue.filter(id__in={r["id"] for r in rows})}
    ranked: dict[int, list[dict[str, Any]]] = defaultdict(list)
    for row in rows:
        ranked[row["parent_id"]].append(row)
    pages = []
    for parent_id in parent_ids:
        found = sorted(ranked[parent_id], key=lambda row: row["position"])
        pages.append(_page([issues[row["id"]] for row in found], found, args, key))
    return pages


def _page_sql(
    parent: Parent, parameters: _Parameters, parent_id: int, args: PageArgs, key: SortKey | None
) -> str:
    rows, condition, link_id = ROWS[parent]
    parent_param = parameters.add(parent_id)
    conditions = [condition.format(parent=parent_param), "issues.deleted_at IS NULL"]
    descending = (key.descending if key else True) != args.backwards
    direction = " DESC" if descending else ""
    if key is None:
        order, cursor_text = f"{link_id}{direction}", "''"
    else:
        order = f"{key.sql}{direction}, issues.id{direction}"
        cursor_text = key.text_sql
    conditions += _cursor_conditions(parameters, args, key, link_id)
    return (
        f"SELECT * FROM (SELECT CAST({parent_param} AS INTEGER) AS parent_id, issues.id AS id,"
        f" {cursor_text} AS cursor_key, row_number() OVER (ORDER BY {order}) AS position"
        f" FROM {rows} WHERE {' AND '.join(conditions)}"
        f" ORDER BY {order} LIMIT {int(args.size) + 1}) AS p{parent_id}"
    )


def _cursor_conditions(
    parameters: _Parameters, args: PageArgs, key: SortKey | None, link_id: str
) -> list[str]:
    conditions = []
    for cursor_id, cursor_key, field in (
        (args.after_id, args.after_key, "after"),
        (args.before_id, args.before_key, "before"),
    ):
        if cursor_id is None:
            continue
        greater = (field == "after") != (key.descending if key else True)
        comparison = ">" if greater else "<"
        if key is None or cursor_key is None:
            conditions.append(f"{link_id} {comparison} {parameters.add(cursor_id)}")
            continue
        given = key.cast.format(parameters.add(key.parameter(cursor_key, field)))
        number = parameters.add(cursor_id)
        conditions.append(f"({key.sql}, issues.id) {comparison} ({given}, {number})")
    return conditions


def _page(
    issues: list[Issue], rows: list[dict[str, Any]], args: PageArgs, key: SortKey | None
) -> Page[Issue]:
    has_more = len(issues) > args.size
    issues, rows = issues[: args.size], rows[: args.size]
    if args.backwards:
        issues.reverse()
        rows.reverse()
        page = Page(issues, args.before_id is not None, has_more, _uncounted)
    else:
        page = Page(issues, has_more, args.after_id is not None, _uncounted)
    if key is not None:
        page.key = (key.name, [str(row["cursor_key"]) for row in rows])
    return page


async def _uncounted() -> int:
    raise RuntimeError("counted by `issue_counts`, which the loaders give the page")


async def issue_counts(parent: Parent, parent_ids: Sequence[int]) -> list[int]:
    """How many issues (not deleted) each parent has, in one statement."""
    connection = connections.get("default")
    postgres = connection.capabilities.dialect == "postgres"
    marks = ", ".join(f"${n}" if postgres else "?" for n in range(1, len(parent_ids) + 1))
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
    rows = await connection.execute_query_dict(sql, list(parent_ids))
    totals = {row["parent_id"]: row["total"] for row in rows}
    return [int(totals.get(parent_id, 0)) for parent_id in parent_ids]
