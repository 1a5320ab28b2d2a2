"""The aiohttp view serving /graphql (and GraphiQL on a browser GET)."""

from typing import Any

from aiohttp import web
from strawberry.aiohttp.views import GraphQLView

from ..settings import Settings
from ..web import REQUEST_ID, SCOPE
from .context import Context
from .uploads import UploadingRequestAdapter, close_received_files


class IssueTrackerGraphQLView(GraphQLView[Context, None]):
    # Tokens travel in a header, never in cookies, so a multipart POST from another site
    # carries no credentials: the CSRF concern behind Strawberry's default does not apply.
    request_adapter_class = UploadingRequestAdapter

    def __init__(self, *, settings: Settings, **kwargs: Any) -> None:
        super().__init__(multipart_uploads_enabled=True, **kwargs)
        self.settings = settings

    async def __call__(self, request: web.Request) -> web.StreamResponse:
        try:
            return await super().__call__(request)
        finally:
            close_received_files(request)

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
