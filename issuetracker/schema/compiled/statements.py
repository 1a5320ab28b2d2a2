"""Building one root field's statement, and binding each request's values to it.

A statement is built once per shape of request (which arguments are given, whether someone is
signed in, which types the ids name) and kept; each request then only computes its parameters.
"""

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any, TypeVar, cast

from graphql import GraphQLError, GraphQLField
from graphql.execution.values import VariableValues, get_argument_values

from ...resolvers.core.errors import DomainError
from ...resolvers.core.sql import SqlValues, limited
from ...settings import Settings
from ...sqljson.dialects import Dialect
from .arguments import ArgumentConverters, Arguments
from .selections import Selection

T = TypeVar("T")


class NotCompiled(Exception):
    """The field asks for something the compiled path does not cover: the executor answers."""


class Fallback(Exception):
    """This request's values would make the field answer an error (or the path cannot tell):
    the executor answers it, with the error it gives."""


ArgumentConverter = Callable[[GraphQLField, dict[str, Any]], dict[str, Any]]
"""Strawberry's own conversion: coerced arguments as the resolvers receive them."""


@dataclass
class Binding:
    """One request's values."""

    viewer_id: int | None
    variables: VariableValues
    public_url: str
    convert: ArgumentConverter
    count_limit: int = Settings.model_fields["count_limit"].default
    """`COUNT_LIMIT`: fixed for a server, so statements hold it as a literal (the live
    subscriptions' objects hold no bounded list, so they keep the default)."""
    arguments: dict[int, dict[str, Any]] = field(default_factory=dict)
    companies: list[int] | None = None
    """A company-limited token's companies; None when the viewer is not limited."""
    read_only: bool = False
    """A read-only token's request: its `viewerCan…` flags are the executor's."""
    _memos: dict[Any, Any] = field(default_factory=dict)

    def memo(self, key: Any, compute: Callable[[], T]) -> T:
        """`compute()`, once per request."""
        if key not in self._memos:
            self._memos[key] = compute()
        return cast(T, self._memos[key])

    def arguments_of(self, selection: Selection) -> dict[str, Any]:
        """The selection's arguments as its resolver receives them (Python names, input
        objects as their classes)."""
        found = self.arguments.get(selection.number)
        if found is None:
            found = selection.literal_arguments
        if found is None:
            definition = selection.definition
            assert definition is not None
            try:
                coerced = get_argument_values(definition, selection.node, self.variables)
                found = self.convert(definition, coerced)
            except (GraphQLError, DomainError) as invalid:
                raise Fallback() from invalid
            if selection.arguments_are_literal:
                selection.literal_arguments = found  # the same in every request
            self.arguments[selection.number] = found
        return found


ParamSource = Callable[[Binding], object]
Check = Callable[[Binding], object]


@dataclass
class Builder:
    """Collects the parameters of a statement while its SQL is written."""

    dialect: Dialect
    signed_in: bool
    sources: list[ParamSource] = field(default_factory=list)
    checks: list[Check] = field(default_factory=list)
    _aliases: int = 0
    _viewer: str | None = None
    limited: bool = False
    """The viewer's token is limited to some companies (`Binding.companies`)."""
    read_only: bool = False

    def param(self, source: ParamSource) -> str:
        self.sources.append(source)
        return self.dialect.param(len(self.sources))

    def int_param(self, source: ParamSource) -> str:
        self.sources.append(source)
        return self.dialect.int_param(len(self.sources))

    def int_list_condition(self, column: str, source: Callable[[Binding], list[int]]) -> str:
        self.sources.append(lambda binding: self.dialect.int_list(source(binding)))
        return self.dialect.in_int_list(column, len(self.sources))

    def viewer(self) -> str | None:
        """The viewer's user id as a parameter; None when nobody is signed in."""
        if not self.signed_in:
            return None
        if self._viewer is None:
            self._viewer = self.limit(self.int_param(lambda binding: binding.viewer_id))
        return self._viewer

    def limit(self, viewer: str) -> str:
        """A viewer's SQL, limited to the binding's companies when the builder is."""
        if not self.limited:
            return viewer
        self.sources.append(lambda binding: self.dialect.int_list(binding.companies or []))
        number = len(self.sources)
        return limited(viewer, lambda column: self.dialect.in_int_list(column, number))

    @property
    def uses_viewer(self) -> bool:
        """Whether what was built so far depends on who reads it."""
        return self._viewer is not None

    def alias(self, prefix: str) -> str:
        self._aliases += 1
        return f"{prefix}{self._aliases}"

    def check(self, check: Check) -> None:
        """A check of the request's values, run before the statement; it raises Fallback."""
        self.checks.append(check)


class BindingValues(SqlValues[Any]):
    """The compiled side of `SqlValues`: each value read from the request being answered."""

    def __init__(self, builder: Builder, read: Callable[[Binding], Any]) -> None:
        self.builder = builder
        self.read = read
        self.dialect: Dialect = builder.dialect

    def value(self, get: Callable[[Any], object]) -> str:
        return self.builder.param(lambda binding: get(self.read(binding)))

    def int_list(self, column: str, get: Callable[[Any], Sequence[int]]) -> str:
        return self.builder.int_list_condition(
            column, lambda binding: list(get(self.read(binding)))
        )


def argument(selection: Selection, name: str) -> ParamSource:
    return lambda binding: binding.arguments_of(selection).get(name)


def domain_checked(check: Callable[[Binding], object]) -> Callable[[Binding], None]:
    """A check made of the logic's own validation: any domain error means Fallback."""

    def checked(binding: Binding) -> None:
        try:
            check(binding)
        except DomainError as refused:
            raise Fallback() from refused

    return checked


@dataclass(frozen=True)
class Statement:
    sql: str
    sources: list[ParamSource]
    checks: list[Check]

    def params(self, binding: Binding) -> list[object]:
        for check in self.checks:
            check(binding)
        return [source(binding) for source in self.sources]


def strawberry_converter(schema: Any) -> ArgumentConverter:
    """Arguments converted by the schema's own rules (`convert_arguments`), by converters worked
    out once per field (`arguments.ArgumentConverters`); a field they do not cover keeps
    Strawberry's own conversion."""
    from strawberry.schema.schema_converter import GraphQLCoreConverter
    from strawberry.types.arguments import convert_arguments

    registry, config = schema.schema_converter.scalar_registry, schema.config
    converters = ArgumentConverters(registry, config)
    compiled: dict[int, Arguments | None] = {}

    def convert(definition: GraphQLField, coerced: dict[str, Any]) -> dict[str, Any]:
        field = (definition.extensions or {})[GraphQLCoreConverter.DEFINITION_BACKREF]
        if id(definition) not in compiled:
            compiled[id(definition)] = converters.of_field(field)
        arguments = compiled[id(definition)]
        if arguments is None:
            return convert_arguments(coerced, field.arguments, registry, config)
        return {
            python_name: to_python(coerced[name])
            for name, python_name, to_python in arguments
            if name in coerced
        }

    return convert
