"""Row ids: 32-bit integers, so a number outside their range names no row and must not reach
the database's integer checks."""

from collections.abc import Iterable

MAX_ID = 2**31 - 1


def is_row_id(number: int) -> bool:
    return 0 < number <= MAX_ID


def possible_ids(ids: Iterable[int]) -> list[int]:
    """Ids no row can have match nothing; they are left out."""
    return [number for number in ids if is_row_id(number)]
