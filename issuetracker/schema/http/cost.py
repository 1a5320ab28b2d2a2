"""The static cost of an operation, worked out before it runs: each field costs 1, and a
connection multiplies what it selects by the page asked for (`first` or `last`, else the
default page size), so nested connections multiply. `nodes(ids:)` multiplies by its ids."""

from typing import Any

from graphql import (
    FieldNode,
    FragmentSpreadNode,
    GraphQLField,
    GraphQLNamedType,
    GraphQLObjectType,
    GraphQLSchema,
    InlineFragmentNode,
    OperationDefinitionNode,
    SelectionSetNode,
    get_named_type,
    value_from_ast_untyped,
)
from graphql.type.definition import GraphQLInterfaceType
from graphql.type.introspection import SchemaMetaFieldDef, TypeMetaFieldDef

from ...resolvers.core.pagination import DEFAULT_PAGE_SIZE, MAX_PAGE_SIZE
from ..documents import Document

PAGE_ARGUMENTS = ("first", "last")
META_FIELDS = {"__schema": SchemaMetaFieldDef, "__type": TypeMetaFieldDef}


class Cost:
    def __init__(self, schema: GraphQLSchema, document: Document, variables: dict[str, Any]):
        self.schema = schema
        self.document = document
        self.variables = variables

    def of(self, operation: OperationDefinitionNode) -> int:
        root = self.schema.get_root_type(operation.operation)
        assert root is not None  # the document was validated against this schema
        return self._selections(operation.selection_set, root)

    def _selections(self, selections: SelectionSetNode, parent: GraphQLNamedType) -> int:
        total = 0
        for selection in selections.selections:
            if isinstance(selection, FieldNode):
                total += self._field(selection, parent)
            elif isinstance(selection, InlineFragmentNode):
                condition = selection.type_condition
                on = self.schema.get_type(condition.name.value) if condition else parent
                total += self._selections(selection.selection_set, on or parent)
            elif isinstance(selection, FragmentSpreadNode):
                fragment = self.document.fragments[selection.name.value].definition
                on = self.schema.get_type(fragment.type_condition.name.value)
                total += self._selections(fragment.selection_set, on or parent)
        return total

    def _field(self, node: FieldNode, parent: GraphQLNamedType) -> int:
        definition = _field_of(parent, node.name.value)
        if definition is None or node.selection_set is None:
            return 1
        of_type = get_named_type(definition.type)
        return 1 + self._multiplier(node, of_type) * self._selections(node.selection_set, of_type)

    def _multiplier(self, node: FieldNode, of_type: GraphQLNamedType) -> int:
        if of_type.name.endswith("Connection"):
            sizes = [self._argument(node, name) for name in PAGE_ARGUMENTS]
            given = [size for size in sizes if isinstance(size, int)]
            return min(max(given), MAX_PAGE_SIZE) if given else DEFAULT_PAGE_SIZE
        ids = self._argument(node, "ids")
        return max(len(ids), 1) if isinstance(ids, list) else 1

    def _argument(self, node: FieldNode, name: str) -> Any:
        for argument in node.arguments or ():
            if argument.name.value == name:
                return value_from_ast_untyped(argument.value, self.variables)
        return None


def _field_of(parent: GraphQLNamedType, name: str) -> GraphQLField | None:
    if name in META_FIELDS:
        return META_FIELDS[name]
    if isinstance(parent, GraphQLObjectType | GraphQLInterfaceType):
        found: GraphQLField | None = parent.fields.get(name)
        return found
    return None  # a union's __typename


def operation_cost(
    schema: GraphQLSchema,
    document: Document,
    operation: OperationDefinitionNode,
    variables: dict[str, Any],
) -> int:
    return Cost(schema, document, variables).of(operation)
