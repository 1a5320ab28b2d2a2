"""The aiohttp view serving /graphql (and GraphiQL on a browser GET)."""

from aiohttp import web
from strawberry.aiohttp.views import GraphQLView

from ..resolvers.actor import Actor
from ..settings import Settings
from .context import Context


class IssueTrackerGraphQLView(GraphQLView[Context, None]):
    def __init__(self, *, settings: Settings, actor_key: web.RequestKey[Actor], **kwargs) -> None:  # type: ignore[no-untyped-def]
        super().__init__(**kwargs)
        self.settings = settings
        self.actor_key = actor_key

    async def get_context(
        self, request: web.Request, response: web.Response | web.WebSocketResponse
    ) -> Context:
        return Context(
            request=request,
            response=response,
            actor=request[self.actor_key],
            settings=self.settings,
            request_id=request.get("request_id", "-"),
        )
