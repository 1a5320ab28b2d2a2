"""The checks every request meets, in order, whatever its transport: its document (sent, or
persisted by its hash) found and validated; introspection control; the operation its transport
may carry; its variables; its cost (page sizes first); then the client's hourly budget."""

from dataclasses import dataclass, replace
from typing import Any

from graphql import (
    FieldNode,
    GraphQLError,
    OperationDefinitionNode,
    OperationType,
    value_from_ast_untyped,
)
from graphql.execution.values import VariableValues, get_variable_values

from ... import metrics
from ...resolvers.clients.budgets import BudgetSpent, HourlyBudgets, Usage
from ...resolvers.core.actor import require_writer
from ...resolvers.core.errors import DomainError, ErrorCode
from ...resolvers.core.scope import Scope
from ...setting_types import Introspection
from ...settings import Settings
from ..documents import Document, Documents, Refused, coded
from .actual_cost import ActualCost, Plan
from .cost import INTROSPECTION_POINTS, Cost, PageSizeOutOfRange
from .introspection_cost import OverLimit
from .memo import Memo, shape_of
from .persisted import PersistedQueries
from .rate_limits import Spent, headers, throttle_status
from .refusals import Refusal
from .requests import GraphQLRequest, Transport

DRY_RUN_POINTS = 1
"""What a dry run is charged, as GitHub charges it: one point, whatever the document costs."""
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
    node_count: int = 0
    dry_run: bool = False
    """`rateLimit(dryRun: true)`: costed, charged one point, and only `rateLimit` answered."""

    @property
    def charged(self) -> int:
        return DRY_RUN_POINTS if self.dry_run else self.cost

    @property
    def spent(self) -> Spent:
        return Spent(self.cost, self.node_count, self.usage, self.dry_run)

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
        self._costs: Memo[tuple[int, int]] = Memo()
        self._actual_counters: Memo[tuple[ActualCost, Plan]] = Memo()

    async def check(self, graphql: GraphQLRequest, scope: Scope) -> Checked:
        costed = await self.costed(graphql, scope)
        return replace(costed, usage=await self.spend(scope, costed.charged, costed.cost))

    async def spend(self, scope: Scope, points: int, cost: int) -> Usage | None:
        """Charges `points` to the client's budget; a 429 when they do not fit (`cost`: what
        the refused request costs)."""
        try:
            return await self.budgets.spend(scope, points)
        except BudgetSpent as spent:
            raise self._budget_spent(spent, scope, cost) from None

    async def costed(self, graphql: GraphQLRequest, scope: Scope) -> Checked:
        """Every check but the budget's: the request, costed, with nothing charged yet."""
        document = await self._document(graphql)
        try:
            operation = document.operation(graphql.operation_name)
        except GraphQLError as error:
            raise Refusal.document([coded(error, ErrorCode.BAD_REQUEST)]) from None
        self._check_introspection(document, scope)
        _check_transport(operation.operation, graphql)
        _check_token_scope(operation.operation, scope)
        variables = self._variables(operation, graphql)
        cost, nodes = self._cost(document, operation, variables, graphql.variables)
        metrics.COST.observe(cost)
        dry_run = _dry_run(operation, variables)
        given = graphql.variables
        return Checked(document, operation, given, variables, cost, None, nodes, dry_run)

    def actual_cost(self, checked: Checked, data: dict[str, Any] | None) -> int:
        """What the answer holding `data` cost (a dry run: the point charged)."""
        if checked.dry_run:
            return DRY_RUN_POINTS
        shape = shape_of(checked.document, checked.operation, checked.variables)
        counter, plan = self._actual_counters.get(shape, lambda: self._actual_counter(checked))
        return counter.of(plan, data)

    def _actual_counter(self, checked: Checked) -> tuple[ActualCost, Plan]:
        limit = self.settings.graphql_max_cost
        counter = ActualCost(Cost(self.documents.schema, checked.document, checked.coerced, limit))
        return counter, counter.plan(checked.operation)

    def extensions(self, checked: Checked, data: dict[str, Any] | None) -> dict[str, Any]:
        """What every answer to a checked request says of its cost and the budget left:
        `data` is the answer's."""
        extensions = self.cost_extension(checked.cost)
        extensions["cost"]["actual"] = self.actual_cost(checked, data)
        if checked.usage is not None:
            usage = checked.usage
            extensions["cost"]["throttleStatus"] = throttle_status(usage.limit, usage.remaining)
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
        self,
        document: Document,
        operation: OperationDefinitionNode,
        variables: VariableValues,
        given: dict[str, Any] | None,
    ) -> tuple[int, int]:
        """The operation's cost, and its node count."""
        shape = shape_of(document, operation, given)
        cost, nodes = self._costs.get(shape, lambda: self._count(document, operation, variables))
        limit = self.settings.graphql_max_cost
        if cost > limit:
            message = (
                f"The query costs {cost} points, above the limit of {limit}: "
                "ask for smaller pages (`first`, `last`) or fewer nested connections."
            )
            refusal = Refusal.document(Refusal.of(message, ErrorCode.QUERY_TOO_COMPLEX).errors)
            refusal.extensions = self.cost_extension(cost)
            raise refusal
        return cost, nodes

    def _count(
        self, document: Document, operation: OperationDefinitionNode, variables: VariableValues
    ) -> tuple[int, int]:
        counter = Cost(self.documents.schema, document, variables, self.settings.graphql_max_cost)
        try:
            cost = counter.of(operation)
        except PageSizeOutOfRange as out_of_range:
            raise Refusal.document([out_of_range]) from None
        except OverLimit as over:
            cost = over.counted * INTROSPECTION_POINTS
        return cost, counter.nodes

    def _budget_spent(self, spent: BudgetSpent, scope: Scope, cost: int) -> Refusal:
        """A 429 with `Retry-After`, the rate-limit headers, and what the budget holds."""
        error = GraphQLError(
            spent.message,
            extensions={
                "code": str(ErrorCode.RATE_LIMITED),
                "resetAt": spent.reset_at.isoformat(),
            },
        )
        retry_after = max(1, int((spent.reset_at - scope.now).total_seconds()))
        remaining = max(0, spent.limit - spent.spent)
        extensions = self.cost_extension(cost)
        extensions["cost"]["throttleStatus"] = throttle_status(spent.limit, remaining)
        told = {"Retry-After": str(retry_after), **headers(spent.limit, remaining, spent.reset_at)}
        return Refusal([error], 429, 429, told, extensions)


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


def _dry_run(operation: OperationDefinitionNode, variables: VariableValues) -> bool:
    """Whether a query asks `rateLimit(dryRun: true)` among its root fields."""
    if operation.operation is not OperationType.QUERY:
        return False
    for selection in operation.selection_set.selections:
        if isinstance(selection, FieldNode) and selection.name.value == "rateLimit":
            for argument in selection.arguments or ():
                asked = value_from_ast_untyped(argument.value, variables.coerced)
                if argument.name.value == "dryRun" and asked is True:
                    return True
    return False
