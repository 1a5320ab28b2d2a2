"""The typed context every GraphQL resolver receives."""

from dataclasses import dataclass, field

import strawberry
from aiohttp import web

from ..resolvers.core.actor import Actor
from ..resolvers.core.scope import Scope
from ..settings import Settings
from .loaders import Loaders


@dataclass
class Context:
    request: web.Request
    response: web.StreamResponse | None
    scope: Scope
    settings: Settings
    request_id: str
    loaders: Loaders = field(init=False)

    def __post_init__(self) -> None:
        self.loaders = Loaders.for_actor(self.scope.actor)

    @property
    def actor(self) -> Actor:
        return self.scope.actor


Info = strawberry.Info[Context, None]
