"""JSON arrays aggregated from rows, in a given order, on both databases."""

from collections.abc import Sequence
from dataclasses import dataclass

from .dialects import Dialect


@dataclass(frozen=True, slots=True)
class Order:
    expression: str
    descending: bool = False

    def sql(self, expression: str | None = None) -> str:
        return f"{expression or self.expression}{' DESC' if self.descending else ''}"


def json_array(
    dialect: Dialect, item: str, source: str, order: Sequence[Order], limit: str | None = None
) -> str:
    """`[item, ...]` over the rows of `source` (`FROM ... WHERE ...`), in `order`; `[]` for
    none. PostgreSQL sorts inside the aggregate; SQLite's aggregate cannot, so there the rows
    are sorted in a subquery first."""
    if dialect.is_postgres and limit is None:
        joined = dialect.concat(item, ", ".join(key.sql() for key in order))
        return f"(SELECT coalesce('[' || {joined} || ']', '[]') {source})"
    columns = "".join(f", {key.expression} AS o{n}" for n, key in enumerate(order))
    inner_order = ", ".join(key.sql() for key in order)
    limited = f" LIMIT {limit}" if limit else ""
    rows = f"SELECT {item} AS j{columns} {source} ORDER BY {inner_order}{limited}"
    outer_order = ", ".join(key.sql(f"t.o{n}") for n, key in enumerate(order))
    joined = dialect.concat("t.j", outer_order)
    return f"(SELECT coalesce('[' || {joined} || ']', '[]') FROM ({rows}) AS t)"
