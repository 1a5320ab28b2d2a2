"""The orders of the viewer's token list (a plain list, not paged): newest first, or by when
each was made or last used, then by id. A token never used counts as used after every other
(last when ascending, first when descending) on both engines, which otherwise put NULLs at
different ends; every term runs one way, so one index serves both directions. SQL both read
paths use."""

from dataclasses import dataclass
from enum import StrEnum


class TokenOrderField(StrEnum):
    CREATED_AT = "created_at"
    LAST_USED_AT = "last_used_at"


@dataclass(frozen=True, slots=True)
class TokenOrder:
    field: TokenOrderField
    descending: bool = False


def token_order_sql(order: TokenOrder | None, row: str) -> list[tuple[str, bool]]:
    """(SQL, descending) terms ordering the api_tokens row `row`."""
    if order is None:
        return [(f"{row}.id", True)]
    terms = [(f"{row}.{order.field}", order.descending), (f"{row}.id", order.descending)]
    if order.field is TokenOrderField.LAST_USED_AT:
        never_used = f"(CASE WHEN {row}.last_used_at IS NULL THEN 1 ELSE 0 END)"
        terms.insert(0, (never_used, order.descending))
    return terms
