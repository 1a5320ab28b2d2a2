"""The same app twice over one database, once answering reads compiled and once through the
executor, for the differential tests of the compiled path."""

from dataclasses import dataclass

from aiohttp.test_utils import TestClient
from pytest_aiohttp import AiohttpClient

from issuetracker.schema.compiled.endpoint import CompiledReads
from issuetracker.server import create_app
from issuetracker.settings import Settings

from ..support import Person


@dataclass
class TwoApps:
    compiled: TestClient
    executed: TestClient

    @property
    def compiled_reads(self) -> CompiledReads:
        view = next(
            route.handler
            for route in self.compiled.app.router.routes()
            if route.resource is not None and route.resource.canonical == "/graphql"
        )
        reads = view.compiled
        assert isinstance(reads, CompiledReads)
        return reads

    async def both(
        self, query: str, variables: dict[str, object] | None, as_: Person | None
    ) -> tuple[str, str]:
        """The two response bodies, as bytes would be compared."""
        headers = as_.headers if as_ else {}
        body = {"query": query, "variables": variables or {}}
        compiled = await self.compiled.post("/graphql", json=body, headers=headers)
        executed = await self.executed.post("/graphql", json=body, headers=headers)
        return await compiled.text(), await executed.text()


async def two_apps(aiohttp_client: AiohttpClient, settings: Settings) -> TwoApps:
    compiled = await aiohttp_client(create_app(settings, manage_database=False))
    executed_settings = settings.model_copy(update={"graphql_compiled_reads": False})
    executed = await aiohttp_client(create_app(executed_settings, manage_database=False))
    return TwoApps(compiled, executed)
