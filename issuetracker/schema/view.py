"""The aiohttp view serving /graphql (and GraphiQL on a browser GET)."""

from typing import Any

from aiohttp import web
from strawberry.aiohttp.views import GraphQLView

from ..settings import Settings
from ..web import ACTOR, CLOCK, REQUEST_ID, client_address
from .context import Context


class IssueTrackerGraphQLView(GraphQLView[Context, None]):
    def __init__(self, *, settings: Settings, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.settings = settings

    async def get_context(
        self, request: web.Request, response: web.Response | web.WebSocketResponse
    ) -> Context:
        return Context(
            request=request,
            response=response,
            actor=request[ACTOR],
            settings=self.settings,
            request_id=request[REQUEST_ID],
            clock=request.app[CLOCK],
            client_address=client_address(request),
        )
