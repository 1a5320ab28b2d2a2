"""The part of a document the executor answers: an operation holding only the root fields the
compiled path left, with just the variables and fragments they use (so it validates)."""

from graphql import (
    DocumentNode,
    FieldNode,
    FragmentDefinitionNode,
    FragmentSpreadNode,
    OperationDefinitionNode,
    SelectionSetNode,
    VariableNode,
    visit,
)
from graphql.language import Visitor

from ..documents import Document
from .selections import Selection


def sub_document(
    document: Document, operation: OperationDefinitionNode, left: list[Selection]
) -> tuple[DocumentNode, set[str]]:
    """The document to execute and the variables it uses."""
    fields: list[FieldNode] = [detail.node for selection in left for detail in selection.details]
    variables, fragment_names = used_in(fields, document)
    definitions = [
        definition
        for definition in operation.variable_definitions or ()
        if definition.variable.name.value in variables
    ]
    narrowed = OperationDefinitionNode(
        operation=operation.operation,
        name=operation.name,
        variable_definitions=tuple(definitions),
        directives=operation.directives,
        selection_set=SelectionSetNode(selections=tuple(fields)),
    )
    fragments = [
        details.definition for name, details in document.fragments.items() if name in fragment_names
    ]
    return DocumentNode(definitions=(narrowed, *fragments)), variables


def used_in(fields: list[FieldNode], document: Document) -> tuple[set[str], set[str]]:
    """The variables and fragments the fields use, through the fragments they spread."""
    variables: set[str] = set()
    fragments: set[str] = set()
    pending: list[FieldNode | FragmentDefinitionNode] = list(fields)

    class Collect(Visitor):
        def enter_variable(self, node: VariableNode, *_: object) -> None:
            variables.add(node.name.value)

        def enter_fragment_spread(self, node: FragmentSpreadNode, *_: object) -> None:
            name = node.name.value
            if name not in fragments and name in document.fragments:
                fragments.add(name)
                pending.append(document.fragments[name].definition)

    while pending:
        visit(pending.pop(), Collect())
    return variables, fragments
