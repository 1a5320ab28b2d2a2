"""The orders a list other than issues can be read in: a sort key (a time, or a name
case-insensitively), then the id, as SQL both read paths use, with the key as text for cursors
(as `issues/ordering.py` does for issues, from the same key makers)."""

from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from enum import StrEnum
from typing import Any, TypeVar

from tortoise.models import Model
from tortoise.queryset import QuerySet

from ...sqljson.dialects import Dialect
from .pagination import OffsetArgs, Page, Pagination, SortKey, paginate, paginate_by_key
from .sql import InputValues, table

M = TypeVar("M", bound=Model)

Key = tuple[str, str, Callable[[str], Any]]
"""(the key, the key as text, the cursor's text as a parameter)"""


class ListOrderField(StrEnum):
    """Each a column, as cursors name it."""

    CREATED_AT = "created_at"
    NAME = "name"


@dataclass(frozen=True, slots=True)
class ListOrder:
    field: ListOrderField
    descending: bool = False


def time_key(row: str, column: str, dialect: Dialect) -> Key:
    """A time column of the row `row`, as text that sorts as the times do
    (`Dialect.sortable_time`)."""
    stored = f"{row}.{column}"
    parse = str if dialect.stores_times_as_text else _utc_time
    return stored, dialect.sortable_time(stored), parse


def _utc_time(text: str) -> datetime:
    return datetime.fromisoformat(text).replace(tzinfo=UTC)


def name_key(row: str) -> Key:
    lowered = f"lower({row}.name)"
    return lowered, lowered, str


def list_sort_key(order: ListOrder, row: str, dialect: Dialect) -> SortKey:
    """The key of the row `row` for `order`."""
    if order.field is ListOrderField.NAME:
        key, text, parse = name_key(row)
    else:
        key, text, parse = time_key(row, str(order.field), dialect)
    return SortKey(str(order.field), key, text, order.descending, parse)


async def paginate_in_order(
    queryset: QuerySet[M], page: Pagination, order: ListOrder | None, *, newest_first: bool
) -> Page[M]:
    """A page in `order` (keyset cursors carry its key), or in id order without one."""
    if order is None or isinstance(page, OffsetArgs):
        return await paginate(queryset, page, newest_first=newest_first)
    values: InputValues[None] = InputValues(None)
    key = list_sort_key(order, table(queryset.model), values.dialect)
    return await paginate_by_key(queryset, page, key, values)
