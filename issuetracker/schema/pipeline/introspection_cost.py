"""What introspection costs: the values it returns, counted by walking this schema the way
the executor would, with graphql-core's own introspection resolvers (a full introspection
returns some nine thousand values). The walk stops once the count passes the limit, so a
flood of introspection fields costs no more time to refuse than the limit allows."""

from typing import Any

from graphql import (
    FieldNode,
    FragmentSpreadNode,
    GraphQLError,
    GraphQLField,
    GraphQLNamedType,
    GraphQLObjectType,
    GraphQLSchema,
    InlineFragmentNode,
    SelectionSetNode,
    get_named_type,
    get_nullable_type,
    is_list_type,
)
from graphql.execution.values import VariableValues, get_argument_values

from ..documents import Document


class OverLimit(Exception):
    """The count passed the limit; how far it had come is the cost reported."""

    def __init__(self, counted: int) -> None:
        self.counted = counted


class _SchemaInfo:
    """What introspection's resolvers read of `info`."""

    def __init__(self, schema: GraphQLSchema) -> None:
        self.schema = schema


class IntrospectionCost:
    def __init__(
        self, schema: GraphQLSchema, document: Document, variables: VariableValues, limit: int
    ) -> None:
        self.schema = schema
        self.document = document
        self.variables = variables
        self.limit = limit
        self.info = _SchemaInfo(schema)
        self.counted = 0

    def field(self, definition: GraphQLField, node: FieldNode, source: Any) -> int:
        """The cost of one `__schema` or `__type` field (or a field below them): 1, and what
        its value's selections cost, for each item when it is a list."""
        self._count(1)
        if node.selection_set is None:
            return 1
        value = self._resolve(definition, node, source)
        items = list(value or ()) if is_list_type(get_nullable_type(definition.type)) else [value]
        named = get_named_type(definition.type)
        return 1 + sum(
            self._selections(node.selection_set, named, item) for item in items if item is not None
        )

    def _resolve(self, definition: GraphQLField, node: FieldNode, source: Any) -> Any:
        if definition.resolve is None:
            return None
        try:
            arguments = get_argument_values(definition, node, self.variables)
        except GraphQLError:
            arguments = {}
        return definition.resolve(source, self.info, **arguments)

    def _selections(
        self, selections: SelectionSetNode, parent: GraphQLNamedType, source: Any
    ) -> int:
        total = 0
        for selection in selections.selections:
            if isinstance(selection, FieldNode):
                total += self._subfield(selection, parent, source)
            elif isinstance(selection, InlineFragmentNode):
                total += self._selections(selection.selection_set, parent, source)
            elif isinstance(selection, FragmentSpreadNode):
                fragment = self.document.fragments[selection.name.value].definition
                total += self._selections(fragment.selection_set, parent, source)
        return total

    def _subfield(self, node: FieldNode, parent: GraphQLNamedType, source: Any) -> int:
        if not isinstance(parent, GraphQLObjectType) or node.name.value not in parent.fields:
            self._count(1)
            return 1  # __typename
        return self.field(parent.fields[node.name.value], node, source)

    def _count(self, points: int) -> None:
        self.counted += points
        if self.counted > self.limit:
            raise OverLimit(self.counted)
