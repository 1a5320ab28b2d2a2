"""Documents, parsed and validated once each with the executor's own rules and limits; a
document that does not pass is left to the executor, which answers it with its errors."""

from collections import OrderedDict
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cached_property

from graphql import (
    ASTValidationRule,
    DirectiveNode,
    DocumentNode,
    FragmentDefinitionNode,
    GraphQLError,
    GraphQLSchema,
    OperationDefinitionNode,
    OperationType,
    VariableNode,
    parse,
    specified_rules,
    validate,
    visit,
)
from graphql.execution.collect_fields import FragmentDetails
from graphql.language import Visitor
from strawberry.schema.validation_rules.maybe_null import MaybeNullValidationRule
from strawberry.schema.validation_rules.one_of import OneOfInputValidationRule

DOCUMENTS_KEPT = 512


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

    def query_operation(self, name: str | None) -> OperationDefinitionNode | None:
        """The query to run; None for a mutation or subscription, or an ambiguous name."""
        operations = [
            definition
            for definition in self.node.definitions
            if isinstance(definition, OperationDefinitionNode)
        ]
        if name is None:
            chosen = operations[0] if len(operations) == 1 else None
        else:
            chosen = next((op for op in operations if op.name and op.name.value == name), None)
        if chosen is None or chosen.operation is not OperationType.QUERY:
            return None
        return chosen

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


class Documents:
    """Parsed and valid documents by their text; None for one the executor must answer."""

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
        self._kept: OrderedDict[str, Document | None] = OrderedDict()

    def get(self, source: str) -> Document | None:
        if source in self._kept:
            self._kept.move_to_end(source)
            return self._kept[source]
        document = self._read(source)
        self._kept[source] = document
        if len(self._kept) > DOCUMENTS_KEPT:
            self._kept.popitem(last=False)
        return document

    def _read(self, source: str) -> Document | None:
        try:
            node = parse(source, max_tokens=self.max_tokens)
        except GraphQLError:
            return None
        if validate(self.schema, node, self.rules):
            return None
        return Document(source, node)
