"""Relay connections in SQL: a keyset window of rows (one more than the page, to know whether
there are more), from which `edges`, `nodes`, `pageInfo` and `totalCount` are read.

The executor has two behaviours, reproduced here exactly:
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
from ...resolvers.core.pagination import PageArgs, SortKey
from ...sqljson.dialects import json_key, json_object, literal, nullable
from ..relay import page_args
from .fields import object_json
from .selections import TYPENAME, Selection
from .statements import Binding, Builder, NotCompiled, ParamSource, domain_checked

Where = Callable[[Builder, str], str]
"""SQL conditions on the node row of the given alias (the parent's alias is closed over)."""
KeyOf = Callable[[Builder, Selection, "Binding", str], SortKey | None]
"""The sort key of a list's rows (a row alias given) for this request; None for id order."""
Link = tuple[str, str]
"""(link table, its column naming the node): the rows are reached through the link table,
whose row has the node's alias with an `l` added, so a condition can name it."""


RANK_WIDTH = 4
"""Digits of a window row's number, zero-padded so numbers sort as text (pages hold at most
101 rows)."""


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
    return binding.memo(("page", selection.number), lambda: _read_page_args(binding, selection))


def _read_page_args(binding: Binding, selection: Selection) -> PageArgs:
    values = binding.arguments_of(selection)
    return page_args(
        values.get("first"), values.get("after"), values.get("last"), values.get("before")
    )


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
    conditions += _cursor_conditions(builder, selection, source, args, node, key)
    descending = (key.descending if key else source.newest_first) != args.backwards
    direction = " DESC" if descending else ""
    order = f"{node}.id{direction}"
    if key is not None:
        order = f"{key.sql}{direction}, {order}"
    cursor = _cursor_json(builder, node, key)
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
    window = (
        f"SELECT {node}.id AS id, row_number() OVER (ORDER BY {order}) AS rn{columns}"
        f" FROM {source.rows(node)} WHERE {' AND '.join(conditions)}"
        f" ORDER BY {order} LIMIT {size} + 1"
    )
    if args.backwards and not builder.dialect.is_postgres:
        window = f"SELECT * FROM ({window}) AS r ORDER BY r.rn DESC"  # SQLite's aggregate order
    fields = _connection_fields(builder, selection, source, binding, size, items, key)
    # An aggregate whatever is asked (`count(*)` makes it one when only `totalCount` is): one
    # row, also for an empty page.
    return f"(SELECT CASE WHEN count(*) >= 0 THEN {fields} END FROM ({window}) AS o)"


def _cursor_json(builder: Builder, node: str, key: SortKey | None) -> str:
    """A row's cursor, as `relay.to_cursor` writes it."""
    if key is None:
        return builder.dialect.base64_id("cursor", f"{node}.id")
    place = f"{node}.id || {literal(':' + key.name + ':')} || {key.text_sql}"
    return builder.dialect.base64_id("cursor", place)


def _aggregated_items(builder: Builder, name: str, backwards: bool, size: str) -> str:
    """The page's JSON items, in the list's order (the window is in paging order)."""
    joined = builder.dialect.concat(f"o.{name}", "o.rn DESC" if backwards else "o.rn")
    return f"coalesce('[' || {joined} FILTER (WHERE o.rn <= {size}) || ']', '[]')"


def _page_edge(
    builder: Builder, source: Source, args: PageArgs, size: str, first: bool, keyed: bool
) -> str:
    """The cursor of the page's first or last row. In id order, the page's greatest or least
    id; otherwise the cursor of the row numbered first or last in the window (numbered in
    paging order, so backwards the page's first row is the window's last)."""
    if not keyed:
        greatest = source.newest_first == first
        edge = f"{'max' if greatest else 'min'}(o.id) FILTER (WHERE o.rn <= {size})"
        return nullable(builder.dialect.base64_id("cursor", edge))
    last_numbered = first == args.backwards
    ranked = f"{builder.dialect.padded_rank('o.rn')} || o.c"
    picked = f"{'max' if last_numbered else 'min'}({ranked}) FILTER (WHERE o.rn <= {size})"
    return f"coalesce(substr({picked}, {RANK_WIDTH + 1}), 'null')"


def _cursor_conditions(
    builder: Builder,
    selection: Selection,
    source: Source,
    args: PageArgs,
    node: str,
    key: SortKey | None,
) -> list[str]:
    conditions = []
    for name, given in (("after", args.after_id), ("before", args.before_id)):
        if given is None:
            continue
        later = (name == "after") != (key.descending if key else source.newest_first)
        comparison = ">" if later else "<"
        cursor = builder.int_param(_cursor_source(selection, name))
        if key is None:
            conditions.append(f"{node}.id {comparison} {cursor}")
            continue
        value = key.cast.format(builder.param(_cursor_key_source(selection, name, key)))
        conditions.append(f"({key.sql}, {node}.id) {comparison} ({value}, {cursor})")
    return conditions


def _cursor_key_source(selection: Selection, name: str, key: SortKey) -> ParamSource:
    def read(binding: Binding) -> object:
        args = _page_args(binding, selection)
        text = args.after_key if name == "after" else args.before_key
        return key.parameter(text or "", name)

    return read


def _cursor_source(selection: Selection, name: str) -> ParamSource:
    return lambda binding: _cursor(binding, selection, name)


def _cursor(binding: Binding, selection: Selection, name: str) -> int | None:
    args = _page_args(binding, selection)
    return args.after_id if name == "after" else args.before_id


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
    more = f"count(*) > {size}"
    if args.backwards:
        has_previous = more
        has_next = _beyond(builder, connection_selection, source, args, "before")
    else:
        has_next = more
        has_previous = _beyond(builder, connection_selection, source, args, "after")
    pairs = []
    for child in selection.children():
        if child.name == "hasNextPage":
            pairs.append((child.key, builder.dialect.boolean(has_next)))
        elif child.name == "hasPreviousPage":
            pairs.append((child.key, builder.dialect.boolean(has_previous)))
        elif child.name in ("startCursor", "endCursor"):
            first = child.name == "startCursor"
            pairs.append((child.key, _page_edge(builder, source, args, size, first, keyed)))
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
    given = args.after_id if name == "after" else args.before_id
    if given is None:
        return "1 = 0"
    if source.paging is Paging.QUERY:
        return "1 = 1"
    row = builder.alias("b")
    cursor = builder.int_param(_cursor_source(selection, name))
    at_or_before = (name == "after") != source.newest_first
    comparison = "<=" if at_or_before else ">="
    where = source.where(builder, row)
    return (
        f"EXISTS (SELECT 1 FROM {source.rows(row)}"
        f" WHERE {where} AND {row}.id {comparison} {cursor})"
    )
