"""The checks every request meets, in order, whatever its transport: its document (sent, or
persisted by its hash) found and validated; introspection control; the operation its transport
may carry; its variables; its cost (page sizes first); then the client's hourly budget."""

from dataclasses import dataclass
from typing import Any

from graphql import GraphQLError, OperationDefinitionNode, OperationType
from graphql.execution.values import VariableValues, get_variable_values

from ... import metrics
from ...resolvers.clients.budgets import BudgetSpent, HourlyBudgets, Usage
from ...resolvers.core.actor import require_writer
from ...resolvers.core.errors import DomainError, ErrorCode
from ...resolvers.core.scope import Scope
from ...settings import Introspection, Settings
from ..documents import Document, Documents, Refused, coded
from .cost import INTROSPECTION_POINTS, PageSizeOutOfRange, operation_cost
from .introspection_cost import OverLimit
from .persisted import PersistedQueries
from .refusals import Refusal
from .requests import GraphQLRequest, Transport

SUBSCRIBE_HERE = (
    "Subscribe over a WebSocket (graphql-transport-ws) at this URL, or over server-sent "
    "events (Accept: text/event-stream)."
)
OVER_HTTP = (
    "Send queries and mutations over HTTP (POST /graphql); a WebSocket carries subscriptions only."
)


@dataclass(frozen=True)
class Checked:
    """A request ready to run: its document and operation found, its variables coerced, its
    cost counted and spent."""

    document: Document
    operation: OperationDefinitionNode
    variables: dict[str, Any]
    """As the client sent them."""
    coerced: VariableValues
    cost: int
    usage: Usage | None

    @property
    def kind(self) -> OperationType:
        return self.operation.operation

    @property
    def name(self) -> str | None:
        return self.operation.name.value if self.operation.name else None


class Checks:
    def __init__(self, documents: Documents, settings: Settings) -> None:
        self.documents = documents
        self.settings = settings
        self.persisted = PersistedQueries(settings.persisted_queries_only)
        self.budgets = HourlyBudgets(
            settings.graphql_hourly_budget, settings.graphql_budget_sync_seconds
        )

    async def check(self, graphql: GraphQLRequest, scope: Scope) -> Checked:
        document = await self._document(graphql)
        try:
            operation = document.operation(graphql.operation_name)
        except GraphQLError as error:
            raise Refusal.document([coded(error, ErrorCode.BAD_REQUEST)]) from None
        self._check_introspection(document, scope)
        _check_transport(operation.operation, graphql)
        _check_token_scope(operation.operation, scope)
        variables = self._variables(operation, graphql)
        cost = self._cost(document, operation, variables)
        metrics.COST.observe(cost)
        try:
            usage = await self.budgets.spend(scope, cost)
        except BudgetSpent as spent:
            raise _budget_spent(spent, scope, self.cost_extension(cost)) from None
        return Checked(document, operation, graphql.variables, variables, cost, usage)

    def extensions(self, checked: Checked) -> dict[str, Any]:
        """What every answer to a checked request says of its cost and the budget left."""
        extensions = self.cost_extension(checked.cost)
        if checked.usage is not None:
            extensions["rateLimit"] = {
                "limit": checked.usage.limit,
                "remaining": checked.usage.remaining,
                "resetAt": checked.usage.reset_at.isoformat(),
            }
        return extensions

    def cost_extension(self, cost: int) -> dict[str, Any]:
        return {"cost": {"requested": cost, "limit": self.settings.graphql_max_cost}}

    async def _document(self, graphql: GraphQLRequest) -> Document:
        source = await self.persisted.source_of(graphql)
        document = self.documents.get(source)
        if isinstance(document, Refused):
            raise Refusal.document(document.errors)
        self.persisted.remember(graphql, source)
        return document

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

    def _variables(
        self, operation: OperationDefinitionNode, graphql: GraphQLRequest
    ) -> VariableValues:
        try:
            variables = get_variable_values(
                self.documents.schema, operation.variable_definitions or (), graphql.variables
            )
        except RecursionError:
            raise Refusal.document([_too_deep()]) from None
        if not isinstance(variables, VariableValues):
            raise Refusal.document([coded(error, ErrorCode.BAD_USER_INPUT) for error in variables])
        return variables

    def _cost(
        self, document: Document, operation: OperationDefinitionNode, variables: VariableValues
    ) -> int:
        limit = self.settings.graphql_max_cost
        try:
            cost = operation_cost(self.documents.schema, document, operation, variables, limit)
        except PageSizeOutOfRange as out_of_range:
            raise Refusal.document([out_of_range]) from None
        except OverLimit as over:
            cost = over.counted * INTROSPECTION_POINTS
        if cost > limit:
            message = (
                f"The query costs {cost} points, above the limit of {limit}: "
                "ask for smaller pages (`first`, `last`) or fewer nested connections."
            )
            refusal = Refusal.document(Refusal.of(message, ErrorCode.QUERY_TOO_COMPLEX).errors)
            refusal.extensions = self.cost_extension(cost)
            raise refusal
        return cost


def _check_transport(operation: OperationType, graphql: GraphQLRequest) -> None:
    """What each transport may carry: subscriptions need a stream, a WebSocket carries nothing
    else, and GET only reads."""
    if graphql.transport is Transport.WEBSOCKET:
        if operation is not OperationType.SUBSCRIPTION:
            raise Refusal.of(OVER_HTTP, ErrorCode.BAD_REQUEST)
    elif operation is OperationType.SUBSCRIPTION and not graphql.streamed:
        raise Refusal.of(SUBSCRIBE_HERE, ErrorCode.BAD_REQUEST)
    elif operation is OperationType.MUTATION and graphql.transport is Transport.GET:
        raise Refusal.of("Send mutations with POST.", ErrorCode.BAD_REQUEST, 405, Allow="POST")


def _check_token_scope(operation: OperationType, scope: Scope) -> None:
    """A read-only token runs queries and subscriptions; a mutation runs none of its fields."""
    if operation is OperationType.MUTATION:
        try:
            require_writer(scope.actor)
        except DomainError as refused:
            raise Refusal.of(refused.message, refused.code, 403) from None


def _too_deep() -> GraphQLError:
    message = "The variables are nested too deeply."
    return GraphQLError(message, extensions={"code": str(ErrorCode.BAD_USER_INPUT)})


def _budget_spent(spent: BudgetSpent, scope: Scope, extensions: dict[str, Any]) -> Refusal:
    error = GraphQLError(
        spent.message,
        extensions={"code": str(ErrorCode.RATE_LIMITED), "resetAt": spent.reset_at.isoformat()},
    )
    retry_after = max(1, int((spent.reset_at - scope.now).total_seconds()))
    return Refusal([error], 429, 429, {"Retry-After": str(retry_after)}, extensions)
