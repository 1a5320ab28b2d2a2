"""Pagination: keyset over the primary key in either direction (GraphQL), or numbered pages
(the REST dialects' paginators)."""

from bisect import bisect_left, bisect_right
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass
from typing import Any, Generic, TypeVar

from tortoise.models import Model
from tortoise.queryset import QuerySet

from .counting import Counted, count_up_to
from .errors import ErrorCode, ValidationFailed
from .ids import MAX_ID
from .sql import InputValues, table, where

MAX_PAGE_SIZE = 100
DEFAULT_PAGE_SIZE = 20
MAX_PAGE_NUMBER = MAX_ID // MAX_PAGE_SIZE
"""So an offset never passes what the database's integers hold."""

T = TypeVar("T")
M = TypeVar("M", bound=Model)


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


@dataclass(frozen=True, slots=True)
class OffsetArgs:
    """A numbered page, 1-based."""

    page: int = 1
    per_page: int = 15

    def validate(self) -> "OffsetArgs":
        if not 1 <= self.page <= MAX_PAGE_NUMBER:
            message = f"The page must be between 1 and {MAX_PAGE_NUMBER}."
            raise ValidationFailed.single("page", message, ErrorCode.OUT_OF_RANGE)
        if not 1 <= self.per_page <= MAX_PAGE_SIZE:
            raise ValidationFailed.single(
                "per_page",
                f"The per page must be between 1 and {MAX_PAGE_SIZE}.",
                ErrorCode.OUT_OF_RANGE,
            )
        return self

    @property
    def offset(self) -> int:
        return (self.page - 1) * self.per_page


Pagination = PageArgs | OffsetArgs


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


def _count_of(queryset: QuerySet[Any]) -> Callable[[], Awaitable[int]]:
    async def count() -> int:
        return await queryset.count()

    return count


def _counted(page: Page[M], queryset: QuerySet[M]) -> Page[M]:
    page.bounded = lambda limit: count_up_to(queryset, limit)
    return page


async def paginate(queryset: QuerySet[M], args: Pagination, *, newest_first: bool) -> Page[M]:
    """One statement for the page (plus one for `count`, only when asked for)."""
    args.validate()
    if isinstance(args, OffsetArgs):
        return await _paginate_by_offset(queryset, args, newest_first=newest_first)
    args.for_key(None)
    descending = newest_first != args.backwards
    page = queryset.order_by("-id" if descending else "id")
    if args.after_id is not None:
        page = (
            page.filter(id__lt=args.after_id) if newest_first else page.filter(id__gt=args.after_id)
        )
    if args.before_id is not None:
        page = (
            page.filter(id__gt=args.before_id)
            if newest_first
            else page.filter(id__lt=args.before_id)
        )
    rows = list(await page.limit(args.size + 1))
    has_more = len(rows) > args.size
    rows = rows[: args.size]
    if args.backwards:
        rows.reverse()
        return _counted(
            Page(rows, args.before_id is not None, has_more, _count_of(queryset)), queryset
        )
    return _counted(Page(rows, has_more, args.after_id is not None, _count_of(queryset)), queryset)


async def paginate_by_key(
    queryset: QuerySet[M], args: PageArgs, key: SortKey, values: InputValues[Any]
) -> Page[M]:
    """A keyset page in the key's order (then the id's); `values` holds the parameters of the
    key's SQL, which names the queryset's table as `table` writes it."""
    rows = list(await keyed_window(queryset, args, key, values))
    has_more = len(rows) > args.size
    rows = rows[: args.size]
    if args.backwards:
        rows.reverse()
        found = Page(rows, args.before_id is not None, has_more, _count_of(queryset))
    else:
        found = Page(rows, has_more, args.after_id is not None, _count_of(queryset))
    found.key = (key.name, [str(getattr(item, "cursor_key", "")) for item in rows])
    return _counted(found, queryset)


def keyed_window(
    queryset: QuerySet[M], args: PageArgs, key: SortKey, values: InputValues[Any]
) -> QuerySet[M]:
    """The rows past the cursors in paging order, one more than the page; each row with its
    key as text (`cursor_key`)."""
    args.validate().for_key(key)
    descending = key.descending != args.backwards
    window = queryset.annotate(
        sort_key=values.fragment(key.sql), cursor_key=values.fragment(key.text_sql)
    ).order_by(*(("-sort_key", "-id") if descending else ("sort_key", "id")))
    row = table(queryset.model)
    for cursor_id, cursor_key, field in (
        (args.after_id, args.after_key, "after"),
        (args.before_id, args.before_key, "before"),
    ):
        if cursor_id is None or cursor_key is None:
            continue
        greater = (field == "after") != key.descending
        given = key.cast.format(values.value(_constant(key.parameter(cursor_key, field))))
        number = values.value(_constant(cursor_id))
        condition = f"({key.sql}, {row}.id) {'>' if greater else '<'} ({given}, {number})"
        window = where(window, values.fragment(condition))
    return window.limit(args.size + 1)


def _constant(value: object) -> Callable[[object], object]:
    return lambda _: value


def paginate_loaded(rows: Sequence[T], args: PageArgs, key: Callable[[T], int]) -> Page[T]:
    """The same contract over rows a DataLoader already loaded in ascending id order. Cursors
    compare by id, so a cursor whose row has since gone still marks its place."""
    args.validate().for_key(None)
    ids = [key(row) for row in rows]
    start = bisect_right(ids, args.after_id) if args.after_id is not None else 0
    end = bisect_left(ids, args.before_id) if args.before_id is not None else len(rows)
    window = rows[start:end]
    if args.backwards:
        picked = window[max(0, len(window) - args.size) :]
        has_previous, has_next = len(window) > args.size, end < len(rows)
    else:
        picked = window[: args.size]
        has_next, has_previous = len(window) > args.size, start > 0

    async def count() -> int:
        return len(rows)

    return Page(picked, has_next, has_previous, count)


async def _paginate_by_offset(
    queryset: QuerySet[M], args: OffsetArgs, *, newest_first: bool
) -> Page[M]:
    return await paginate_ordered(queryset.order_by("-id" if newest_first else "id"), args)


async def paginate_ordered(ordered: QuerySet[M], args: OffsetArgs) -> Page[M]:
    """A numbered page of a queryset in the order it already has."""
    args.validate()
    rows = list(await ordered.offset(args.offset).limit(args.per_page + 1))
    has_more = len(rows) > args.per_page
    return Page(rows[: args.per_page], has_more, args.page > 1, _count_of(ordered))
