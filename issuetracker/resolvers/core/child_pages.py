"""Pages of a parent's rows, for many parents at once: `Company.categories` and `Issue.events`
with `orderBy`, and a category's or a company's issues (`issues/issue_pages.py`), nested in a
list, cost two statements per batch (each parent's `keyset_window`, the top rows of an index,
joined with UNION ALL; then the rows). Only for parents the caller already sees."""

from collections import defaultdict
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from tortoise import connections
from tortoise.models import Model

from ...sqljson.dialects import Dialect
from ...sqljson.statements import current_dialect
from .fragments import inner
from .orders import ListOrder, list_sort_key
from .pagination import GivenCursors, Page, PageArgs, SortKey, keyset_window, window_page
from .sql import SqlValues

ROW = "r"
"""The alias of the listed rows in the statement."""


@dataclass(frozen=True)
class ParentRows:
    """A parent's rows of `model`: `rows` (a FROM clause) names them `ROW`, `of_parent` picks
    one parent's (given as `{parent}`); in id order, `order_id` orders them (an index's
    column), highest first when `newest_first`."""

    model: type[Model]
    rows: str
    of_parent: str
    order_id: str = f"{ROW}.id"
    newest_first: bool = True


class Children(ParentRows):
    """The rows of `model` whose `parent_column` names their parent."""

    def __init__(self, model: type[Model], parent_column: str) -> None:
        rows = f"{model._meta.db_table} AS {ROW}"
        super().__init__(model, rows, f"{ROW}.{parent_column} = {{parent}}")


class Parameters(SqlValues[Any]):
    """Numbered parameters, in order, for a statement built for one batch. A key may read no
    input values: nested lists take no search, so no relevance."""

    def __init__(self, dialect: Dialect) -> None:
        self.dialect = dialect
        self.values: list[object] = []

    def add(self, value: object) -> str:
        self.values.append(value)
        return self.dialect.param(len(self.values))

    def value(self, get: Callable[[Any], object]) -> str:
        raise NotImplementedError("a nested list's key reads no input")

    def int_list(self, column: str, get: Callable[[Any], Sequence[int]]) -> str:
        raise NotImplementedError("a nested list's key reads no input")


async def child_pages(
    children: ParentRows, parent_ids: Sequence[int], args: PageArgs, order: ListOrder
) -> list[Page[Any]]:
    """Each parent's page in `order`, with keyset cursors; uncounted (the caller counts)."""
    parameters = Parameters(current_dialect())
    key = list_sort_key(order, ROW, parameters.dialect)
    return await parent_pages(children, parameters, parent_ids, args, key)


async def parent_pages(
    listed: ParentRows,
    parameters: Parameters,
    parent_ids: Sequence[int],
    args: PageArgs,
    key: SortKey | None,
) -> list[Page[Any]]:
    """Each parent's page in the key's order (in id order without one), uncounted; `parameters`
    holds the key's."""
    members = [page_sql(listed, parameters, parent, args, key) for parent in parent_ids]
    connection = connections.get("default")
    rows = await connection.execute_query_dict(" UNION ALL ".join(members), parameters.values)
    model = listed.model
    found = {row.pk: row for row in await model.filter(id__in={r["id"] for r in rows})}
    ranked: dict[int, list[dict[str, Any]]] = defaultdict(list)
    for row in rows:
        ranked[row["parent_id"]].append(row)
    pages = []
    for parent_id in parent_ids:
        mine = sorted(ranked[parent_id], key=lambda row: row["position"])
        pages.append(_page([(found[row["id"]], row) for row in mine], args, key))
    return pages


def page_sql(
    listed: ParentRows, parameters: Parameters, parent_id: int, args: PageArgs, key: SortKey | None
) -> str:
    """One parent's window, its rows as `ROW`, numbered (`position`) in paging order."""
    parent = parameters.add(parent_id)
    cursors = GivenCursors(args, parameters.add)
    window = keyset_window(
        args, key, ROW, cursors, newest_first=listed.newest_first, order_id=listed.order_id
    )
    conditions = [listed.of_parent.format(parent=parent), *window.conditions]
    cursor_key = key.text_sql if key is not None else "''"
    return (
        f"SELECT * FROM (SELECT CAST({parent} AS INTEGER) AS parent_id, {ROW}.id AS id,"
        f" {cursor_key} AS cursor_key, row_number() OVER (ORDER BY {window.order}) AS position"
        f" FROM {listed.rows} WHERE {' AND '.join(conditions)}"
        f" ORDER BY {window.order} LIMIT {window.limit}) AS {inner(parent, 'page')}"
    )


def _page(
    found: list[tuple[Any, dict[str, Any]]], args: PageArgs, key: SortKey | None
) -> Page[Any]:
    """The page of a parent's window: its items, and their keys for cursors."""
    rows, has_next, has_previous = window_page(found, args)
    page = Page([item for item, _ in rows], has_next, has_previous, _uncounted)
    if key is not None:
        page.key = (key.name, [str(row["cursor_key"]) for _, row in rows])
    return page


async def _uncounted() -> int:
    raise RuntimeError("counted by the caller, from the parent's whole list")
