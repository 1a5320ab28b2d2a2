"""Relay plumbing: opaque global ids, keyset cursors, and one generic connection type."""

import base64
import binascii
from collections.abc import Awaitable, Callable, Iterable, Sequence
from typing import Generic, Protocol, TypeVar

import strawberry

from ..resolvers.core.errors import ErrorCode, ValidationFailed
from ..resolvers.core.ids import is_row_id
from ..resolvers.core.pagination import Page, PageArgs, paginate_loaded


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
    return [database_id(value, expected_type, field=field) for value in global_ids]


def to_cursor(database_id: int) -> str:
    return _encode(f"cursor:{database_id}")


def from_cursor(cursor: str | None, *, field: str) -> int | None:
    if cursor is None:
        return None
    try:
        prefix, _, raw = _decode(cursor).partition(":")
        if prefix == "cursor":
            return int(raw)
    except ValueError:
        pass
    raise ValidationFailed.single(field, "The cursor is not valid.", ErrorCode.INVALID_CURSOR)


def page_args(
    first: int | None, after: str | None, last: int | None, before: str | None
) -> PageArgs:
    return PageArgs(
        first=first,
        after_id=from_cursor(after, field="after"),
        last=last,
        before_id=from_cursor(before, field="before"),
    ).validate()


@strawberry.interface(description="An object with a global id, fetchable with `node(id:)`.")
class Node:
    id: strawberry.ID


@strawberry.type
class PageInfo:
    has_next_page: bool
    has_previous_page: bool
    start_cursor: str | None
    end_cursor: str | None


@strawberry.type
class Edge(Generic[T]):
    cursor: str
    node: T


@strawberry.type
class Connection(Generic[T]):
    edges: list[Edge[T]]
    page_info: PageInfo
    _count: strawberry.Private[Callable[[], Awaitable[int]]]

    @strawberry.field
    def nodes(self) -> list[T]:
        return [edge.node for edge in self.edges]

    @strawberry.field(description="Counted only when asked for.")
    async def total_count(self) -> int:
        return await self._count()

    @classmethod
    def from_page(cls, page: Page[R], wrap: Callable[[R], T]) -> "Connection[T]":
        edges = [Edge(cursor=to_cursor(row.id), node=wrap(row)) for row in page.items]
        info = PageInfo(
            has_next_page=page.has_next_page,
            has_previous_page=page.has_previous_page,
            start_cursor=edges[0].cursor if edges else None,
            end_cursor=edges[-1].cursor if edges else None,
        )
        return cls(edges=edges, page_info=info, _count=page.count)

    @classmethod
    def of_loaded(
        cls, rows: Sequence[R], args: PageArgs, wrap: Callable[[R], T]
    ) -> "Connection[T]":
        """A page of rows a DataLoader already loaded, in ascending id order."""
        return cls.from_page(paginate_loaded(rows, args, key=lambda row: row.id), wrap)
