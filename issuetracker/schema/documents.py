"""Documents, parsed and validated once each with the executor's own rules and limits, and
kept by their text: what both the compiled path and the executor run."""

from collections import OrderedDict
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cached_property

from graphql import (
    ASTValidationRule,
    DirectiveNode,
    DocumentNode,
    FieldNode,
    FragmentDefinitionNode,
    GraphQLError,
    GraphQLSchema,
    OperationDefinitionNode,
    OperationType,
    SelectionSetNode,
    VariableNode,
    parse,
    specified_rules,
    validate,
    visit,
)
from graphql.execution.collect_fields import FragmentDetails
from graphql.language import BREAK, Visitor
from strawberry.schema.validation_rules.maybe_null import MaybeNullValidationRule
from strawberry.schema.validation_rules.one_of import OneOfInputValidationRule

from ..resolvers.core.errors import ErrorCode

DOCUMENTS_KEPT = 512
PAGE_ARGUMENTS = ("first", "last")
IDS_ARGUMENT = "ids"
"""The arguments whose values a cost counts by (`pipeline/cost.py`): page sizes, and the ids
`nodes(ids:)` looks up."""


@dataclass(frozen=True)
class Document:
    source: str
    node: DocumentNode

    @cached_property
    def fragments(self) -> dict[str, FragmentDetails]:
        return {
            definition.name.value: FragmentDetails(definition)
            for definition in self.node.definitions
            if isinstance(definition, FragmentDefinitionNode)
        }

    @cached_property
    def operations(self) -> list[OperationDefinitionNode]:
        return [
            definition
            for definition in self.node.definitions
            if isinstance(definition, OperationDefinitionNode)
        ]

    def operation(self, name: str | None) -> OperationDefinitionNode:
        """The operation to run, as the executor chooses it; a GraphQLError if none is."""
        if name is None:
            if len(self.operations) > 1:
                raise GraphQLError("Give an operationName: the document has several operations.")
            return self.operations[0]
        for operation in self.operations:
            if operation.name and operation.name.value == name:
                return operation
        raise GraphQLError(f"The document has no operation named '{name}'.")

    def query_operation(self, name: str | None) -> OperationDefinitionNode | None:
        """The query to run; None for a mutation or subscription, or an ambiguous name."""
        try:
            operation = self.operation(name)
        except GraphQLError:
            return None
        return operation if operation.operation is OperationType.QUERY else None

    @cached_property
    def directive_variables(self) -> tuple[str, ...]:
        """Variables `@skip` and `@include` read: what is asked depends on their values."""
        names: set[str] = set()

        class Collect(Visitor):
            def enter_directive(self, node: DirectiveNode, *_: object) -> None:
                for argument in node.arguments or ():
                    if isinstance(argument.value, VariableNode):
                        names.add(argument.value.name.value)

        visit(self.node, Collect())
        return tuple(sorted(names))

    @cached_property
    def cost_variables(self) -> tuple[str, ...] | None:
        """The variables a cost reads (those given to page sizes and `ids`, in any of the
        document's fields); None when it may read any (introspection counts by its arguments).
        The other variables' values never change what the document costs."""
        if self.introspects:
            return None
        names: set[str] = set()

        class Collect(Visitor):
            def enter_field(self, node: FieldNode, *_: object) -> None:
                for argument in node.arguments or ():
                    if argument.name.value in (*PAGE_ARGUMENTS, IDS_ARGUMENT):
                        visit(argument.value, Variables())

        class Variables(Visitor):
            def enter_variable(self, node: VariableNode, *_: object) -> None:
                names.add(node.name.value)

        visit(self.node, Collect())
        return tuple(sorted(names))

    @cached_property
    def introspects(self) -> bool:
        """Whether the document asks for the schema (`__schema` or `__type`)."""
        found = False

        class Find(Visitor):
            def enter_field(self, node: FieldNode, *_: object) -> None:
                nonlocal found
                found = found or node.name.value in ("__schema", "__type")

        visit(self.node, Find())
        return found


@dataclass(frozen=True)
class Refused:
    """A document that does not parse or validate, with the errors that say why."""

    errors: list[GraphQLError]


class Documents:
    """Parsed and valid documents by their text, or the errors of one that is not."""

    def __init__(
        self, schema: GraphQLSchema, limits: Sequence[type[ASTValidationRule]], max_tokens: int
    ) -> None:
        self.schema = schema
        self.rules = (
            *specified_rules,
            *limits,
            MaybeNullValidationRule,
            OneOfInputValidationRule,
        )
        self.max_tokens = max_tokens
        self._kept: OrderedDict[str, Document | Refused] = OrderedDict()

    def get(self, source: str) -> Document | Refused:
        if source in self._kept:
            self._kept.move_to_end(source)
            return self._kept[source]
        document = self._read(source)
        self._kept[source] = document
        if len(self._kept) > DOCUMENTS_KEPT:
            self._kept.popitem(last=False)
        return document

    def _read(self, source: str) -> Document | Refused:
        try:
            node = parse(source, max_tokens=self.max_tokens)
        except GraphQLError as error:
            return Refused([coded(error, ErrorCode.GRAPHQL_PARSE_FAILED)])
        if empty := _an_empty_selection(node):
            return Refused([coded(empty, ErrorCode.GRAPHQL_PARSE_FAILED)])
        errors = validate(self.schema, node, self.rules)
        if errors:
            return Refused([coded(error, ErrorCode.GRAPHQL_VALIDATION_FAILED) for error in errors])
        return Document(source, node)


def _an_empty_selection(document: DocumentNode) -> GraphQLError | None:
    """The grammar asks for at least one selection between braces (`{ Selection+ }`); the
    parser lets `{}` through, and the validation rules are not written for it."""
    found: list[SelectionSetNode] = []

    class Empty(Visitor):
        def enter_selection_set(self, node: SelectionSetNode, *_: object) -> object:
            if not node.selections:
                found.append(node)
                return BREAK
            return None

    visit(document, Empty())
    if not found:
        return None
    return GraphQLError("Syntax Error: Expected a field, found '}'.", nodes=found[0])


def coded(error: GraphQLError, code: ErrorCode) -> GraphQLError:
    return GraphQLError(
        error.message,
        nodes=error.nodes,
        source=error.source,
        positions=error.positions,
        extensions={"code": str(code), **(error.extensions or {})},
    )
