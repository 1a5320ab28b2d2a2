"""The orders an issue list can be read in, each a sort key then the id, as SQL that both
read paths use; and each key as text, which cursors carry so paging stays keyset paging."""

from collections.abc import Callable
from dataclasses import dataclass
from enum import StrEnum
from typing import Any

from ...models import Severity
from ..core.errors import ErrorCode, ValidationFailed
from ..core.orders import name_key, time_key
from ..core.pagination import SortKey
from ..core.sql import SqlValues
from .inputs import IssueFilter
from .search import relevance_sql
from .search_language import NOTHING, ParsedSearch


class IssueOrderField(StrEnum):
    CREATED_AT = "created_at"
    UPDATED_AT = "updated_at"
    NAME = "name"
    SEVERITY = "severity"
    RELEVANCE = "relevance"


SEVERITY_RANKS = {Severity.INFO: 0, Severity.IMPORTANT: 1, Severity.CRITICAL: 2}


@dataclass(frozen=True, slots=True)
class IssueOrder:
    field: IssueOrderField
    descending: bool = True

    def check(self, wanted: IssueFilter) -> "IssueOrder":
        if self.field is IssueOrderField.RELEVANCE and not wanted.searching:
            message = "Order by relevance only together with a `search`."
            raise ValidationFailed.single("order_by", message, ErrorCode.INVALID_ARGUMENTS)
        return self


def sort_key(
    order: IssueOrder,
    row: str,
    values: SqlValues[IssueFilter],
    search: ParsedSearch = NOTHING,
) -> SortKey:
    """The key of the issue row `row` for `order`, as SQL; relevance ranks by `search` (the
    filter's, whose values `values` gives)."""
    key, text, parse, *cast = _KEYS[order.field](row, values, search)
    return SortKey(str(order.field), key, text, order.descending, parse, *cast)


Key = tuple[str, str, Callable[[str], Any]] | tuple[str, str, Callable[[str], Any], str]
"""(the key, the key as text, the cursor's text as a parameter[, how SQL casts it])"""
KeyMaker = Callable[[str, SqlValues[IssueFilter], ParsedSearch], Key]


def _time(column: str) -> KeyMaker:
    def key(row: str, values: SqlValues[IssueFilter], _: ParsedSearch) -> Key:
        return time_key(row, column, values.dialect)

    return key


def _name(row: str, values: SqlValues[IssueFilter], _: ParsedSearch) -> Key:
    return name_key(row)


def _severity(row: str, values: SqlValues[IssueFilter], _: ParsedSearch) -> Key:
    ranks = " ".join(f"WHEN '{name}' THEN {rank}" for name, rank in SEVERITY_RANKS.items())
    rank = f"(CASE {row}.severity {ranks} END)"
    return rank, f"CAST({rank} AS TEXT)", int


def _relevance(row: str, values: SqlValues[IssueFilter], search: ParsedSearch) -> Key:
    """Ranks are integers (`relevance_sql`), the same on both engines."""
    rank = relevance_sql(row, values, search, lambda wanted: wanted.parsed_search)
    return rank, f"CAST({rank} AS TEXT)", int


_KEYS: dict[IssueOrderField, KeyMaker] = {
    IssueOrderField.CREATED_AT: _time("created_at"),
    IssueOrderField.UPDATED_AT: _time("updated_at"),
    IssueOrderField.NAME: _name,
    IssueOrderField.SEVERITY: _severity,
    IssueOrderField.RELEVANCE: _relevance,
}
