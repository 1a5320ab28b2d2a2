"""Pagination: the keyset window every paginated read uses (the ORM's, the batches' and the
compiled path's), and numbered pages (the REST dialects' paginators)."""

from bisect import bisect_left, bisect_right
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass
from typing import Any, Protocol, TypeVar

from tortoise.models import Model
from tortoise.queryset import QuerySet

from .counting import count_up_to
from .errors import ErrorCode, ValidationFailed
from .ids import MAX_ID
from .pages import DEFAULT_PAGE_SIZE, MAX_PAGE_SIZE, Page, PageArgs, SortKey
from .sql import InputValues, table, where

__all__ = ["DEFAULT_PAGE_SIZE", "MAX_PAGE_SIZE", "Page", "PageArgs", "SortKey"]

T = TypeVar("T")
M = TypeVar("M", bound=Model)

MAX_PAGE_NUMBER = MAX_ID // MAX_PAGE_SIZE
"""So an offset never passes what the database's integers hold."""


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

    @property
    def limit(self) -> int:
        """The rows a page reads: one more, to know whether another page follows."""
        return self.per_page + 1


Pagination = PageArgs | OffsetArgs


def _count_of(queryset: QuerySet[Any]) -> Callable[[], Awaitable[int]]:
    async def count() -> int:
        return await queryset.count()

    return count


def _counted(page: Page[M], queryset: QuerySet[M]) -> Page[M]:
    page.bounded = lambda limit: count_up_to(queryset, limit)
    return page


# --- the keyset window: every paginated read's, the compiled path's and the batches' too ---


class CursorParams(Protocol):
    """How the window's SQL names the cursors' values, each read from the page's arguments by
    `read`: the compiled path binds them at each request, the others take them as given."""

    def id_param(self, read: Callable[[PageArgs], int | None]) -> str: ...

    def key_param(self, read: Callable[[PageArgs], object]) -> str: ...


class GivenCursors(CursorParams):
    """The cursors of `args` as parameters, each made by `add` (a value in, its SQL out)."""

    def __init__(self, args: PageArgs, add: Callable[[object], str]) -> None:
        self.args = args
        self.add = add

    def id_param(self, read: Callable[[PageArgs], int | None]) -> str:
        return self.add(read(self.args))

    def key_param(self, read: Callable[[PageArgs], object]) -> str:
        return self.add(read(self.args))


@dataclass(frozen=True, slots=True)
class Window:
    """A keyset window as SQL: the rows past the cursors (`conditions`), in paging order
    (`order`, `descending`), one more than the page (`limit`) to know whether more follow."""

    conditions: list[str]
    order: str
    descending: bool
    limit: int


def keyset_window(
    args: PageArgs,
    key: SortKey | None,
    row: str,
    params: CursorParams,
    *,
    newest_first: bool,
    order_id: str | None = None,
) -> Window:
    """The window of the list whose row is `row`, in the key's order then the id's; without a
    key in id order, highest first when `newest_first`, the id read as `order_id` (a link
    table's column, so its index orders the rows) when given."""
    args.validate().for_key(key)
    descending = (key.descending if key else newest_first) != args.backwards
    direction = " DESC" if descending else ""
    row_id = f"{row}.id"
    ordered_id = row_id if key is not None or order_id is None else order_id
    order = f"{ordered_id}{direction}"
    if key is not None:
        order = f"{key.sql}{direction}, {order}"
    conditions = []
    for field in ("after", "before"):
        if cursor_id(args, field) is None:
            continue
        later = (field == "after") != (key.descending if key else newest_first)
        comparison = ">" if later else "<"
        number = params.id_param(_cursor_id_of(field))
        if key is None:
            conditions.append(f"{ordered_id} {comparison} {number}")
            continue
        value = key.cast.format(params.key_param(_cursor_key(key, field)))
        conditions.append(f"({key.sql}, {row_id}) {comparison} ({value}, {number})")
    return Window(conditions, order, descending, args.size + 1)


def cursor_id(args: PageArgs, field: str) -> int | None:
    """The id of the cursor `field` names ("after" or "before")."""
    return args.after_id if field == "after" else args.before_id


def _cursor_id_of(field: str) -> Callable[[PageArgs], int | None]:
    return lambda args: cursor_id(args, field)


def _cursor_key(key: SortKey, field: str) -> Callable[[PageArgs], object]:
    def read(args: PageArgs) -> object:
        text = args.after_key if field == "after" else args.before_key
        return key.parameter(text or "", field)

    return read


def page_edges(args: PageArgs, more: T, beyond: Callable[[str], T]) -> tuple[T, T]:
    """(has a next page, has a previous page): on the side the page was read towards, `more`
    (the window held a row past the page); on the other, `beyond` the cursor of that side
    ("after" or "before"). For a list read by a query, a cursor given means rows beyond it."""
    if args.backwards:
        return beyond("before"), more
    return more, beyond("after")


def window_page(rows: Sequence[T], args: PageArgs) -> tuple[list[T], bool, bool]:
    """The page among a window's rows (read in paging order), in the list's order, and whether
    a next and a previous page follow."""
    page = list(rows[: args.size])
    if args.backwards:
        page.reverse()
    given = lambda field: cursor_id(args, field) is not None  # noqa: E731
    return page, *page_edges(args, len(rows) > args.size, given)


async def paginate(queryset: QuerySet[M], args: Pagination, *, newest_first: bool) -> Page[M]:
    """One statement for the page (plus one for `count`, only when asked for)."""
    args.validate()
    if isinstance(args, OffsetArgs):
        return await _paginate_by_offset(queryset, args, newest_first=newest_first)
    values: InputValues[None] = InputValues(None)
    rows = await keyed_window(queryset, args, None, values, newest_first=newest_first)
    page, has_next, has_previous = window_page(rows, args)
    return _counted(Page(page, has_next, has_previous, _count_of(queryset)), queryset)


async def paginate_by_key(
    queryset: QuerySet[M], args: PageArgs, key: SortKey, values: InputValues[Any]
) -> Page[M]:
    """A keyset page in the key's order (then the id's); `values` holds the parameters of the
    key's SQL, which names the queryset's table as `table` writes it."""
    rows = await keyed_window(queryset, args, key, values, newest_first=key.descending)
    page, has_next, has_previous = window_page(rows, args)
    found = Page(page, has_next, has_previous, _count_of(queryset))
    found.key = (key.name, [str(getattr(item, "cursor_key", "")) for item in page])
    return _counted(found, queryset)


def keyed_window(
    queryset: QuerySet[M],
    args: PageArgs,
    key: SortKey | None,
    values: InputValues[Any],
    *,
    newest_first: bool = False,
) -> QuerySet[M]:
    """The queryset's `keyset_window`, each row with its key as text (`cursor_key`); without
    a key, in id order (highest first when `newest_first`)."""
    cursors = GivenCursors(args, lambda value: values.value(_constant(value)))
    window = keyset_window(args, key, table(queryset.model), cursors, newest_first=newest_first)
    if key is None:
        ordered = queryset.order_by("-id" if window.descending else "id")
    else:
        keyed = queryset.annotate(
            sort_key=values.fragment(key.sql), cursor_key=values.fragment(key.text_sql)
        )
        ordered = keyed.order_by(
            *(("-sort_key", "-id") if window.descending else ("sort_key", "id"))
        )
    for condition in window.conditions:
        ordered = where(ordered, values.fragment(condition))
    return ordered.limit(window.limit)


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
    picked = window[max(0, len(window) - args.size) :] if args.backwards else window[: args.size]
    beyond = lambda field: start > 0 if field == "after" else end < len(rows)  # noqa: E731
    has_next, has_previous = page_edges(args, len(window) > args.size, beyond)

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
    rows = list(await ordered.offset(args.offset).limit(args.limit))
    has_more = len(rows) > args.per_page
    return Page(rows[: args.per_page], has_more, args.page > 1, _count_of(ordered))
