"""The compiled path's argument converters (`schema/compiled/arguments.py`) give every field of
the schema that takes an input object what Strawberry's own `convert_arguments` gives, for
generated arguments: the same input objects, lists, unset and null fields, global ids, and the
same error for a global id that is none."""

from base64 import b64encode
from typing import Any

from graphql import (
    GraphQLEnumType,
    GraphQLField,
    GraphQLInputObjectType,
    GraphQLInputType,
    GraphQLList,
    GraphQLNonNull,
    GraphQLScalarType,
    get_named_type,
)
from hypothesis import given, settings
from hypothesis import strategies as st
from strawberry.schema.schema_converter import GraphQLCoreConverter
from strawberry.types.arguments import convert_arguments

from issuetracker.schema.compiled.arguments import ArgumentConverters
from issuetracker.server import schema_of
from issuetracker.settings import Settings

DEEPEST = 3
IDS = [b64encode(b"Issue:7").decode(), b64encode(b"Category:12").decode(), "no global id", ""]
SCALARS: dict[str, st.SearchStrategy[Any]] = {
    "String": st.text(max_size=6),
    "Int": st.integers(-(2**31), 2**31 - 1),
    "Float": st.floats(allow_nan=False),
    "Boolean": st.booleans(),
    "ID": st.sampled_from(IDS),
}


def _value(type_: GraphQLInputType, depth: int = 0) -> st.SearchStrategy[Any]:
    if isinstance(type_, GraphQLNonNull):
        return _present(type_.of_type, depth)
    if depth >= DEEPEST:
        return st.none()
    return st.none() | _present(type_, depth)


def _present(type_: GraphQLInputType, depth: int) -> st.SearchStrategy[Any]:
    if isinstance(type_, GraphQLList):
        return st.lists(_value(type_.of_type, depth + 1), max_size=3)
    if isinstance(type_, GraphQLEnumType):
        return st.sampled_from([value.value for value in type_.values.values()])
    if isinstance(type_, GraphQLInputObjectType):
        required = {
            name: _value(field.type, depth + 1)
            for name, field in type_.fields.items()
            if isinstance(field.type, GraphQLNonNull)
        }
        optional = {
            name: _value(field.type, depth + 1)
            for name, field in type_.fields.items()
            if name not in required
        }
        return st.fixed_dictionaries(required, optional=optional)
    assert isinstance(type_, GraphQLScalarType)
    return SCALARS.get(type_.name, st.text(max_size=6))  # others pass through unchanged


def _fields_with_inputs(schema: Any) -> list[GraphQLField]:
    roots = [schema.query_type, schema.mutation_type]
    return [
        field
        for root in roots
        for field in root.fields.values()
        if any(
            isinstance(get_named_type(a.type), GraphQLInputObjectType) for a in field.args.values()
        )
    ]


def _converted(convert: Any) -> Any:
    try:
        return convert()
    except Exception as refused:
        return (type(refused), str(refused))


SCHEMA = schema_of(Settings(_env_file=None))[0]
FIELDS = _fields_with_inputs(SCHEMA._schema)
CONVERTERS = ArgumentConverters(SCHEMA.schema_converter.scalar_registry, SCHEMA.config)


def test_the_schema_has_fields_with_input_objects_and_the_converters_cover_them() -> None:
    assert len(FIELDS) > 20
    strawberry_fields = [f.extensions[GraphQLCoreConverter.DEFINITION_BACKREF] for f in FIELDS]
    uncovered = [f.name for f in strawberry_fields if CONVERTERS.of_field(f) is None]
    assert uncovered == ["update_action_item"]  # its input's `Maybe` fields stay Strawberry's


@settings(max_examples=300, derandomize=True, deadline=None)
@given(data=st.data())
def test_every_field_s_arguments_convert_as_strawberry_converts_them(data: st.DataObject) -> None:
    definition = data.draw(st.sampled_from(FIELDS))
    field = definition.extensions[GraphQLCoreConverter.DEFINITION_BACKREF]
    arguments = CONVERTERS.of_field(field)
    if arguments is None:
        return
    coerced = data.draw(
        st.fixed_dictionaries({}, optional={n: _value(a.type) for n, a in definition.args.items()})
    )
    ours = _converted(
        lambda: {
            python: convert(coerced[name]) for name, python, convert in arguments if name in coerced
        }
    )
    registry, config = SCHEMA.schema_converter.scalar_registry, SCHEMA.config
    theirs = _converted(lambda: convert_arguments(coerced, field.arguments, registry, config))
    assert ours == theirs
