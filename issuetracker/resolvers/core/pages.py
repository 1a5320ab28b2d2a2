"""What a paginated read takes and gives: keyset arguments in either direction (GraphQL), a
list's sort key, and the page found (numbered pages' arguments are `pagination.OffsetArgs`)."""

from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass
from typing import Any, Generic, TypeVar

from .counting import Counted
from .errors import ErrorCode, ValidationFailed
from .ids import MAX_ID

MAX_PAGE_SIZE = 100
DEFAULT_PAGE_SIZE = 20

T = TypeVar("T")


@dataclass(frozen=True, slots=True)
class SortKey:
    """A list ordered by a key, then by id, both one way. The key is SQL on a row; its text
    (`text_sql`) is what cursors carry, and `parse` turns that text back into a parameter
    to compare the key with (in SQL cast as `cast` says)."""

    name: str
    sql: str
    text_sql: str
    descending: bool
    parse: Callable[[str], Any]
    cast: str = "{}"

    def parameter(self, text: str, field: str) -> Any:
        """A cursor's key as the parameter to compare with; INVALID_CURSOR when malformed."""
        try:
            return self.parse(text)
        except ValueError:
            message = "The cursor is not valid."
            raise ValidationFailed.single(field, message, ErrorCode.INVALID_CURSOR) from None


@dataclass(frozen=True, slots=True)
class PageArgs:
    """`first`/`after_id` walk forwards, `last`/`before_id` backwards, in the list's order.
    A list ordered by a key has cursors that carry the key's name and its value as text."""

    first: int | None = None
    after_id: int | None = None
    last: int | None = None
    before_id: int | None = None
    after_key: str | None = None
    before_key: str | None = None
    key_name: str | None = None
    """The key the cursors were made for; None for a list in id order."""

    @property
    def backwards(self) -> bool:
        return self.last is not None and self.first is None

    @property
    def size(self) -> int:
        size = self.last if self.backwards else self.first
        return DEFAULT_PAGE_SIZE if size is None else size

    def validate(self) -> "PageArgs":
        for name, value in (("first", self.first), ("last", self.last)):
            if value is not None and not 0 <= value <= MAX_PAGE_SIZE:
                raise ValidationFailed.single(
                    name, f"`{name}` must be between 0 and {MAX_PAGE_SIZE}.", ErrorCode.OUT_OF_RANGE
                )
        for name, cursor in (("after", self.after_id), ("before", self.before_id)):
            if cursor is not None and not -MAX_ID <= cursor <= MAX_ID:
                raise ValidationFailed.single(
                    name, "The cursor is not valid.", ErrorCode.INVALID_CURSOR
                )
        if self.first is not None and self.last is not None:
            raise ValidationFailed.single(
                "last", "Pass either `first` or `last`, not both.", ErrorCode.INVALID_ARGUMENTS
            )
        return self

    def for_key(self, key: SortKey | None) -> "PageArgs":
        """These arguments, refused when their cursors were made for another order."""
        name = key.name if key is not None else None
        if self.key_name != name and (self.after_id, self.before_id) != (None, None):
            field = "after" if self.after_id is not None else "before"
            message = "The cursor belongs to a list in another order."
            raise ValidationFailed.single(field, message, ErrorCode.INVALID_CURSOR)
        return self


@dataclass(slots=True)
class Page(Generic[T]):
    items: Sequence[T]
    has_next_page: bool
    has_previous_page: bool
    count: Callable[[], Awaitable[int]]
    key: tuple[str, Sequence[str]] | None = None
    """For a list ordered by a key: its name, and each item's key as text, for cursors."""
    bounded: Callable[[int], Awaitable[Counted]] | None = None
    """For a list read by a query: its count up to a bound, estimated past it."""

    async def count_up_to(self, limit: int) -> Counted:
        """The count up to `limit` (estimated past it); exact for a list without a bound."""
        if self.bounded is None:
            return Counted(await self.count(), exact=True)
        return await self.bounded(limit)
