"""Pagination: keyset over the primary key in either direction (GraphQL), or numbered pages
(the REST dialects' paginators)."""

from bisect import bisect_left, bisect_right
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass
from typing import Any, Generic, TypeVar

from tortoise.models import Model
from tortoise.queryset import QuerySet

from .errors import ErrorCode, ValidationFailed
from .ids import MAX_ID

MAX_PAGE_SIZE = 100
DEFAULT_PAGE_SIZE = 20
MAX_PAGE_NUMBER = MAX_ID // MAX_PAGE_SIZE
"""So an offset never passes what the database's integers hold."""

T = TypeVar("T")
M = TypeVar("M", bound=Model)


@dataclass(frozen=True, slots=True)
class PageArgs:
    """`first`/`after_id` walk forwards, `last`/`before_id` backwards, in the list's order."""

    first: int | None = None
    after_id: int | None = None
    last: int | None = None
    before_id: int | None = None

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


def _count_of(queryset: QuerySet[Any]) -> Callable[[], Awaitable[int]]:
    async def count() -> int:
        return await queryset.count()

    return count


async def paginate(queryset: QuerySet[M], args: Pagination, *, newest_first: bool) -> Page[M]:
    """One statement for the page (plus one for `count`, only when asked for)."""
    args.validate()
    if isinstance(args, OffsetArgs):
        return await _paginate_by_offset(queryset, args, newest_first=newest_first)
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
        return Page(rows, args.before_id is not None, has_more, _count_of(queryset))
    return Page(rows, has_more, args.after_id is not None, _count_of(queryset))


def paginate_loaded(rows: Sequence[T], args: PageArgs, key: Callable[[T], int]) -> Page[T]:
    """The same contract over rows a DataLoader already loaded in ascending id order. Cursors
    compare by id, so a cursor whose row has since gone still marks its place."""
    args.validate()
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
