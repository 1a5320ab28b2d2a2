"""The typed context every GraphQL resolver receives."""

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime

import strawberry
from aiohttp import web

from ..resolvers.accounts import Caller
from ..resolvers.actor import Actor
from ..settings import Settings
from .loaders import Loaders


@dataclass
class Context:
    request: web.Request
    response: web.StreamResponse | None
    actor: Actor
    settings: Settings
    request_id: str
    clock: Callable[[], datetime]
    client_address: str
    loaders: Loaders = field(init=False)

    def __post_init__(self) -> None:
        self.loaders = Loaders.for_actor(self.actor)

    def caller(self) -> Caller:
        """Where the request comes from, and now."""
        return Caller(self.client_address, self.clock())


Info = strawberry.Info[Context, None]
