"""Fields that reach other rows: one row, a plain list, a Relay connection, or one of the
relations of `resolvers/<domain>/relations.py` (with the rule of which rows a viewer is shown)."""

from collections.abc import Callable

from ....resolvers.core.fragments import Relation, link_of
from ....sqljson.arrays import Order, json_array
from ....sqljson.dialects import nullable
from ..connections import KeyOf, Link, Paging, Source, connection
from ..fields import FieldSql, object_json
from ..selections import Selection
from ..statements import Binding, Builder

Where = Callable[[Builder, str, str], str]
"""(builder, the listed row's alias, the parent's alias) -> the SQL condition"""


def to_one(type_name: str, table: str, key: str, *, null: bool = True) -> FieldSql:
    """The row of `table` whose id is this row's `key` column."""

    def sql(builder: Builder, selection: Selection, alias: str, binding: Binding) -> str:
        other = builder.alias("r")
        shown = object_json(builder, type_name, selection.children(), other, binding)
        found = f"(SELECT {shown} FROM {table} AS {other} WHERE {other}.id = {alias}.{key})"
        return nullable(found) if null else found

    return sql


def user(key: str) -> FieldSql:
    return to_one("User", "users", key)


def to_many(type_name: str, relation: Relation) -> FieldSql:
    """A plain list (not a connection) of the relation's rows the viewer is shown."""

    def sql(builder: Builder, selection: Selection, alias: str, binding: Binding) -> str:
        row = builder.alias("m")
        shown = object_json(builder, type_name, selection.children(), row, binding)
        rows, order = relation.rows(row, f"{alias}.id", _viewer(builder, relation))
        return json_array(builder.dialect, shown, rows, [Order(order)])

    return sql


def connection_of(
    type_name: str,
    table: str,
    where: Where,
    *,
    newest_first: bool = False,
    paging: Paging = Paging.LOADED,
    link: Link | None = None,
    key: KeyOf | None = None,
    bounded: bool = False,
) -> FieldSql:
    def sql(builder: Builder, selection: Selection, alias: str, binding: Binding) -> str:
        source = Source(
            type_name,
            table,
            lambda inner_builder, row: where(inner_builder, row, alias),
            newest_first,
            paging,
            link,
            key,
            bounded,
        )
        return connection(builder, selection, source, binding)

    return sql


def relation_connection(
    type_name: str, relation: Relation, *, key: KeyOf | None = None
) -> FieldSql:
    """A connection over the relation's rows the viewer is shown."""

    def where(builder: Builder, row: str, parent: str) -> str:
        link = link_of(row) if relation.link else None
        return relation.condition(row, f"{parent}.id", _viewer(builder, relation), link)

    return connection_of(type_name, relation.table, where, link=relation.link, key=key)


def _viewer(builder: Builder, relation: Relation) -> str | None:
    """The viewer, for a relation whose rows depend on it (asking binds it to the statement)."""
    return builder.viewer() if relation.shown is not None else None
