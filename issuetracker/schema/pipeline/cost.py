"""The static cost of an operation, worked out before it runs: each field costs 1, and a
connection multiplies what it selects by the page asked for (`first` or `last`, else the
default page size), so nested connections multiply. `nodes(ids:)` multiplies by its ids.

A page size outside 0..100 is refused before anything is counted, so no part of a cost is
ever below zero. Introspection costs two points for each value it returns (counted by
`introspection_cost`): the executor spends some ten times longer on a value of introspection
than the count does, and at two points a document within the limit holds at most two full
introspections, about 100 ms of work."""

from typing import Any

from graphql import (
    FieldNode,
    FragmentSpreadNode,
    GraphQLError,
    GraphQLField,
    GraphQLInterfaceType,
    GraphQLNamedType,
    GraphQLObjectType,
    GraphQLSchema,
    InlineFragmentNode,
    OperationDefinitionNode,
    SelectionSetNode,
    get_named_type,
    value_from_ast_untyped,
)
from graphql.execution.values import VariableValues
from graphql.type.introspection import SchemaMetaFieldDef, TypeMetaFieldDef

from ...resolvers.core.errors import ErrorCode
from ...resolvers.core.pagination import DEFAULT_PAGE_SIZE, MAX_PAGE_SIZE
from ..documents import IDS_ARGUMENT, PAGE_ARGUMENTS, Document
from .introspection_cost import IntrospectionCost

INTROSPECTION_POINTS = 2
"""What each value introspection returns costs."""
META_FIELDS = {"__schema": SchemaMetaFieldDef, "__type": TypeMetaFieldDef}


class PageSizeOutOfRange(GraphQLError):
    """`first` or `last` outside 0..100: the request is refused before it is costed."""

    def __init__(self, name: str, node: FieldNode) -> None:
        message = f"`{name}` must be between 0 and {MAX_PAGE_SIZE}."
        extensions = {
            "code": str(ErrorCode.BAD_USER_INPUT),
            "errors": [{"field": name, "message": message}],
        }
        super().__init__(message, nodes=[node], extensions=extensions)


class Cost:
    def __init__(
        self, schema: GraphQLSchema, document: Document, variables: VariableValues, limit: int
    ) -> None:
        self.schema = schema
        self.document = document
        self.variables = variables.coerced
        counted_up_to = limit // INTROSPECTION_POINTS
        self._introspection = IntrospectionCost(schema, document, variables, counted_up_to)
        self.nodes = 0
        """The most objects its connections (and `nodes(ids:)`) may return, as GitHub's
        `nodeCount`: each page size times the pages holding it; counted by `of`."""

    def of(self, operation: OperationDefinitionNode) -> int:
        root = self.schema.get_root_type(operation.operation)
        assert root is not None  # the document was validated against this schema
        return self._selections(operation.selection_set, root, 1)

    def _selections(
        self, selections: SelectionSetNode, parent: GraphQLNamedType, scale: int
    ) -> int:
        """`scale`: how many times the selections may be answered (for `nodes`)."""
        total = 0
        for selection in selections.selections:
            if isinstance(selection, FieldNode):
                total += self._field(selection, parent, scale)
            elif isinstance(selection, InlineFragmentNode):
                condition = selection.type_condition
                on = self.schema.get_type(condition.name.value) if condition else parent
                total += self._selections(selection.selection_set, on or parent, scale)
            elif isinstance(selection, FragmentSpreadNode):
                fragment = self.document.fragments[selection.name.value].definition
                on = self.schema.get_type(fragment.type_condition.name.value)
                total += self._selections(fragment.selection_set, on or parent, scale)
        return total

    def _field(self, node: FieldNode, parent: GraphQLNamedType, scale: int) -> int:
        definition = _field_of(parent, node.name.value)
        if definition is None or node.selection_set is None:
            return 1
        if node.name.value in META_FIELDS:
            return INTROSPECTION_POINTS * self.introspection(definition, node)
        of_type = get_named_type(definition.type)
        multiplier = self.multiplier(node, of_type)
        if of_type.name.endswith("Connection") or isinstance(
            self._argument(node, IDS_ARGUMENT), list
        ):
            self.nodes += scale * multiplier
        return 1 + multiplier * self._selections(node.selection_set, of_type, scale * multiplier)

    def introspection(self, definition: GraphQLField, node: FieldNode) -> int:
        return self._introspection.field(definition, node, None)

    def field_of(self, parent: GraphQLNamedType, name: str) -> GraphQLField | None:
        return _field_of(parent, name)

    def multiplier(self, node: FieldNode, of_type: GraphQLNamedType) -> int:
        """The page size asked for, the ids given, else 1."""
        if of_type.name.endswith("Connection"):
            given = [self._page_size(node, name) for name in PAGE_ARGUMENTS]
            sizes = [size for size in given if size is not None]
            return max(sizes) if sizes else DEFAULT_PAGE_SIZE
        ids = self._argument(node, IDS_ARGUMENT)
        return max(len(ids), 1) if isinstance(ids, list) else 1

    def _page_size(self, node: FieldNode, name: str) -> int | None:
        size = self._argument(node, name)
        if not isinstance(size, int):
            return None
        if not 0 <= size <= MAX_PAGE_SIZE:
            raise PageSizeOutOfRange(name, node)
        return size

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
    variables: VariableValues,
    limit: int,
) -> int:
    """The operation's cost. Raises PageSizeOutOfRange for a page size it cannot count, and
    OverLimit when introspection alone costs more than `limit` (its `counted` values are
    then worth INTROSPECTION_POINTS each)."""
    return Cost(schema, document, variables, limit).of(operation)
