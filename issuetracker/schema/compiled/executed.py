"""The part of a document the executor answers: an operation holding only the root fields the
compiled path left, with just the variables and fragments they use (so it validates), printed
and run once; its errors are placed back in the client's document (their locations name the
client's lines and columns, their paths are the same) and merged with the compiled path's."""

import logging
from typing import Any

from aiohttp import web
from graphql import (
    DocumentNode,
    FieldNode,
    FragmentDefinitionNode,
    FragmentSpreadNode,
    Node,
    OperationDefinitionNode,
    SelectionSetNode,
    VariableNode,
    parse,
    print_ast,
    visit,
)
from graphql.language import Visitor

from ..documents import Document
from ..pipeline.checks import Checked
from .selections import Selection

log = logging.getLogger("issuetracker.graphql.compiled")


class Executor:
    """Runs a document through Strawberry, as the view would."""

    async def run(
        self,
        request: web.Request,
        response: web.Response,
        query: str,
        variables: dict[str, Any],
        name: str | None,
    ) -> dict[str, Any]:
        raise NotImplementedError


async def execute_left(
    executor: Executor,
    request: web.Request,
    response: web.Response,
    checked: Checked,
    left: list[Selection],
) -> dict[str, Any]:
    """The executor's answer to the root fields left, as `process_result` gives it."""
    node, used = sub_document(checked.document, checked.operation, left)
    given = checked.variables
    variables = {name: given[name] for name in used if name in given}
    operation = checked.operation
    name = operation.name.value if operation.name else None
    printed = print_ast(node)
    executed = await executor.run(request, response, printed, variables, name)
    if executed.get("errors"):
        executed["errors"] = relocated(executed["errors"], node, printed)
    return executed


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


def relocated(
    errors: list[dict[str, Any]], node: DocumentNode, printed: str
) -> list[dict[str, Any]]:
    """The errors with the locations of the client's document: the printed text parses to
    the same tree as `node`, whose nodes keep their places in the client's text."""
    ours, theirs = _nodes(parse(printed)), _nodes(node)
    if [type(found) for found in ours] != [type(found) for found in theirs]:
        log.error("a printed document does not parse back to its tree: %s", printed)
        return errors
    places: dict[tuple[int, int], dict[str, int]] = {}
    for printed_node, client_node in zip(ours, theirs, strict=True):
        if printed_node.loc is not None and client_node.loc is not None:
            places.setdefault(_line_column(printed_node), _location(client_node))
    for error in errors:
        if error.get("locations"):
            error["locations"] = [
                places.get((where["line"], where["column"]), where) for where in error["locations"]
            ]
    return errors


def _nodes(document: DocumentNode) -> list[Node]:
    found: list[Node] = []

    class Collect(Visitor):
        def enter(self, node: Node, *_: object) -> None:
            found.append(node)

    visit(document, Collect())
    return found


def _line_column(node: Node) -> tuple[int, int]:
    assert node.loc is not None
    location = node.loc.source.get_location(node.loc.start)
    return location.line, location.column


def _location(node: Node) -> dict[str, int]:
    line, column = _line_column(node)
    return {"line": line, "column": column}


def in_order(
    compiled: list[dict[str, Any]], executed: dict[str, Any] | None, keys: list[str]
) -> list[dict[str, Any]]:
    """The compiled path's errors and the executor's, by the place of their root field in
    the document: the executor lists them as its fields finish, which is this order when
    they finish in turn (errors of no field first)."""
    errors = compiled + ((executed or {}).get("errors") or [])
    if not errors:
        return errors
    place = {key: number for number, key in enumerate(keys)}

    def root(error: dict[str, Any]) -> int:
        path = error.get("path")
        return place.get(path[0], -1) if path else -1

    return sorted(errors, key=root)
