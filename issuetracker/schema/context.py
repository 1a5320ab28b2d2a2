"""The typed context every GraphQL resolver receives."""

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

import strawberry
from aiohttp import web

from ..resolvers.core.actor import Actor
from ..resolvers.core.scope import Scope
from ..resolvers.live.feed import LiveFeed
from ..settings import Settings
from .loaders import Loaders


@dataclass
class Context:
    request: web.Request
    response: web.StreamResponse | None
    scope: Scope
    settings: Settings
    request_id: str
    live_feed: LiveFeed
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


Info = strawberry.Info[Context, None]
