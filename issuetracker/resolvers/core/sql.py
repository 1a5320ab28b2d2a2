"""The small SQL vocabulary the rules are written in: a viewer as an SQL expression, table
names as the ORM quotes them, and a queryset filtered by a raw condition."""

from typing import TypeVar

from tortoise.expressions import RawSQL
from tortoise.models import Model
from tortoise.queryset import QuerySet

from .actor import Actor

M = TypeVar("M", bound=Model)

Viewer = str | None
"""The viewer's user id as an SQL expression (a parameter or a literal); None when anonymous."""


def viewer_of(actor: Actor) -> Viewer:
    """For the ORM: the user id as a literal (an int, so nothing can be injected)."""
    return None if actor.user_id is None else str(int(actor.user_id))


def table(model: type[Model]) -> str:
    """The name the ORM gives a model's table in its statements."""
    return f'"{model._meta.db_table}"'


def where(queryset: QuerySet[M], condition: str, name: str = "visible") -> QuerySet[M]:
    """`queryset` narrowed by an SQL condition on its own table's row."""
    return queryset.annotate(**{f"_{name}": RawSQL(condition)}).filter(**{f"_{name}": True})
