"""POST and GET /graphql as the GraphQL-over-HTTP specification has them: read the request,
find its document (sent, or persisted by its hash), check it (validation, introspection, its
cost, the client's hourly budget), then answer: on the compiled path where it can, by the
executor otherwise. Each response says what the request cost."""

from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Any

import strawberry
from aiohttp import web
from graphql import GraphQLError, OperationType
from graphql.execution.values import VariableValues, get_variable_values
from strawberry.http import process_result
from strawberry.types.graphql import OperationType as StrawberryOperationType

from ... import metrics
from ...resolvers.clients.budgets import BudgetSpent, HourlyBudgets, Usage
from ...resolvers.core.errors import ErrorCode
from ...resolvers.core.scope import Scope
from ...settings import Introspection, Settings
from ...sqljson.text import as_ascii_json, dumps
from ...web import GRAPHQL_OPERATION, SCOPE
from ..compiled.endpoint import Checked, CompiledReads
from ..context import Context
from ..documents import Document, Documents, Refused, coded
from .cost import operation_cost
from .persisted import PersistedQueries
from .requests import GRAPHQL_RESPONSE, JSON, GraphQLRequest, Refusal, read_request, response_media

ContextFactory = Callable[[web.Request, web.Response], Awaitable[Context]]


@dataclass(frozen=True)
class Costed(Checked):
    cost: int
    usage: Usage | None


class GraphQLEndpoint:
    def __init__(
        self,
        schema: strawberry.Schema,
        documents: Documents,
        settings: Settings,
        context_of: ContextFactory,
        compiled: CompiledReads | None = None,
    ) -> None:
        self.schema = schema
        self.documents = documents
        self.settings = settings
        self.context_of = context_of
        self.compiled = compiled
        self.persisted = PersistedQueries(settings.persisted_queries_only)
        self.budgets = HourlyBudgets(
            settings.graphql_hourly_budget, settings.graphql_budget_sync_seconds
        )

    async def answer(self, request: web.Request) -> web.Response:
        media = response_media(request.headers.get("Accept", ""))
        if media is None:
            message = f"Accept {JSON} or {GRAPHQL_RESPONSE}."
            return _refused(Refusal.of(message, ErrorCode.BAD_REQUEST, 406), JSON)
        scope = request[SCOPE]
        try:
            graphql = await read_request(request)
            costed = await self._check(graphql, scope)
        except Refusal as refusal:
            return _refused(refusal, media)
        operation = costed.operation
        named = (operation.operation.value, operation.name.value if operation.name else "")
        request[GRAPHQL_OPERATION] = named
        metrics.OPERATIONS.labels(*named).inc()
        extensions = self._extensions(costed)
        text = None
        if self.compiled is not None:
            text = await self.compiled.answer(request, costed, scope, extensions)
        # The executor's errors may set the status (503 while the database is away).
        response = web.Response(content_type=media)
        if text is None:
            text = await self._execute(request, response, costed, extensions)
        response.text = text
        if graphql.method == "GET":
            response.headers["Cache-Control"] = self._caching(scope)
        return response

    async def _check(self, graphql: GraphQLRequest, scope: Scope) -> Costed:
        source = await self.persisted.source_of(graphql)
        document = self.documents.get(source)
        if isinstance(document, Refused):
            raise Refusal.document(document.errors)
        self.persisted.remember(graphql, source)
        try:
            operation = document.operation(graphql.operation_name)
        except GraphQLError as error:
            raise Refusal.document([coded(error, ErrorCode.BAD_REQUEST)]) from None
        _check_method(operation.operation, graphql.method)

        self._check_introspection(document, scope)
        variables = get_variable_values(
            self.documents.schema, operation.variable_definitions or (), graphql.variables
        )
        if not isinstance(variables, VariableValues):
            raise Refusal.document([coded(error, ErrorCode.BAD_USER_INPUT) for error in variables])
        cost = operation_cost(self.documents.schema, document, operation, variables.coerced)
        if cost > self.settings.graphql_max_cost:
            limit = self.settings.graphql_max_cost
            message = (
                f"The query costs {cost} points, above the limit of {limit}: "
                "ask for smaller pages (`first`, `last`) or fewer nested connections."
            )
            raise Refusal.document(Refusal.of(message, ErrorCode.QUERY_TOO_COMPLEX).errors)
        metrics.COST.observe(cost)
        try:
            usage = await self.budgets.spend(scope, cost)
        except BudgetSpent as spent:
            raise _budget_spent(spent, scope) from None
        return Costed(document, operation, graphql.variables, variables, cost, usage)

    def _check_introspection(self, document: Document, scope: Scope) -> None:
        allowed = self.settings.graphql_introspection
        if not document.introspects or allowed == Introspection.ALL:
            return
        if allowed == Introspection.AUTHENTICATED and scope.actor.is_authenticated:
            return
        message = (
            "Introspection needs a token here."
            if allowed == Introspection.AUTHENTICATED
            else "Introspection is turned off here."
        )
        raise Refusal.document(Refusal.of(message, ErrorCode.INTROSPECTION_DISABLED).errors)

    def _extensions(self, costed: Costed) -> dict[str, Any]:
        extensions: dict[str, Any] = {
            "cost": {"requested": costed.cost, "limit": self.settings.graphql_max_cost}
        }
        if costed.usage is not None:
            extensions["rateLimit"] = {
                "limit": costed.usage.limit,
                "remaining": costed.usage.remaining,
                "resetAt": costed.usage.reset_at.isoformat(),
            }
        return extensions

    async def _execute(
        self,
        request: web.Request,
        response: web.Response,
        costed: Costed,
        extensions: dict[str, Any],
    ) -> str:
        operation = costed.operation
        result = await self.schema.execute(
            costed.document.source,
            variable_values=costed.variables,
            context_value=await self.context_of(request, response),
            operation_name=operation.name.value if operation.name else None,
            allowed_operation_types={StrawberryOperationType(operation.operation.value)},
        )
        body: dict[str, Any] = dict(process_result(result))
        body["extensions"] = {**(body.get("extensions") or {}), **extensions}
        return as_ascii_json(dumps(body))

    def _caching(self, scope: Scope) -> str:
        """A GET's answer: public data for anonymous readers may be kept for a while by
        shared caches; a signed-in reader's never is."""
        seconds = self.settings.graphql_get_max_age_seconds
        if scope.actor.is_authenticated or seconds == 0:
            return "private, no-store"
        return f"public, max-age={seconds}"


def _check_method(operation: OperationType, method: str) -> None:
    if operation is OperationType.SUBSCRIPTION:
        message = "Subscribe over a WebSocket (graphql-transport-ws) at this URL."
        raise Refusal.of(message, ErrorCode.BAD_REQUEST)
    if operation is OperationType.MUTATION and method == "GET":
        raise Refusal.of("Send mutations with POST.", ErrorCode.BAD_REQUEST, 405, Allow="POST")


def _budget_spent(spent: BudgetSpent, scope: Scope) -> Refusal:
    error = GraphQLError(
        spent.message,
        extensions={"code": str(ErrorCode.RATE_LIMITED), "resetAt": spent.reset_at.isoformat()},
    )
    retry_after = max(1, int((spent.reset_at - scope.now).total_seconds()))
    return Refusal([error], 429, 429, {"Retry-After": str(retry_after)})


def _refused(refusal: Refusal, media: str) -> web.Response:
    """A request error: no `data` entry, as the specification asks."""
    body = {"errors": [error.formatted for error in refusal.errors]}
    metrics.count_graphql_errors(refusal.errors)
    status = refusal.strict_status if media == GRAPHQL_RESPONSE else refusal.status
    response = web.Response(text=as_ascii_json(dumps(body)), status=status, content_type=media)
    response.headers.update(refusal.headers)
    response.headers["Cache-Control"] = "no-store"
    return response
