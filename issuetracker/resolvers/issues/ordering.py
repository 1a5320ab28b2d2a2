"""The orders an issue list can be read in, each a sort key then the id, as SQL that both
read paths use; and each key as text, which cursors carry so paging stays keyset paging."""

from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from enum import StrEnum
from typing import Any

from ...models import Severity
from ..core.errors import ErrorCode, ValidationFailed
from ..core.pagination import SortKey
from ..core.sql import SqlValues
from .inputs import IssueFilter
from .search import relevance_sql


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
        if self.field is IssueOrderField.RELEVANCE and not wanted.search:
            message = "Order by relevance only together with a `search`."
            raise ValidationFailed.single("order_by", message, ErrorCode.INVALID_ARGUMENTS)
        return self


def sort_key(order: IssueOrder, row: str, values: SqlValues[IssueFilter]) -> SortKey:
    """The key of the issue row `row` for `order`, as SQL; `values` gives the search text to
    rank by relevance."""
    postgres = values.dialect.is_postgres
    key, text, parse, *cast = _KEYS[order.field](row, values, postgres)
    return SortKey(str(order.field), key, text, order.descending, parse, *cast)


Key = tuple[str, str, Callable[[str], Any]] | tuple[str, str, Callable[[str], Any], str]
"""(the key, the key as text, the cursor's text as a parameter[, how SQL casts it])"""


def _time(column: str) -> Callable[[str, SqlValues[IssueFilter], bool], Key]:
    def key(row: str, values: SqlValues[IssueFilter], postgres: bool) -> Key:
        stored = f"{row}.{column}"
        if not postgres:  # SQLite stores fixed-form text, which sorts as the times do
            return stored, stored, str
        text = f"to_char({stored} AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS.US')"
        return stored, text, _utc_time

    return key


def _utc_time(text: str) -> datetime:
    return datetime.fromisoformat(text).replace(tzinfo=UTC)


def _name(row: str, values: SqlValues[IssueFilter], postgres: bool) -> Key:
    lowered = f"lower({row}.name)"
    return lowered, lowered, str


def _severity(row: str, values: SqlValues[IssueFilter], postgres: bool) -> Key:
    ranks = " ".join(f"WHEN '{name}' THEN {rank}" for name, rank in SEVERITY_RANKS.items())
    rank = f"(CASE {row}.severity {ranks} END)"
    return rank, f"CAST({rank} AS TEXT)", int


def _relevance(row: str, values: SqlValues[IssueFilter], postgres: bool) -> Key:
    """Ranks are floating point: their text must give back the very same number, or a cursor
    would skip or repeat the rows that tie with it."""
    rank = relevance_sql(row, values, lambda wanted: wanted.search or "")
    if postgres:  # a real's text is its shortest exact form; the parameter is cast back to real
        return rank, f"CAST({rank} AS TEXT)", float, "CAST({} AS REAL)"
    return rank, f"printf('%.17g', {rank})", float


_KEYS: dict[IssueOrderField, Callable[[str, SqlValues[IssueFilter], bool], Key]] = {
    IssueOrderField.CREATED_AT: _time("created_at"),
    IssueOrderField.UPDATED_AT: _time("updated_at"),
    IssueOrderField.NAME: _name,
    IssueOrderField.SEVERITY: _severity,
    IssueOrderField.RELEVANCE: _relevance,
}
