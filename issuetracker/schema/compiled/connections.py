"""Relay connections in SQL: the logic's keyset window of rows (`keyset_window`: one more than
the page, to know whether there are more), from which `edges`, `nodes`, `pageInfo` and
`totalCount` are read.

The executor has two behaviours, and the compiled path has both:
- `QUERY` (`paginate`): a list read by a query; `hasPreviousPage` when paging forwards means
  "an `after` cursor was given" (and `hasNextPage` backwards, "a `before` cursor was given").
- `LOADED` (`paginate_loaded`): a list a loader read whole; `hasPreviousPage` forwards means
  "some row lies at or before `after`" (backwards, `hasNextPage`: "some row at or after
  `before`"), and `totalCount` counts the whole list.
"""

from collections.abc import Callable
from dataclasses import dataclass, replace
from enum import Enum

from ...resolvers.core.counting import estimate_sql
from ...resolvers.core.fragments import link_of
from ...resolvers.core.pagination import (
    CursorParams,
    PageArgs,
    SortKey,
    cursor_id,
    keyset_window,
    page_edges,
)
from ...sqljson.dialects import json_key, json_object, literal
from ..relay import page_args
from .cursors import cursor_json, page_edge
from .fields import object_json
from .selections import TYPENAME, Selection
from .statements import Binding, Builder, NotCompiled, domain_checked

Where = Callable[[Builder, str], str]
"""SQL conditions on the node row of the given alias (the parent's alias is closed over)."""
KeyOf = Callable[[Builder, Selection, "Binding", str], SortKey | None]
"""The sort key of a list's rows (a row alias given) for this request; None for id order."""
Link = tuple[str, str]
"""(link table, its column naming the node): the rows are reached through the link table,
whose row has the node's alias with an `l` added, so a condition can name it."""


class Paging(Enum):
    QUERY = "query"
    LOADED = "loaded"


@dataclass(frozen=True)
class Source:
    node_type: str
    table: str
    where: Where
    newest_first: bool
    paging: Paging
    link: Link | None = None
    key: KeyOf | None = None
    bounded: bool = False
    """Counted up to `COUNT_LIMIT`, estimated past it (`counting`), as the executor's
    `paginate` does; otherwise counted exactly."""

    def rows(self, alias: str) -> str:
        """The FROM clause naming the node row `alias`."""
        if self.link is None:
            return f"{self.table} AS {alias}"
        table, column = self.link
        link = link_of(alias)
        return f"{table} AS {link} JOIN {self.table} AS {alias} ON {alias}.id = {link}.{column}"


def _page_args(binding: Binding, selection: Selection) -> PageArgs:
    def read() -> PageArgs:
        values = binding.arguments_of(selection)
        return page_args(*(values.get(name) for name in ("first", "after", "last", "before")))

    return binding.memo(("page", selection.number), read)


def connection(builder: Builder, selection: Selection, source: Source, binding: Binding) -> str:
    """Two levels of SQL (SQLite's parser allows few): the window of rows in keyset order,
    one more than the page, numbered as they stream from the index; then one aggregate."""
    node = builder.alias("n")
    key = source.key(builder, selection, binding, node) if source.key else None
    if key is not None and source.paging is Paging.LOADED:
        # In an order, the executor reads a loaded list's page by a query (`child_pages`).
        source = replace(source, paging=Paging.QUERY)
    check = domain_checked(lambda bound: _page_args(bound, selection).for_key(key))
    builder.check(check)
    check(binding)
    args = _page_args(binding, selection)
    # A literal, not a parameter: with the limit known, PostgreSQL keeps one plan for the
    # statement instead of planning it again at every execution. The size is part of the
    # statement's shape (`plans.PAGE_SIZES`).
    size = str(int(args.size))
    conditions = [source.where(builder, node)]
    cursors = _BoundCursors(builder, selection)
    window = keyset_window(args, key, node, cursors, newest_first=source.newest_first)
    conditions += window.conditions
    cursor = cursor_json(builder, node, key)
    items: list[tuple[str, str]] = []  # (column, JSON of one edge or node)
    for child in selection.children():
        if child.name == "edges":
            edge = _edge_json(builder, child, source, node, binding, cursor)
            items.append((f"e{len(items)}", edge))
        elif child.name == "nodes":
            nodes = object_json(builder, source.node_type, child.children(), node, binding)
            items.append((f"e{len(items)}", nodes))
    columns = "".join(f", {sql} AS {name}" for name, sql in items)
    if key is not None:
        columns += f", {cursor} AS c"
    rows = (
        f"SELECT {node}.id AS id, row_number() OVER (ORDER BY {window.order}) AS rn{columns}"
        f" FROM {source.rows(node)} WHERE {' AND '.join(conditions)}"
        f" ORDER BY {window.order} LIMIT {window.limit}"
    )
    if args.backwards:
        rows = builder.dialect.in_concat_order(rows, "r.rn DESC")
    fields = _connection_fields(builder, selection, source, binding, size, items, key)
    # An aggregate whatever is asked (`count(*)` makes it one when only `totalCount` is): one
    # row, also for an empty page.
    return f"(SELECT CASE WHEN count(*) >= 0 THEN {fields} END FROM ({rows}) AS o)"


def _aggregated_items(builder: Builder, name: str, backwards: bool, size: str) -> str:
    """The page's JSON items, in the list's order (the window is in paging order)."""
    joined = builder.dialect.concat(f"o.{name}", "o.rn DESC" if backwards else "o.rn")
    return f"coalesce('[' || {joined} FILTER (WHERE o.rn <= {size}) || ']', '[]')"


class _BoundCursors(CursorParams):
    """The cursors' values, read from each request's arguments."""

    def __init__(self, builder: Builder, selection: Selection) -> None:
        self.builder = builder
        self.selection = selection

    def id_param(self, read: Callable[[PageArgs], int | None]) -> str:
        return self.builder.int_param(lambda binding: read(_page_args(binding, self.selection)))

    def key_param(self, read: Callable[[PageArgs], object]) -> str:
        return self.builder.param(lambda binding: read(_page_args(binding, self.selection)))


def _edge_json(
    builder: Builder,
    selection: Selection,
    source: Source,
    node: str,
    binding: Binding,
    cursor: str,
) -> str:
    pairs = []
    for child in selection.children():
        if child.name == "cursor":
            pairs.append((child.key, cursor))
        elif child.name == "node":
            pairs.append(
                (child.key, object_json(builder, source.node_type, child.children(), node, binding))
            )
        elif child.name == TYPENAME:
            pairs.append((child.key, literal(json_key(selection.named_type.name))))
        else:
            raise NotCompiled(child.name)
    return json_object(pairs)


def _connection_fields(
    builder: Builder,
    selection: Selection,
    source: Source,
    binding: Binding,
    size: str,
    items: list[tuple[str, str]],
    key: SortKey | None,
) -> str:
    args = _page_args(binding, selection)
    names = iter(name for name, _ in items)
    pairs = []
    children = selection.children()
    for position, child in enumerate(children):
        if child.name in ("edges", "nodes"):
            aggregated = _aggregated_items(builder, next(names), args.backwards, size)
            pairs.append((child.key, aggregated))
        elif child.name == "pageInfo":
            info = _page_info(builder, child, selection, source, args, size, key is not None)
            pairs.append((child.key, info))
        elif child.name in COUNTS and pairs and pairs[-1][1] == _COUNTED_ALONGSIDE:
            pairs.pop()  # answered with the count before it
        elif child.name in COUNTS:
            after = children[position + 1] if position + 1 < len(children) else None
            both = after is not None and {child.name, after.name} == set(COUNTS)
            counts = [child, after] if both and after is not None else [child]
            pairs.append((child.key, _counted(builder, source, binding, counts)))
            if both:
                pairs.append(("", _COUNTED_ALONGSIDE))
        elif child.name == TYPENAME:
            pairs.append((child.key, literal(json_key(selection.named_type.name))))
        else:
            raise NotCompiled(child.name)
    return json_object(pairs)


COUNTS = ("totalCount", "totalCountIsExact")
_COUNTED_ALONGSIDE = "counted alongside"
"""A placeholder: the field is answered with the count before it, from the same walk."""


def _counted(builder: Builder, source: Source, binding: Binding, counts: list[Selection]) -> str:
    """`totalCount` or `totalCountIsExact`, or both in a row (the second's key written in
    between, so the rows are walked once): the rows newest first, up to one past the bound
    (the primary key's index stops there), then `estimate_sql` past it."""
    row = builder.alias("c")
    where = source.where(builder, row)
    if not source.bounded:
        total = builder.dialect.integer("count(*)")
        always = "CASE WHEN count(*) >= 0 THEN 'true' END"  # an aggregate: one row
        values = {"totalCount": total, "totalCountIsExact": always}
        rows = f"{source.rows(row)} WHERE {where}"
    else:
        limit = int(binding.count_limit)
        window = builder.alias("w")
        rows = (
            f"(SELECT {row}.id AS id FROM {source.rows(row)} WHERE {where}"
            f" ORDER BY {row}.id DESC LIMIT {limit + 1}) AS {window}"
        )
        estimated = estimate_sql("count(*)", f"min({window}.id)", source.table)
        total = f"CASE WHEN count(*) <= {limit} THEN count(*) ELSE {estimated} END"
        exact = f"CASE WHEN count(*) <= {limit} THEN 'true' ELSE 'false' END"
        values = {"totalCount": builder.dialect.integer(total), "totalCountIsExact": exact}
    shown = values[counts[0].name]
    if len(counts) == 2:
        between = literal("," + json_key(counts[1].key) + ":")
        shown = f"{shown} || {between} || {values[counts[1].name]}"
    return f"(SELECT {shown} FROM {rows})"


def _page_info(
    builder: Builder,
    selection: Selection,
    connection_selection: Selection,
    source: Source,
    args: PageArgs,
    size: str,
    keyed: bool,
) -> str:
    has_next, has_previous = page_edges(
        args,
        f"count(*) > {size}",
        lambda name: _beyond(builder, connection_selection, source, args, name),
    )
    pairs = []
    for child in selection.children():
        if child.name == "hasNextPage":
            pairs.append((child.key, builder.dialect.boolean(has_next)))
        elif child.name == "hasPreviousPage":
            pairs.append((child.key, builder.dialect.boolean(has_previous)))
        elif child.name in ("startCursor", "endCursor"):
            first = child.name == "startCursor"
            pairs.append(
                (child.key, page_edge(builder, source.newest_first, args, size, first, keyed))
            )
        elif child.name == TYPENAME:
            pairs.append((child.key, literal(json_key("PageInfo"))))
        else:
            raise NotCompiled(child.name)
    return json_object(pairs)


def _beyond(
    builder: Builder, selection: Selection, source: Source, args: PageArgs, name: str
) -> str:
    """Whether there is more on the far side of a cursor, as each behaviour decides it: for
    QUERY, that the cursor was given; for LOADED, that some row lies at or beyond it."""
    if cursor_id(args, name) is None:
        return "1 = 0"
    if source.paging is Paging.QUERY:
        return "1 = 1"
    row = builder.alias("b")
    cursor = _BoundCursors(builder, selection).id_param(lambda args: cursor_id(args, name))
    at_or_before = (name == "after") != source.newest_first
    comparison = "<=" if at_or_before else ">="
    where = source.where(builder, row)
    return (
        f"EXISTS (SELECT 1 FROM {source.rows(row)}"
        f" WHERE {where} AND {row}.id {comparison} {cursor})"
    )
