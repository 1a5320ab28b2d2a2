"""Answering a checked query or mutation: on the compiled path where it can, by Strawberry's
executor otherwise. (Subscriptions are the live hub's: `schema/live/`.)"""

from collections.abc import Callable
from typing import Any

import strawberry
from aiohttp import web
from graphql import (
    DocumentNode,
    FieldNode,
    OperationDefinitionNode,
    OperationType,
    SelectionSetNode,
    print_ast,
)
from strawberry.http import process_result
from strawberry.types.execution import ExecutionResult
from strawberry.types.graphql import OperationType as StrawberryOperationType

from ...resolvers.core.scope import Scope
from ...sqljson.text import as_ascii_json, dumps
from ...web import SCOPE
from ..compiled.answering import CompiledReads
from ..compiled.executed import Executor, used_in
from ..context import Context
from .checks import Checked

Extensions = Callable[[dict[str, Any] | None], dict[str, Any]]
"""An answer's `extensions`, from its `data` (what it cost is counted on it)."""


class Execution(Executor):
    def __init__(self, schema: strawberry.Schema) -> None:
        self.schema = schema
        self.compiled: CompiledReads | None = None
        """Set once the compiled path is built, when it is on; it calls `run` back."""

    async def answer(
        self,
        checked: Checked,
        request: web.Request,
        response: web.Response,
        extensions: Extensions,
    ) -> str:
        """The answer's JSON text. The executor's errors may set `response`'s status (503
        while the database is away)."""
        if self.compiled is not None and not checked.dry_run:
            scope = request[SCOPE]
            text = await self.compiled.answer(request, response, checked, scope, extensions)
            if text is not None:
                return text
        context = Context.of(request, response)  # its loaders are the executor's alone
        result = await self._execute(checked, context, checked.kind)
        body: dict[str, Any] = dict(process_result(result))
        body["extensions"] = {**(body.get("extensions") or {}), **extensions(body.get("data"))}
        return as_ascii_json(dumps(body))

    async def run(
        self,
        request: web.Request,
        response: web.Response,
        query: str,
        variables: dict[str, Any],
        name: str | None,
    ) -> dict[str, Any]:
        """The part of a query the compiled path leaves, run by the executor."""
        context = Context.of(request, response)
        result = await self.schema.execute(
            query,
            variable_values=variables,
            context_value=context,
            operation_name=name,
            allowed_operation_types={StrawberryOperationType.QUERY},
        )
        return dict(process_result(result))

    async def run_as(
        self, request: web.Request, scope: Scope, query: str, variables: dict[str, Any]
    ) -> dict[str, Any]:
        """A query run by the executor with `scope`'s rights (a live subscriber's)."""
        context = Context.of(request, web.Response(), scope)
        result = await self.schema.execute(
            query,
            variable_values=variables,
            context_value=context,
            allowed_operation_types={StrawberryOperationType.QUERY},
        )
        return dict(process_result(result))

    async def _execute(
        self, checked: Checked, context: Context, kind: OperationType
    ) -> ExecutionResult:
        source = _rate_limit_only(checked) if checked.dry_run else checked.document.source
        result = await self.schema.execute(
            source,
            variable_values=checked.variables,
            context_value=context,
            operation_name=checked.name,
            allowed_operation_types={StrawberryOperationType(kind.value)},
        )
        assert isinstance(result, ExecutionResult)
        return result


def _rate_limit_only(checked: Checked) -> str:
    """A dry run's document: its `rateLimit` root fields alone, with the variables and
    fragments they use."""
    operation = checked.operation
    fields = [
        selection
        for selection in operation.selection_set.selections
        if isinstance(selection, FieldNode) and selection.name.value == "rateLimit"
    ]
    variables, fragments = used_in(fields, checked.document)
    narrowed = OperationDefinitionNode(
        operation=operation.operation,
        name=operation.name,
        variable_definitions=tuple(
            definition
            for definition in operation.variable_definitions or ()
            if definition.variable.name.value in variables
        ),
        selection_set=SelectionSetNode(selections=tuple(fields)),
    )
    spread = [
        details.definition
        for name, details in checked.document.fragments.items()
        if name in fragments
    ]
    return print_ast(DocumentNode(definitions=(narrowed, *spread)))
