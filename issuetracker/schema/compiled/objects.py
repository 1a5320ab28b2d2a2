"""The SQL of each object type's fields: a field becomes an expression giving its JSON, read
from the row of the given alias. A field missing here is not compiled (the executor answers)."""

from collections.abc import Callable
from dataclasses import dataclass

from ...sqljson.arrays import Order, json_array
from ...sqljson.dialects import Dialect, json_key, json_object, literal, nullable
from .connections import KeyOf, Link, Paging, Source, connection
from .selections import TYPENAME, Selection
from .statements import Binding, Builder, NotCompiled

FieldSql = Callable[[Builder, Selection, str, Binding], str]
"""(builder, the field's selection, the alias of the row, the request being compiled)"""
Render = Callable[[Dialect, str], str]


@dataclass(frozen=True)
class ObjectType:
    name: str
    table: str
    fields: dict[str, FieldSql]


def object_json(
    builder: Builder, type_name: str, selections: list[Selection], alias: str, binding: Binding
) -> str:
    from .object_types import TYPES  # the types' fields use the helpers above

    object_type = TYPES.get(type_name)
    if object_type is None:
        raise NotCompiled(type_name)
    pairs = []
    for selection in selections:
        if selection.name == TYPENAME:
            pairs.append((selection.key, literal(json_key(type_name))))
            continue
        field_sql = object_type.fields.get(selection.name)
        if field_sql is None or selection.uses_fragment_variables:
            raise NotCompiled(f"{type_name}.{selection.name}")
        pairs.append((selection.key, field_sql(builder, selection, alias, binding)))
    return json_object(pairs)


# --- scalars ---------------------------------------------------------------------------------


def _nullable(render: Render) -> Render:
    return lambda dialect, expression: nullable(render(dialect, expression))


TEXT: Render = Dialect.text
INTEGER: Render = Dialect.integer
BOOLEAN: Render = Dialect.boolean
DATETIME: Render = Dialect.datetime
DATE: Render = Dialect.date
UUID: Render = Dialect.uuid
ENUM: Render = Dialect.enum_name


def column(name: str, render: Render, *, null: bool = False) -> FieldSql:
    shown = _nullable(render) if null else render
    return lambda builder, selection, alias, binding: shown(builder.dialect, f"{alias}.{name}")


def expression(sql: Callable[[str], str], render: Render, *, null: bool = False) -> FieldSql:
    """A value computed from the row (`sql` takes the row's alias)."""
    shown = _nullable(render) if null else render
    return lambda builder, selection, alias, binding: shown(builder.dialect, sql(alias))


def global_id(type_name: str) -> FieldSql:
    return lambda builder, selection, alias, binding: builder.dialect.base64_id(
        type_name, f"{alias}.id"
    )


def node_fields(type_name: str) -> dict[str, FieldSql]:
    return {"id": global_id(type_name), "databaseId": column("id", INTEGER)}


# --- relations -------------------------------------------------------------------------------


def to_one(type_name: str, table: str, key: str, *, null: bool = True) -> FieldSql:
    """The row of `table` whose id is this row's `key` column."""

    def sql(builder: Builder, selection: Selection, alias: str, binding: Binding) -> str:
        other = builder.alias("r")
        shown = object_json(builder, type_name, selection.children(), other, binding)
        found = f"(SELECT {shown} FROM {table} AS {other} WHERE {other}.id = {alias}.{key})"
        return nullable(found) if null else found

    return sql


ListSource = Callable[[Builder, str, str], tuple[str, list[Order]]]
"""(builder, the listed row's alias, the parent's alias) -> (`FROM ... WHERE ...`, order)"""


def to_many(type_name: str, source: ListSource) -> FieldSql:
    """A plain list (not a connection) of objects."""

    def sql(builder: Builder, selection: Selection, alias: str, binding: Binding) -> str:
        row = builder.alias("m")
        shown = object_json(builder, type_name, selection.children(), row, binding)
        rows, order = source(builder, row, alias)
        return json_array(builder.dialect, shown, rows, order)

    return sql


def connection_of(
    type_name: str,
    table: str,
    where: Callable[[Builder, str, str], str],
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


def by_parent(column_name: str) -> Callable[[Builder, str, str], str]:
    return lambda builder, row, parent: f"{row}.{column_name} = {parent}.id"
