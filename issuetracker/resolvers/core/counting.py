"""Counts that stay fast: a list's size counted exactly up to a bound (`COUNT_LIMIT`), and past
it estimated, at a cost that does not grow with the table.

The count walks the list newest first (the primary key's index) and stops one row past the
bound. Past it, the estimate assumes the rows not walked match as often as the walked ones: the
walk covered the ids from the newest down to the lowest one it met, so the list holds about
`found * (ids in the table) / (ids walked)` rows. `estimate` and `estimate_sql` are that one
formula, in integers, for both read paths."""

from dataclasses import dataclass
from typing import Any

from tortoise import connections
from tortoise.queryset import QuerySet

from .fragments import inner
from .sql import table


@dataclass(frozen=True, slots=True)
class Counted:
    total: int
    exact: bool


def estimate(found: int, lowest_found: int, lowest: int, highest: int) -> int:
    """`found` rows among the ids from `highest` down to `lowest_found`, of a table whose ids
    run from `lowest` to `highest`."""
    return found * (highest - lowest + 1) // (highest - lowest_found + 1)


def estimate_sql(found: str, lowest_found: str, table_name: str) -> str:
    """SQL: `estimate` over the table `table_name` (its ids read from the primary key)."""
    row = inner(table_name, "bound")
    highest = f"(SELECT max({row}.id) FROM {table_name} AS {row})"
    lowest = f"(SELECT min({row}.id) FROM {table_name} AS {row})"
    return f"({found} * ({highest} - {lowest} + 1) / ({highest} - {lowest_found} + 1))"


async def count_up_to(queryset: QuerySet[Any], limit: int) -> Counted:
    """The queryset's rows counted up to `limit`, estimated past it."""
    window = queryset.order_by("-id").limit(limit + 1).values_list("id", flat=True)
    ids: list[int] = [int(number) for number in await window]  # type: ignore[call-overload]
    if len(ids) <= limit:
        return Counted(len(ids), exact=True)
    name = table(queryset.model)
    connection = connections.get("default")
    rows = await connection.execute_query_dict(
        f"SELECT min(id) AS lowest, max(id) AS highest FROM {name}"
    )
    found = estimate(len(ids), min(ids), rows[0]["lowest"], rows[0]["highest"])
    return Counted(found, exact=False)
