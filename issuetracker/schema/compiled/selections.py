"""The fields a query asks for: fragments, aliases and `@skip`/`@include` resolved by
graphql-core's own field collection, so the compiled path sees exactly what the executor sees."""

import itertools
from dataclasses import dataclass, field
from functools import cached_property
from typing import Any

from graphql import (
    FieldNode,
    GraphQLField,
    GraphQLNamedType,
    GraphQLObjectType,
    GraphQLSchema,
    ListValueNode,
    ObjectValueNode,
    OperationDefinitionNode,
    ValueNode,
    VariableNode,
    get_named_type,
)
from graphql.execution.collect_fields import (
    FieldDetails,
    FragmentDetails,
    collect_fields,
    collect_subfields,
)
from graphql.execution.values import VariableValues

TYPENAME = "__typename"
_numbers = itertools.count()


@dataclass(frozen=True)
class Request:
    """What selections depend on: the schema, the operation, its fragments and variables."""

    schema: GraphQLSchema
    operation: OperationDefinitionNode
    fragments: dict[str, FragmentDetails]
    variables: VariableValues


@dataclass(eq=False)
class Selection:
    """One response key of an object: a field, the nodes asking for it, and (for object
    types) what is asked of its value, per concrete type."""

    key: str
    name: str
    definition: GraphQLField | None
    """None for `__typename`."""
    details: list[FieldDetails]
    request: Request = field(repr=False)
    number: int = field(default_factory=lambda: next(_numbers))
    """Identifies the selection's arguments in a request's binding."""
    literal_arguments: dict[str, Any] | None = field(default=None, repr=False)
    """Kept once known, when the arguments hold no variable."""

    @property
    def node(self) -> FieldNode:
        return self.details[0].node

    @property
    def has_arguments(self) -> bool:
        return bool(self.node.arguments)

    @cached_property
    def arguments_are_literal(self) -> bool:
        """No variable in the arguments: their values are the same in every request."""
        return not any(
            isinstance(node, VariableNode)
            for argument in self.node.arguments or ()
            for node in _value_nodes(argument.value)
        )

    @property
    def uses_fragment_variables(self) -> bool:
        return any(detail.fragment_variable_values for detail in self.details)

    @property
    def named_type(self) -> GraphQLNamedType:
        assert self.definition is not None
        return get_named_type(self.definition.type)

    def children(self, type_name: str | None = None) -> list["Selection"]:
        """What is asked of this field's value, as an object of `type_name` (for an
        interface, the concrete type the value has)."""
        return self._children_by_type.setdefault(
            type_name or self.named_type.name, self._collect(type_name)
        )

    def child(self, key: str) -> "Selection | None":
        return next((child for child in self.children() if child.key == key), None)

    @cached_property
    def _children_by_type(self) -> dict[str, list["Selection"]]:
        return {}

    def _collect(self, type_name: str | None) -> list["Selection"]:
        schema = self.request.schema
        object_type = schema.get_type(type_name or self.named_type.name)
        assert isinstance(object_type, GraphQLObjectType)
        collected = collect_subfields(
            schema,
            self.request.fragments,
            self.request.variables,
            self.request.operation,
            object_type,
            self.details,
        )
        return selections_of(self.request, object_type, collected.grouped_field_set)


def _value_nodes(value: ValueNode) -> list[ValueNode]:
    if isinstance(value, ListValueNode):
        return [node for item in value.values for node in _value_nodes(item)]
    if isinstance(value, ObjectValueNode):
        return [node for item in value.fields for node in _value_nodes(item.value)]
    return [value]


def selections_of(
    request: Request, parent: GraphQLObjectType, grouped: dict[str, list[FieldDetails]]
) -> list[Selection]:
    selections = []
    for key, details in grouped.items():
        name = details[0].node.name.value
        definition = None if name == TYPENAME else parent.fields.get(name)
        selections.append(Selection(key, name, definition, details, request))
    return selections


def root_selections(request: Request, query_type: GraphQLObjectType) -> list[Selection]:
    collected = collect_fields(
        request.schema, request.fragments, request.variables, query_type, request.operation
    )
    return selections_of(request, query_type, collected.grouped_field_set)
