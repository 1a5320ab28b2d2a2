"""The small SQL vocabulary the rules are written in, shared by the ORM's querysets and the
compiled read path: a viewer as an SQL expression, table names as the ORM quotes them, values
that become parameters (`SqlValues`), and a queryset narrowed by such a condition."""

import re
from collections.abc import Callable, Sequence
from typing import Protocol, TypeVar

from pypika_tortoise.context import SqlContext
from pypika_tortoise.terms import Criterion, ValueWrapper
from pypika_tortoise.utils import format_alias_sql
from tortoise.expressions import Q, ResolveContext
from tortoise.models import Model
from tortoise.query_utils import QueryModifier
from tortoise.queryset import QuerySet

from ...sqljson.dialects import Dialect
from ...sqljson.statements import current_dialect
from .actor import Actor

M = TypeVar("M", bound=Model)
S = TypeVar("S")
S_co = TypeVar("S_co", covariant=True)

Viewer = str | None
"""The viewer's user id as an SQL expression (a parameter or a literal); None when anonymous.
For a company-limited token it is a `LimitedViewer`."""


class LimitedViewer(str):
    """The user id of a company-limited token's viewer, as SQL, which also knows its limit:
    `companies(column)` is the SQL condition that the company id in `column` is one of the
    token's. It passes wherever a viewer does, so every rule that reads memberships through
    `own_membership_sql` acts as if the user were a member of those companies only."""

    companies: Callable[[str], str]


def limited(viewer: str, companies: Callable[[str], str]) -> LimitedViewer:
    narrowed = LimitedViewer(viewer)
    narrowed.companies = companies
    return narrowed


def literal_companies(companies: frozenset[int]) -> Callable[[str], str]:
    """The limit as literal integers (ints, so nothing can be injected)."""
    listed = ", ".join(str(int(number)) for number in sorted(companies))
    return lambda column: f"{column} IN ({listed})" if listed else "1 = 0"


def viewer_sql(user_id: str, companies: frozenset[int] | None) -> str:
    """The viewer expression `user_id`, limited to `companies` (literals) when there are any."""
    return user_id if companies is None else limited(user_id, literal_companies(companies))


def is_limited(viewer: Viewer) -> bool:
    return isinstance(viewer, LimitedViewer)


def own_membership_sql(membership: str, viewer: str) -> str:
    """SQL: the memberships row `membership` is the viewer's own, and one a company-limited
    token may use."""
    condition = f"{membership}.user_id = {viewer}"
    if isinstance(viewer, LimitedViewer):
        condition = f"{condition} AND {viewer.companies(f'{membership}.company_id')}"
    return condition


def viewer_of(actor: Actor) -> Viewer:
    """For the ORM: the user id as a literal (an int, so nothing can be injected)."""
    if actor.user_id is None:
        return None
    return viewer_sql(str(int(actor.user_id)), actor.companies)


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


class Fragment(Criterion):
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


class RawCondition(Q):
    """A filter written as SQL. It stands in the WHERE clause as it is (not compared with
    `true`), so PostgreSQL can turn its EXISTS into joins."""

    def __init__(self, condition: Fragment) -> None:
        super().__init__()
        self.condition = condition

    def resolve(self, resolve_context: ResolveContext) -> QueryModifier:
        return QueryModifier(where_criterion=self.condition)


class RecordedValues(SqlValues[S]):
    """For a statement built once and run many times: it records how to read each value, and
    `values_of` reads them from each run's input. Its parameters are numbered from `first`."""

    def __init__(self, dialect: Dialect, first: int) -> None:
        self.dialect = dialect
        self.first = first
        self.reads: list[Callable[[S], object]] = []

    def value(self, get: Callable[[S], object]) -> str:
        self.reads.append(get)
        return self.dialect.param(self.first + len(self.reads) - 1)

    def int_list(self, column: str, get: Callable[[S], Sequence[int]]) -> str:
        self.reads.append(lambda given: self.dialect.int_list(get(given)))
        return self.dialect.in_int_list(column, self.first + len(self.reads) - 1)

    def values_of(self, given: S) -> list[object]:
        return [read(given) for read in self.reads]


def where(queryset: QuerySet[M], condition: str | Fragment) -> QuerySet[M]:
    """`queryset` narrowed by an SQL condition on its own table's row."""
    fragment = Fragment(condition, []) if isinstance(condition, str) else condition
    return queryset.filter(RawCondition(fragment))
