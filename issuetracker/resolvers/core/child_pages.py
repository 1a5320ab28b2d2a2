"""Pages of a parent's rows in an order, for many parents at once: `Company.categories` and
`Issue.events` with `orderBy`, nested in a list, cost two statements per batch (each parent's
page as its own `ORDER BY ... LIMIT`, the top rows of an index, joined with UNION ALL; then the
rows), as `issues/issue_pages.py` reads issues. Only for parents the caller already sees."""

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from tortoise import connections
from tortoise.models import Model

from ...sqljson.dialects import POSTGRES, SQLITE, Dialect
from .orders import ListOrder, list_sort_key
from .pagination import Page, PageArgs, SortKey

ROW = "r"
"""The alias of the listed rows in the statement."""


@dataclass(frozen=True, slots=True)
class Children:
    """The rows of `model` whose `parent_column` names their parent."""

    model: type[Model]
    parent_column: str


class Parameters:
    def __init__(self, dialect: Dialect) -> None:
        self.dialect = dialect
        self.values: list[object] = []

    def add(self, value: object) -> str:
        self.values.append(value)
        return self.dialect.param(len(self.values))


async def child_pages(
    children: Children, parent_ids: Sequence[int], args: PageArgs, order: ListOrder
) -> list[Page[Any]]:
    """Each parent's page in `order`, with keyset cursors; uncounted (the caller counts)."""
    connection = connections.get("default")
    dialect = POSTGRES if connection.capabilities.dialect == "postgres" else SQLITE
    parameters = Parameters(dialect)
    key = list_sort_key(order, ROW, dialect.is_postgres)
    args.validate().for_key(key)
    members = [page_sql(children, parameters, parent, args, key) for parent in parent_ids]
    rows = await connection.execute_query_dict(" UNION ALL ".join(members), parameters.values)
    model = children.model
    found = {row.pk: row for row in await model.filter(id__in={r["id"] for r in rows})}
    ranked: dict[int, list[dict[str, Any]]] = defaultdict(list)
    for row in rows:
        ranked[row["parent_id"]].append(row)
    pages = []
    for parent_id in parent_ids:
        mine = sorted(ranked[parent_id], key=lambda row: row["position"])
        pages.append(_page([found[row["id"]] for row in mine], mine, args, key))
    return pages


def page_sql(
    children: Children, parameters: Parameters, parent_id: int, args: PageArgs, key: SortKey
) -> str:
    """One parent's page, its rows as `ROW`."""
    parent = parameters.add(parent_id)
    conditions = [f"{ROW}.{children.parent_column} = {parent}"]
    direction = " DESC" if key.descending != args.backwards else ""
    order = f"{key.sql}{direction}, {ROW}.id{direction}"
    for cursor_id, cursor_key, field in (
        (args.after_id, args.after_key, "after"),
        (args.before_id, args.before_key, "before"),
    ):
        if cursor_id is None or cursor_key is None:
            continue
        comparison = ">" if (field == "after") != key.descending else "<"
        given = key.cast.format(parameters.add(key.parameter(cursor_key, field)))
        number = parameters.add(cursor_id)
        conditions.append(f"({key.sql}, {ROW}.id) {comparison} ({given}, {number})")
    table = children.model._meta.db_table
    return (
        f"SELECT * FROM (SELECT CAST({parent} AS INTEGER) AS parent_id, {ROW}.id AS id,"
        f" {key.text_sql} AS cursor_key, row_number() OVER (ORDER BY {order}) AS position"
        f" FROM {table} AS {ROW} WHERE {' AND '.join(conditions)}"
        f" ORDER BY {order} LIMIT {int(args.size) + 1}) AS p{int(parent_id)}"
    )


def _page(items: list[Any], rows: list[dict[str, Any]], args: PageArgs, key: SortKey) -> Page[Any]:
    has_more = len(items) > args.size
    items, rows = items[: args.size], rows[: args.size]
    if args.backwards:
        items.reverse()
        rows.reverse()
        page = Page(items, args.before_id is not None, has_more, _uncounted)
    else:
        page = Page(items, has_more, args.after_id is not None, _uncounted)
    page.key = (key.name, [str(row["cursor_key"]) for row in rows])
    return page


async def _uncounted() -> int:
    raise RuntimeError("counted by the caller, from the parent's whole list")
