"""The aiohttp view serving /graphql. JSON requests and GET queries go through our own
endpoint (`http/endpoint.py`); Strawberry's view keeps GraphiQL for a browser's GET, multipart
uploads, streamed responses and WebSockets."""

from typing import Any

from aiohttp import web
from strawberry.aiohttp.views import GraphQLView
from strawberry.http import process_result
from strawberry.types.graphql import OperationType

from ..settings import Settings
from ..web import REQUEST_ID, SCOPE
from .compiled.endpoint import Executor
from .context import Context
from .http.endpoint import GraphQLEndpoint
from .uploads import UploadingRequestAdapter, close_received_files

STREAMED_TYPES = ("multipart/mixed", "text/event-stream")


class IssueTrackerGraphQLView(GraphQLView[Context, None]):
    # Tokens travel in a header, never in cookies, so a multipart POST from another site
    # carries no credentials: the CSRF concern behind Strawberry's default does not apply.
    request_adapter_class = UploadingRequestAdapter

    endpoint: GraphQLEndpoint

    def __init__(self, *, settings: Settings, **kwargs: Any) -> None:
        super().__init__(multipart_uploads_enabled=True, **kwargs)
        self.settings = settings

    async def __call__(self, request: web.Request) -> web.StreamResponse:
        if _for_endpoint(request):
            return await self.endpoint.answer(request)
        try:
            return await super().__call__(request)
        finally:
            close_received_files(request)

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
