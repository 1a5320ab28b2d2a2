"""Relay plumbing: opaque global ids, keyset cursors, and one generic connection type."""

import asyncio
import base64
import binascii
from collections.abc import Awaitable, Callable, Iterable, Sequence
from dataclasses import dataclass, replace
from typing import Annotated, Generic, Protocol, TypeVar

import strawberry

from ..resolvers.core.counting import Counted
from ..resolvers.core.errors import ErrorCode, ValidationFailed
from ..resolvers.core.ids import is_row_id
from ..resolvers.core.pagination import (
    DEFAULT_PAGE_SIZE,
    MAX_PAGE_SIZE,
    Page,
    PageArgs,
    paginate_loaded,
)
from .context import Info

MAX_NODES = 100
"""The most ids `nodes(ids:)` takes at once."""

# The Relay pagination arguments, the same on every connection field.
First = Annotated[
    int | None,
    strawberry.argument(
        description=f"Return at most this many items (0 to {MAX_PAGE_SIZE}) from the start of "
        f"the list, or after `after`; {DEFAULT_PAGE_SIZE} when neither `first` nor `last` is "
        "given. Not together with `last`."
    ),
]
After = Annotated[
    str | None,
    strawberry.argument(
        description="Return the items after this cursor: the `endCursor` of the page before, "
        "or any edge's `cursor` from the same list."
    ),
]
Last = Annotated[
    int | None,
    strawberry.argument(
        description=f"Return at most this many items (0 to {MAX_PAGE_SIZE}) from the end of the "
        "list, or before `before`. Not together with `first`."
    ),
]
Before = Annotated[
    str | None,
    strawberry.argument(
        description="Return the items before this cursor: the `startCursor` of the page after, "
        "or any edge's `cursor` from the same list."
    ),
]

DATABASE_ID = "The object's id as an integer: the `id` the REST APIs use, where they show it."


class HasId(Protocol):
    @property
    def id(self) -> int: ...


T = TypeVar("T")
R = TypeVar("R", bound=HasId)


def _encode(text: str) -> str:
    return base64.urlsafe_b64encode(text.encode()).decode().rstrip("=")


def _decode(value: str) -> str:
    try:
        return base64.urlsafe_b64decode(value + "=" * (-len(value) % 4)).decode()
    except (binascii.Error, UnicodeDecodeError, ValueError) as bad:
        raise ValueError(value) from bad


def to_global_id(type_name: str, database_id: int) -> strawberry.ID:
    return strawberry.ID(_encode(f"{type_name}:{database_id}"))


def from_global_id(global_id: str, *, field: str = "id") -> tuple[str, int]:
    try:
        type_name, _, raw = _decode(global_id).partition(":")
        number = int(raw)
    except ValueError as bad:
        raise ValidationFailed.single(field, "The id is not valid.", ErrorCode.INVALID_ID) from bad
    # A number no row can have becomes 0, which no row has either: it is then missing like any
    # other unknown id, without reaching the database's integer range checks.
    return type_name, number if is_row_id(number) else 0


def database_id(global_id: str, expected_type: str, *, field: str = "id") -> int:
    type_name, number = from_global_id(global_id, field=field)
    if type_name != expected_type:
        message = f"The id is not of type {expected_type}."
        raise ValidationFailed.single(field, message, ErrorCode.INVALID_ID)
    return number


def database_ids(global_ids: Iterable[str], expected_type: str, *, field: str) -> list[int]:
    """The ids' numbers; an invalid one is refused with its place in the list."""
    numbers = []
    for index, value in enumerate(global_ids):
        try:
            numbers.append(database_id(value, expected_type, field=field))
        except ValidationFailed as invalid:
            placed = [replace(error, index=index) for error in invalid.errors]
            raise ValidationFailed(placed) from None
    return numbers


def to_cursor(database_id: int, key: tuple[str, str] | None = None) -> str:
    """A row's place in its list: its id, and for a list ordered by a key, the key's name and
    the row's key as text."""
    if key is None:
        return _encode(f"cursor:{database_id}")
    name, text = key
    return _encode(f"cursor:{database_id}:{name}:{text}")


@dataclass(frozen=True, slots=True)
class Cursor:
    database_id: int
    key_name: str | None = None
    key: str | None = None


def from_cursor(cursor: str | None, *, field: str) -> Cursor | None:
    if cursor is None:
        return None
    try:
        prefix, number, *key = _decode(cursor).split(":", 3)
        if prefix == "cursor" and len(key) in (0, 2):
            return Cursor(int(number), *key)
    except ValueError:
        pass
    raise ValidationFailed.single(field, "The cursor is not valid.", ErrorCode.INVALID_CURSOR)


def page_args(
    first: int | None, after: str | None, last: int | None, before: str | None
) -> PageArgs:
    after_cursor = from_cursor(after, field="after")
    before_cursor = from_cursor(before, field="before")
    named = [cursor.key_name for cursor in (after_cursor, before_cursor) if cursor is not None]
    if len(set(named)) > 1:
        message = "The cursors belong to lists in different orders."
        raise ValidationFailed.single("before", message, ErrorCode.INVALID_CURSOR)
    return PageArgs(
        first=first,
        after_id=after_cursor.database_id if after_cursor else None,
        last=last,
        before_id=before_cursor.database_id if before_cursor else None,
        after_key=after_cursor.key if after_cursor else None,
        before_key=before_cursor.key if before_cursor else None,
        key_name=named[0] if named else None,
    ).validate()


def _once(count: Callable[[int], Awaitable[Counted]]) -> Callable[[int], Awaitable[Counted]]:
    """`totalCount` and `totalCountIsExact` share one count."""
    counting: list[asyncio.Task[Counted]] = []

    def counted(limit: int) -> Awaitable[Counted]:
        if not counting:
            counting.append(asyncio.ensure_future(count(limit)))
        return counting[0]

    return counted


@strawberry.interface(description="An object with a global id, fetchable with `node(id:)`.")
class Node:
    id: strawberry.ID = strawberry.field(
        description="The object's global id: opaque and stable; pass it to `node(id:)` or to "
        "any argument that takes this type's id."
    )


@strawberry.type(description="Where a page sits in its list, and the cursors to move on from it.")
class PageInfo:
    has_next_page: bool = strawberry.field(
        description="Whether items follow this page. When paging backwards (`last`) it may be "
        "true merely because `before` was given."
    )
    has_previous_page: bool = strawberry.field(
        description="Whether items come before this page. When paging forwards (`first`) it "
        "may be true merely because `after` was given."
    )
    start_cursor: str | None = strawberry.field(
        description="The cursor of the page's first item, to pass as `before`; null when the "
        "page is empty."
    )
    end_cursor: str | None = strawberry.field(
        description="The cursor of the page's last item, to pass as `after` for the next page; "
        "null when the page is empty."
    )


@strawberry.type(description="One item of a page, with the cursor that marks its place.")
class Edge(Generic[T]):
    cursor: str = strawberry.field(
        description="Marks this item's place in the list, for `after` or `before`; opaque, and "
        "still valid once the item is gone."
    )
    node: T = strawberry.field(description="The item at this place in the list.")


@strawberry.type(
    description=f"A page of a list (at most {MAX_PAGE_SIZE} items), with cursors to fetch the "
    "pages around it: pass `pageInfo.endCursor` as `after` for the next one."
)
class Connection(Generic[T]):
    edges: list[Edge[T]] = strawberry.field(
        description="The items of this page with their cursors, in the list's order."
    )
    page_info: PageInfo = strawberry.field(
        description="Whether more pages exist, and the cursors to fetch them."
    )
    _count: strawberry.Private[Callable[[int], Awaitable[Counted]]]

    @strawberry.field(description="The items of this page without cursors, in the list's order.")
    def nodes(self) -> list[T]:
        return [edge.node for edge in self.edges]

    @strawberry.field(
        description="How many items the whole list holds, on every page together; counted "
        "only when asked for, so leave it out when it is not needed. Past the server's "
        "`COUNT_LIMIT` (10,000 unless set) an estimate: see `totalCountIsExact`."
    )
    async def total_count(self, info: Info) -> int:
        return (await self._count(info.context.settings.count_limit)).total

    @strawberry.field(
        description="Whether `totalCount` is exact: false when the list holds more than the "
        "server's `COUNT_LIMIT` items and `totalCount` is an estimate, which costs the same "
        "whatever the list's size."
    )
    async def total_count_is_exact(self, info: Info) -> bool:
        return (await self._count(info.context.settings.count_limit)).exact

    @classmethod
    def from_page(cls, page: Page[R], wrap: Callable[[R], T]) -> "Connection[T]":
        if page.key is None:
            edges = [Edge(cursor=to_cursor(row.id), node=wrap(row)) for row in page.items]
        else:
            name, keys = page.key
            edges = [
                Edge(cursor=to_cursor(row.id, (name, key)), node=wrap(row))
                for row, key in zip(page.items, keys, strict=True)
            ]
        info = PageInfo(
            has_next_page=page.has_next_page,
            has_previous_page=page.has_previous_page,
            start_cursor=edges[0].cursor if edges else None,
            end_cursor=edges[-1].cursor if edges else None,
        )
        return cls(edges=edges, page_info=info, _count=_once(page.count_up_to))

    @classmethod
    def of_loaded(
        cls, rows: Sequence[R], args: PageArgs, wrap: Callable[[R], T]
    ) -> "Connection[T]":
        """A page of rows a DataLoader already loaded, in ascending id order."""
        return cls.from_page(paginate_loaded(rows, args, key=lambda row: row.id), wrap)
