"""The small SQL vocabulary the rules are written in, shared by the ORM's querysets and the
compiled read path: a viewer as an SQL expression, table names as the ORM quotes them, values
that become parameters (`SqlValues`), and a queryset narrowed by such a condition."""

import re
from collections.abc import Callable, Sequence
from typing import Protocol, TypeVar

from pypika_tortoise.context import SqlContext
from pypika_tortoise.terms import Term, ValueWrapper
from pypika_tortoise.utils import format_alias_sql
from tortoise.expressions import RawSQL
from tortoise.models import Model
from tortoise.queryset import QuerySet

from ...sqljson.dialects import Dialect
from ...sqljson.statements import current_dialect
from .actor import Actor

M = TypeVar("M", bound=Model)
S = TypeVar("S")
S_co = TypeVar("S_co", covariant=True)

Viewer = str | None
"""The viewer's user id as an SQL expression (a parameter or a literal); None when anonymous."""


def viewer_of(actor: Actor) -> Viewer:
    """For the ORM: the user id as a literal (an int, so nothing can be injected)."""
    return None if actor.user_id is None else str(int(actor.user_id))


def table(model: type[Model]) -> str:
    """The name the ORM gives a model's table in its statements."""
    return f'"{model._meta.db_table}"'


class SqlValues(Protocol[S_co]):
    """Where a rule's SQL gets its parameters. A rule asks for values of its input `S` through
    `get` functions, so the ORM can read them from the input at hand and the compiled path from
    each request's input."""

    dialect: Dialect

    def value(self, get: Callable[[S_co], object]) -> str: ...

    def int_list(self, column: str, get: Callable[[S_co], Sequence[int]]) -> str:
        """SQL: `column` is one of the integers."""
        ...


_MARKER = re.compile("\ue000(\\d+)\ue001")


class Fragment(Term):
    """Raw SQL with parameters, inside a queryset's statement."""

    def __init__(self, sql: str, values: list[object]) -> None:
        super().__init__()
        self.sql = sql
        self.values = values

    def get_sql(self, ctx: SqlContext) -> str:
        def placeholder(match: re.Match[str]) -> str:
            value = self.values[int(match[1])]
            if ctx.parameterizer is None:
                return str(ValueWrapper(value).get_sql(ctx))
            return str(ctx.parameterizer.create_param(value).get_sql(ctx))

        sql = f"({_MARKER.sub(placeholder, self.sql)})"
        return format_alias_sql(sql, self.alias, ctx) if ctx.with_alias else sql


class InputValues(SqlValues[S]):
    """The ORM's side: values read from the input now, kept for the statement."""

    def __init__(self, given: S) -> None:
        self.given = given
        self.dialect = current_dialect()
        self.values: list[object] = []

    def value(self, get: Callable[[S], object]) -> str:
        self.values.append(get(self.given))
        return f"\ue000{len(self.values) - 1}\ue001"

    def int_list(self, column: str, get: Callable[[S], Sequence[int]]) -> str:
        numbers = list(get(self.given))
        if not numbers:
            return "1 = 0"
        self.values.extend(numbers)
        first = len(self.values) - len(numbers)
        markers = (f"\ue000{first + n}\ue001" for n in range(len(numbers)))
        return f"{column} IN ({', '.join(markers)})"

    def fragment(self, sql: str) -> Fragment:
        return Fragment(sql, self.values)


def where(queryset: QuerySet[M], condition: str | Term, name: str = "visible") -> QuerySet[M]:
    """`queryset` narrowed by an SQL condition on its own table's row."""
    term = RawSQL(f"({condition})") if isinstance(condition, str) else condition
    return queryset.annotate(**{f"_{name}": term}).filter(**{f"_{name}": True})
