"""An answered request is freed by reference counting alone. A request that only the garbage
collector can free (a cycle through it: the scope once kept a closure over its request) takes
everything it holds into the collector's young generations, whose collections then cost about
7% of a note's time under load."""

import gc
import weakref
from collections.abc import Iterator
from typing import Any

import pytest
from aiohttp import web
from aiohttp.test_utils import TestClient
from pytest_aiohttp.plugin import AiohttpClient

from issuetracker.models import Category, Company, Issue
from issuetracker.server import create_app
from issuetracker.settings import Settings
from issuetracker.web import Handler

from ..graphql.issue_mutation_helpers import ADD_ISSUE_EVENT
from ..support import Person, gid, make_category, make_issue


@pytest.fixture
def collector_off() -> Iterator[None]:
    gc.collect()
    gc.disable()
    try:
        yield
    finally:
        gc.enable()


async def _client_remembering(
    aiohttp_client: AiohttpClient, settings: Settings, seen: list["weakref.ref[web.Request]"]
) -> TestClient:
    @web.middleware
    async def remember(request: web.Request, handler: Handler) -> web.StreamResponse:
        seen.append(weakref.ref(request))
        return await handler(request)

    app = create_app(settings, manage_database=False)
    app.middlewares.append(remember)
    return await aiohttp_client(app)


ISSUE_QUERY = "query ($id: ID!) { issue(id: $id) { name categories { nodes { name } } } }"

KINDS = (
    "a note over GraphQL",
    "a query the compiled path answers",
    "an issue created over ConnectNow's REST",
    "an issue read over Kinetic's REST",
)


def _requests(issue: Issue, category: Category) -> dict[str, tuple[str, str, dict[str, Any]]]:
    note = {"issueId": gid("Issue", issue), "description": "Ordered a cable."}
    return {
        "a note over GraphQL": (
            "POST",
            "/graphql",
            {"query": ADD_ISSUE_EVENT, "variables": {"input": note}},
        ),
        "a query the compiled path answers": (
            "POST",
            "/graphql",
            {
                "query": ISSUE_QUERY,
                "variables": {"id": gid("Issue", issue)},
            },
        ),
        "an issue created over ConnectNow's REST": (
            "POST",
            "/api/issues",
            {"name": "Down", "description": "d", "severity": "info", "category_ids": [category.id]},
        ),
        "an issue read over Kinetic's REST": ("GET", f"/api/v1/issues/{issue.guid}", {}),
    }


@pytest.mark.parametrize("kind", KINDS)
async def test_an_answered_request_is_freed_without_the_garbage_collector(
    aiohttp_client: AiohttpClient,
    settings: Settings,
    owner: Person,
    company: Company,
    collector_off: None,
    kind: str,
) -> None:
    # given an issue, and a server that remembers its requests weakly
    category = await make_category(owner, company)
    issue = await make_issue(owner, category)
    seen: list[weakref.ref[web.Request]] = []
    client = await _client_remembering(aiohttp_client, settings, seen)

    # when the request is answered, its answer read, and another request answered after it
    method, path, body = _requests(issue, category)[kind]
    response = await client.request(method, path, json=body or None, headers=owner.headers)
    assert response.status in (200, 201), await response.text()
    assert "errors" not in await response.json()
    assert (await client.get("/healthz")).status == 200

    # then the first request is gone, with the garbage collector off
    assert seen[0]() is None
