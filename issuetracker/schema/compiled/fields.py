"""The SQL of each object type's fields: a field becomes an expression giving its JSON, read
from the row of the given alias. A field missing here is not compiled (the executor answers).

`TYPES` is filled by the modules of `types/` (one per domain), which the package loads; the
fields that reach other types (`types/related.py`) render them through `object_json`, which
looks them up here, so the types and their fields import one way."""

from collections.abc import Callable
from dataclasses import dataclass

from ...sqljson.dialects import Dialect, json_key, json_object, literal, nullable
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


TYPES: dict[str, ObjectType] = {}
"""Every compiled type by name (`types/` defines them)."""


def define(object_type: ObjectType) -> None:
    TYPES[object_type.name] = object_type


def object_json(
    builder: Builder, type_name: str, selections: list[Selection], alias: str, binding: Binding
) -> str:
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


def only_for_viewer(condition: str, value: str) -> str:
    """The JSON `value` when the SQL `condition` holds, else `null`."""
    return nullable(f"CASE WHEN {condition} THEN {value} END")
