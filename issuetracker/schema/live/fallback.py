"""The executor's answer to a change, for a subscription whose selection the compiled path does
not cover: the selection asked of the event (or of the issue) becomes a query of the object by
its id, run through the executor with one subscriber's rights, once a viewer who hears of it.
Who hears of it was already decided, in SQL, by the hub."""

from typing import TYPE_CHECKING, Any

from graphql import (
    DocumentNode,
    FieldNode,
    InlineFragmentNode,
    NamedTypeNode,
    NameNode,
    NonNullTypeNode,
    OperationDefinitionNode,
    OperationType,
    SelectionSetNode,
    VariableDefinitionNode,
    VariableNode,
    print_ast,
)
from graphql.language import ArgumentNode, BooleanValueNode

from ...models import LiveChange
from ...sqljson.text import dumps
from ..compiled.executed import used_in
from ..pipeline.execution import Execution
from ..relay import to_global_id
from .plans import LivePlan

if TYPE_CHECKING:
    from .hub import Subscriber

ID_VARIABLE = "__live"


class Fallback:
    def __init__(self, execution: Execution) -> None:
        self.execution = execution
        self._queries: dict[int, str] = {}

    async def answer(
        self, plan: LivePlan, given: dict[str, Any], change: LiveChange, subscriber: "Subscriber"
    ) -> str:
        """The result text, as `{"data": {key: ...}}`, for the subscriber's viewer."""
        query = self._queries.get(id(plan))
        if query is None:
            query = self._queries[id(plan)] = print_ast(_query(plan))
        row_id = change.event_id if plan.follows_events else change.issue_id
        type_name = "IssueEvent" if plan.follows_events else "Issue"
        variables = {**given, ID_VARIABLE: to_global_id(type_name, int(row_id or 0))}
        request = subscriber.sink.request
        body = await self.execution.run_as(request, subscriber.scope, query, variables)
        data = body.get("data") or {}
        if plan.follows_events:
            value: Any = data.get(ID_VARIABLE)
        else:
            value = _change(plan, change, data)
        result: dict[str, Any] = {"data": {plan.root.key: value}}
        if body.get("errors"):
            result["errors"] = body["errors"]
        return dumps(result)


def _change(plan: LivePlan, change: LiveChange, data: dict[str, Any]) -> dict[str, Any]:
    value: dict[str, Any] = {}
    for position, child in enumerate(plan.root.children()):
        if child.name == "kind":
            value[child.key] = change.kind.name
        elif child.name == "__typename":
            value[child.key] = "IssueChange"
        else:
            value[child.key] = data.get(f"{ID_VARIABLE}{position}")
    return value


def _query(plan: LivePlan) -> DocumentNode:
    """`query (..., $__live: ID!) { ... }`: the event by its id as a node, or each `issue` the
    change's selection asks for, by its id (deleted ones too)."""
    if plan.follows_events:
        fields = [_field(ID_VARIABLE, "node", plan.root.details, "IssueEvent", deleted=False)]
    else:
        fields = [
            _field(f"{ID_VARIABLE}{position}", "issue", child.details, None, deleted=True)
            for position, child in enumerate(plan.root.children())
            if child.name == "issue"
        ]
    operation = plan.operation
    used, fragment_names = used_in(fields, plan.document)
    declared = [
        definition
        for definition in operation.variable_definitions or ()
        if definition.variable.name.value in used
    ]
    identified = VariableDefinitionNode(
        variable=VariableNode(name=NameNode(value=ID_VARIABLE)),
        type=NonNullTypeNode(type=NamedTypeNode(name=NameNode(value="ID"))),
    )
    query = OperationDefinitionNode(
        operation=OperationType.QUERY,
        name=operation.name,
        variable_definitions=(*declared, identified),
        selection_set=SelectionSetNode(selections=tuple(fields)),
    )
    fragments = [
        details.definition
        for name, details in plan.document.fragments.items()
        if name in fragment_names
    ]
    return DocumentNode(definitions=(query, *fragments))


def _field(alias: str, name: str, details: Any, on_type: str | None, *, deleted: bool) -> FieldNode:
    arguments = [
        ArgumentNode(
            name=NameNode(value="id"), value=VariableNode(name=NameNode(value=ID_VARIABLE))
        )
    ]
    if deleted:
        arguments.append(
            ArgumentNode(name=NameNode(value="includeDeleted"), value=BooleanValueNode(value=True))
        )
    selections = [
        selection for detail in details for selection in detail.node.selection_set.selections
    ]
    if on_type is not None:
        selections = [
            InlineFragmentNode(
                type_condition=NamedTypeNode(name=NameNode(value=on_type)),
                selection_set=SelectionSetNode(selections=tuple(selections)),
            )
        ]
    return FieldNode(
        alias=NameNode(value=alias),
        name=NameNode(value=name),
        arguments=tuple(arguments),
        selection_set=SelectionSetNode(selections=tuple(selections)),
    )
