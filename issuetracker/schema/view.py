"""The aiohttp view serving /graphql (and GraphiQL on a browser GET). Plain JSON queries go
through the compiled read path first; what it leaves, and everything else, Strawberry runs."""

import json
from typing import Any

from aiohttp import web
from strawberry.aiohttp.views import GraphQLView
from strawberry.http import process_result
from strawberry.types.graphql import OperationType

from ..settings import Settings
from ..web import REQUEST_ID, SCOPE
from .compiled.endpoint import STREAMING_TYPES, CompiledReads, Executor, plain_request
from .context import Context
from .uploads import UploadingRequestAdapter, close_received_files


class IssueTrackerGraphQLView(GraphQLView[Context, None]):
    # Tokens travel in a header, never in cookies, so a multipart POST from another site
    # carries no credentials: the CSRF concern behind Strawberry's default does not apply.
    request_adapter_class = UploadingRequestAdapter

    def __init__(
        self, *, settings: Settings, compiled: CompiledReads | None = None, **kwargs: Any
    ) -> None:
        super().__init__(multipart_uploads_enabled=True, **kwargs)
        self.settings = settings
        self.compiled = compiled

    async def __call__(self, request: web.Request) -> web.StreamResponse:
        try:
            compiled = await self._compiled(request)
            return compiled if compiled is not None else await super().__call__(request)
        finally:
            close_received_files(request)

    async def _compiled(self, request: web.Request) -> web.Response | None:
        if self.compiled is None or request.method != "POST":
            return None
        accept = request.headers.get("Accept", "")
        if request.content_type != "application/json" or any(t in accept for t in STREAMING_TYPES):
            return None
        try:
            body = json.loads(await request.read())
        except (ValueError, UnicodeDecodeError):
            return None  # Strawberry answers malformed bodies
        graphql = plain_request(body)
        if graphql is None:
            return None
        return await self.compiled.answer(request, graphql, request[SCOPE])

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


class ViewExecutor(Executor):
    """The executor's half of a compiled request: Strawberry runs it as the view would."""

    def __init__(self, view: IssueTrackerGraphQLView) -> None:
        self.view = view

    async def run(
        self, request: web.Request, query: str, variables: dict[str, Any], name: str | None
    ) -> dict[str, Any]:
        context = await self.view.get_context(request, response=web.Response())
        result = await self.view.schema.execute(
            query,
            variable_values=variables,
            context_value=context,
            operation_name=name,
            allowed_operation_types={OperationType.QUERY},
        )
        return dict(process_result(result))
