"""The typed context every GraphQL resolver receives."""

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

import strawberry
from aiohttp import web

from ..resolvers.core.actor import Actor
from ..resolvers.core.scope import Scope
from ..settings import Settings
from ..web import CLOCK, REQUEST_ID, SCOPE, SETTINGS
from .loaders import Loaders


@dataclass
class Context:
    request: web.Request
    response: web.StreamResponse | None
    scope: Scope
    settings: Settings
    request_id: str
    clock: Callable[[], datetime]
    loaders: Loaders = field(init=False)
    connection_params: dict[str, Any] | None = None
    """A WebSocket's `connection_init` payload."""

    def __post_init__(self) -> None:
        self.renew_loaders()

    def renew_loaders(self) -> None:
        """Loaders cache for one answer: a live subscription takes new ones for each event."""
        self.loaders = Loaders.for_scope(self.scope)

    @property
    def actor(self) -> Actor:
        return self.scope.actor

    @classmethod
    def of(
        cls, request: web.Request, response: web.StreamResponse, scope: Scope | None = None
    ) -> "Context":
        """A request's context: `response` is what errors may set a status on (503 while the
        database is away), or the WebSocket a subscription closes when it must."""
        app = request.app
        return cls(
            request=request,
            response=response,
            scope=scope or request[SCOPE],
            settings=app[SETTINGS],
            request_id=request[REQUEST_ID],
            clock=app[CLOCK],
        )


Info = strawberry.Info[Context, None]
