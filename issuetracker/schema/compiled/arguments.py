"""Arguments converted as Strawberry's `convert_arguments` converts them, by a converter worked
out once per field: Strawberry decides, for every value of every request, what kind of type it
converts (resolving each input field's annotation again), which cost a mutation with an input
object a tenth of its time. The converter covers lists, optionals, scalars, enums, global ids
and plain input objects (recursive ones too); a field whose arguments hold anything else (an
input with its own `from_input`, a `Maybe`) keeps Strawberry's conversion."""

from collections.abc import Callable
from dataclasses import MISSING
from typing import Any

from strawberry.relay.types import GlobalID, GlobalIDValueError, InvalidGlobalIDError
from strawberry.types.arguments import _is_leaf_type, _is_optional_leaf_type
from strawberry.types.base import (
    StrawberryList,
    StrawberryMaybe,
    StrawberryOptional,
    has_object_definition,
)
from strawberry.types.enum import has_enum_definition
from strawberry.types.lazy_type import LazyType
from strawberry.types.unset import UNSET

Convert = Callable[[Any], Any]
Arguments = list[tuple[str, str, Convert]]
"""Each argument's GraphQL name, Python name and converter."""


class _NotCovered(Exception):
    """A type this module leaves to Strawberry."""


class ArgumentConverters:
    def __init__(self, registry: Any, config: Any) -> None:
        self._registry, self._config = registry, config
        self._objects: dict[type, Convert] = {}

    def of_field(self, field: Any) -> Arguments | None:
        """The field's arguments' converters; None when Strawberry must convert them."""
        known = dict(self._objects)
        try:
            return [
                (self._config.name_converter.from_argument(a), a.python_name, self._of(a.type))
                for a in field.arguments
            ]
        except _NotCovered:  # forgets the inputs met on the way: they may hold one unfinished
            self._objects = known
            return None

    def _of(self, type_: Any) -> Convert:
        if isinstance(type_, StrawberryMaybe):
            raise _NotCovered()
        if isinstance(type_, StrawberryOptional):
            return self._of(type_.of_type)
        if isinstance(type_, LazyType):
            return self._of(type_.resolve_type())
        if isinstance(type_, StrawberryList):
            return self._list_of(type_)
        if type_ is GlobalID:
            return _global_id
        if _is_leaf_type(type_, self._registry) or has_enum_definition(type_):
            return _as_given  # graphql-core made them Python values already
        if has_object_definition(type_):
            return self._object_of(type_)
        raise _NotCovered()

    def _list_of(self, type_: StrawberryList) -> Convert:
        item = type_.of_type
        skip = (GlobalID,)
        if _is_leaf_type(item, self._registry, skip) or _is_optional_leaf_type(
            item, self._registry, skip
        ):
            # copied: graphql-core gives one default list to every request that omits it
            return lambda value: value if value is None or value is UNSET else list(value)
        convert = self._of(item)
        return lambda value: (
            value if value is None or value is UNSET else [convert(one) for one in value]
        )

    def _object_of(self, type_: type) -> Convert:
        if type_ in self._objects:
            return self._objects[type_]
        definition = type_.__strawberry_definition__  # type: ignore[attr-defined]
        if definition.from_input is not None or not definition.is_input:
            raise _NotCovered()
        fields: Arguments = []
        defaults = {
            field.python_name: None
            for field in definition.fields
            if field.default_value is MISSING and field.default_factory is MISSING
        }

        def convert(value: Any) -> Any:
            if value is None or value is UNSET:
                return value
            kwargs = dict(defaults)
            for name, python_name, convert_field in fields:
                if name in value:
                    kwargs[python_name] = convert_field(value[name])
            return type_(**kwargs)

        self._objects[type_] = convert  # before its fields: an input may hold itself
        for field in definition.fields:
            field_type = field.resolve_type(type_definition=definition)
            name = self._config.name_converter.from_field(field)
            fields.append((name, field.python_name, self._of(field_type)))
        return convert


def _as_given(value: Any) -> Any:
    return value


def _global_id(value: Any) -> Any:
    if value is None or value is UNSET:
        return value
    try:
        return GlobalID.from_id(value)
    except GlobalIDValueError as error:  # as Strawberry says it
        raise InvalidGlobalIDError(f'Value cannot represent a GlobalID: "{value}".') from error
