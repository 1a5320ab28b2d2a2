"""The aiohttp view serving /graphql. JSON requests and GET queries go through our own
endpoint (`http/endpoint.py`); Strawberry's view keeps GraphiQL for a browser's GET, multipart
uploads, streamed responses and WebSockets."""

from collections import Counter
from datetime import timedelta
from typing import Any

from aiohttp import web
from graphql import GraphQLError, get_operation_ast, parse
from graphql import OperationType as AstOperationType
from strawberry.aiohttp.views import GraphQLView
from strawberry.exceptions import ConnectionRejectionError
from strawberry.http import process_result
from strawberry.subscriptions import GRAPHQL_TRANSPORT_WS_PROTOCOL
from strawberry.subscriptions.protocols.graphql_transport_ws.handlers import (
    BaseGraphQLTransportWSHandler,
)
from strawberry.subscriptions.protocols.graphql_transport_ws.types import SubscribeMessage
from strawberry.types.graphql import OperationType

from ..resolvers.accounts.tokens import authenticate
from ..resolvers.core.errors import ErrorCode, Unauthenticated
from ..settings import Settings
from ..web import CLOCK, LIVE_FEED, REQUEST_ID, SCOPE, bearer_secret
from .compiled.endpoint import Executor
from .context import Context
from .http.endpoint import GraphQLEndpoint
from .uploads import UploadingRequestAdapter, close_received_files

STREAMED_TYPES = ("multipart/mixed", "text/event-stream")
INIT_SECONDS = 10
HEARTBEAT_SECONDS = 30.0
"""WebSocket pings, so proxies keep an idle subscription's connection open."""
TOO_MANY_CONNECTIONS = 4429
WEBSOCKET_USER = web.RequestKey("websocket_user", int)


class SubscriptionsOnly(BaseGraphQLTransportWSHandler[Context, None]):
    """graphql-transport-ws carrying subscriptions only: queries and mutations go over HTTP,
    where the cost limits, budgets and logs apply."""

    async def handle_subscribe(self, message: SubscribeMessage) -> None:
        if self.connection_acknowledged and not _subscribes(message):
            error = GraphQLError(
                "Send queries and mutations over HTTP (POST /graphql); a WebSocket carries "
                "subscriptions only.",
                extensions={"code": str(ErrorCode.BAD_REQUEST)},
            )
            await self.send_message(
                {"id": message["id"], "type": "error", "payload": [error.formatted]}
            )
            return
        await super().handle_subscribe(message)


def _subscribes(message: SubscribeMessage) -> bool:
    """A subscription, or a document that does not parse (the handler reports that)."""
    try:
        document = parse(message["payload"]["query"])
    except (GraphQLError, KeyError, TypeError):
        return True
    operation = get_operation_ast(document, message["payload"].get("operationName"))
    return operation is None or operation.operation is AstOperationType.SUBSCRIPTION


class IssueTrackerGraphQLView(GraphQLView[Context, None]):
    # Tokens travel in a header, never in cookies, so a multipart POST from another site
    # carries no credentials: the CSRF concern behind Strawberry's default does not apply.
    request_adapter_class = UploadingRequestAdapter
    graphql_transport_ws_handler_class = SubscriptionsOnly

    endpoint: GraphQLEndpoint

    def __init__(self, *, settings: Settings, **kwargs: Any) -> None:
        super().__init__(
            multipart_uploads_enabled=True,
            subscription_protocols=(GRAPHQL_TRANSPORT_WS_PROTOCOL,),
            connection_init_wait_timeout=timedelta(seconds=INIT_SECONDS),
            max_subscriptions_per_connection=settings.subscriptions_per_connection,
            **kwargs,
        )
        self.settings = settings
        self.connections_of: Counter[int] = Counter()
        """Each user's open WebSockets in this process."""

    async def __call__(self, request: web.Request) -> web.StreamResponse:
        if _for_endpoint(request):
            return await self.endpoint.answer(request)
        try:
            return await super().__call__(request)
        finally:
            close_received_files(request)
            if WEBSOCKET_USER in request:
                # `-=` would keep a zero for every user ever connected; subtraction drops it.
                self.connections_of -= Counter({request[WEBSOCKET_USER]: 1})

    async def create_websocket_response(
        self, request: web.Request, subprotocol: str | None
    ) -> web.WebSocketResponse:
        protocols = [subprotocol] if subprotocol else []
        socket = web.WebSocketResponse(protocols=protocols, heartbeat=HEARTBEAT_SECONDS)
        await socket.prepare(request)
        return socket

    async def on_ws_connect(self, context: Context) -> None:
        """Signs the connection in with `connection_init`'s `authorization` (browsers cannot
        set the upgrade request's header); a bad token, or one user's connections beyond the
        limit, is refused."""
        params = context.connection_params or {}
        header = params.get("authorization") or params.get("Authorization")
        if isinstance(header, str) and header:
            try:
                actor = await authenticate(bearer_secret(header), context.clock())
            except Unauthenticated:
                raise ConnectionRejectionError() from None
            context.scope = context.scope.acting_as(actor)
            context.renew_loaders()
        user_id = context.scope.actor.user_id
        if user_id is None:
            return
        if self.connections_of[user_id] >= self.settings.live_connections_per_user:
            if isinstance(context.response, web.WebSocketResponse):
                message = b"Too many live connections for this user."
                await context.response.close(code=TOO_MANY_CONNECTIONS, message=message)
            raise ConnectionRejectionError()
        self.connections_of[user_id] += 1
        context.request[WEBSOCKET_USER] = user_id

    async def context_of(
        self, request: web.Request, response: web.Response | None = None
    ) -> Context:
        """A request's context; errors during execution may set `response`'s status."""
        return await self.get_context(request, response=response or web.Response())

    async def get_context(
        self, request: web.Request, response: web.Response | web.WebSocketResponse
    ) -> Context:
        return Context(
            request=request,
            response=response,
            scope=request[SCOPE],
            settings=self.settings,
            request_id=request[REQUEST_ID],
            live_feed=request.app[LIVE_FEED],
            clock=request.app[CLOCK],
        )


def _for_endpoint(request: web.Request) -> bool:
    """Everything but what Strawberry's view keeps: a WebSocket, a multipart upload, a
    streamed answer (`@defer`, subscriptions over SSE), and GraphiQL for a browser's GET."""
    if request.headers.get("Upgrade", "").lower() == "websocket":
        return False
    if request.content_type.startswith("multipart/"):
        return False
    accept = request.headers.get("Accept", "")
    if any(streamed in accept for streamed in STREAMED_TYPES):
        return False
    asks_for_page = "text/html" in accept and not {"query", "extensions"} & set(request.query)
    return not (request.method == "GET" and asks_for_page)


class ViewExecutor(Executor):
    """The executor's half of a compiled request: Strawberry runs it as the view would."""

    def __init__(self, view: IssueTrackerGraphQLView) -> None:
        self.view = view

    async def run(
        self, request: web.Request, query: str, variables: dict[str, Any], name: str | None
    ) -> dict[str, Any]:
        context = await self.view.context_of(request)
        result = await self.view.schema.execute(
            query,
            variable_values=variables,
            context_value=context,
            operation_name=name,
            allowed_operation_types={OperationType.QUERY},
        )
        return dict(process_result(result))
