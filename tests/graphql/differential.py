"""The same app twice over one database, once answering reads compiled and once through the
executor, for the differential tests of the compiled path."""

import json
from dataclasses import dataclass
from typing import Any

from aiohttp.test_utils import TestClient
from pytest_aiohttp import AiohttpClient

from issuetracker.clock import utcnow
from issuetracker.schema.compiled.answering import CompiledReads
from issuetracker.server import GRAPHQL, create_app
from issuetracker.settings import Settings

from ..support import Person


@dataclass
class TwoApps:
    compiled: TestClient
    executed: TestClient

    @property
    def compiled_reads(self) -> CompiledReads:
        reads = self.compiled.app[GRAPHQL].execution.compiled
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
    """Both read one clock that stands still, so what depends on the time (signed links, whose
    expiry moves in steps) is the same in both answers."""
    now = utcnow()
    compiled = await aiohttp_client(create_app(settings, manage_database=False, clock=lambda: now))
    executed_settings = settings.model_copy(update={"graphql_compiled_reads": False})
    executed = await aiohttp_client(
        create_app(executed_settings, manage_database=False, clock=lambda: now)
    )
    return TwoApps(compiled, executed)


def same_answer(compiled: str, executed: str) -> bool:
    """The same bytes; or the same but for the order of the errors, which the spec leaves open
    and the executor lists as its fields finish; or, when an error nulled the whole `data`,
    errors in common: the executor stops at the first error that reaches `data` and reports
    only the errors of other fields that finished before it, a race even between two runs of
    the executor alone."""
    if compiled == executed:
        return True
    first, second = json.loads(compiled), json.loads(executed)
    if first.get("data", 0) != second.get("data", 0):
        return False
    if first.get("extensions") != second.get("extensions"):
        return False
    if first.get("data", 0) is not None:
        return _in_any_order(first.get("errors", [])) == _in_any_order(second.get("errors", []))
    return bool(set(_in_any_order(first["errors"])) & set(_in_any_order(second["errors"])))


def _in_any_order(errors: list[dict[str, Any]]) -> list[str]:
    return sorted(json.dumps(error, sort_keys=True) for error in errors)
