"""A connection's cursors in SQL, as `relay.to_cursor` writes them: each row's, and the page's
first and last (`startCursor`, `endCursor`), read from the window's numbered rows (`o`)."""

from ...resolvers.core.pagination import PageArgs, SortKey
from ...sqljson.dialects import literal, nullable
from .statements import Builder

RANK_WIDTH = 4
"""Digits of a window row's number, zero-padded so numbers sort as text (pages hold at most
101 rows)."""


def cursor_json(builder: Builder, node: str, key: SortKey | None) -> str:
    """A row's cursor, as `relay.to_cursor` writes it."""
    if key is None:
        return builder.dialect.base64_id("cursor", f"{node}.id")
    place = f"{node}.id || {literal(':' + key.name + ':')} || {key.text_sql}"
    return builder.dialect.base64_id("cursor", place)


def page_edge(
    builder: Builder, newest_first: bool, args: PageArgs, size: str, first: bool, keyed: bool
) -> str:
    """The cursor of the page's first or last row. In id order, the page's greatest or least
    id; otherwise the cursor of the row numbered first or last in the window (numbered in
    paging order, so backwards the page's first row is the window's last)."""
    if not keyed:
        greatest = newest_first == first
        edge = f"{'max' if greatest else 'min'}(o.id) FILTER (WHERE o.rn <= {size})"
        return nullable(builder.dialect.base64_id("cursor", edge))
    last_numbered = first == args.backwards
    ranked = f"{builder.dialect.padded_rank('o.rn')} || o.c"
    picked = f"{'max' if last_numbered else 'min'}({ranked}) FILTER (WHERE o.rn <= {size})"
    return f"coalesce(substr({picked}, {RANK_WIDTH + 1}), 'null')"
