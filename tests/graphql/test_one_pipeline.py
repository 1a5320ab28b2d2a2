"""Every way into /graphql meets the same checks: JSON POST, GET, multipart uploads, server-sent
events, `multipart/mixed` and WebSocket `subscribe` frames. A server in persisted-only mode,
with introspection off, a cost limit and an hourly budget refuses the same documents on each."""

import pytest
from aiohttp.test_utils import TestClient
from pytest_aiohttp import AiohttpClient

from issuetracker.clock import utcnow
from issuetracker.models import Company
from issuetracker.resolvers.clients.registered_documents import register_document
from issuetracker.server import create_app
from issuetracker.settings import Settings

from ..support import Person
from .transports import HTTP_TRANSPORTS, TRANSPORTS, send

FLOODING_ALIAS = (
    "issues(first: 100) { nodes { events(first: 100) { nodes { id description } }"
    " categories(first: 100) { nodes { id name } } } }"
)
OVER_COST_QUERY = "{" + " ".join(f"a{n}: {FLOODING_ALIAS}" for n in range(25)) + "}"
OVER_COST_SUBSCRIPTION = """subscription { issueChanges { issue {
  categories(first: 100) { nodes { issues(first: 100) { nodes {
    events(first: 100) { nodes { id } } } } } } } } }"""
INTROSPECTION = "{ __schema { queryType { name } } }"
UNREGISTERED_QUERY = "{ companies(first: 1) { nodes { name } } }"
UNREGISTERED_SUBSCRIPTION = "subscription { issueChanges { kind } }"
CREATE_COMPANY = 'mutation { createCompany(input: {name: "Sneaky"}) { company { id } } }'
LIMIT = 50_000


@pytest.fixture
async def locked_down(
    aiohttp_client: AiohttpClient, database: None, settings: Settings
) -> TestClient:
    """Registered documents only, no introspection: the over-cost documents and the
    introspection query are registered, so each is refused for what it is."""
    strict = settings.model_copy(
        update={"persisted_queries_only": True, "graphql_introspection": "off"}
    )
    for number, document in enumerate([OVER_COST_QUERY, OVER_COST_SUBSCRIPTION, INTROSPECTION]):
        await register_document(document, f"registered {number}", utcnow())
    return await aiohttp_client(create_app(strict, manage_database=False))


def _over_cost(transport: str) -> str:
    return OVER_COST_SUBSCRIPTION if transport == "WebSocket" else OVER_COST_QUERY


def _unregistered(transport: str) -> str:
    return UNREGISTERED_SUBSCRIPTION if transport == "WebSocket" else UNREGISTERED_QUERY


@pytest.mark.parametrize("transport", TRANSPORTS)
async def test_every_transport_refuses_what_the_checks_refuse(
    locked_down: TestClient, owner: Person, transport: str
) -> None:
    # when an over-cost document, an introspection query and an unregistered document are
    # sent over the transport
    over_cost = await send(locked_down, transport, _over_cost(transport), as_=owner)
    introspection = await send(locked_down, transport, INTROSPECTION, as_=owner)
    unregistered = await send(locked_down, transport, _unregistered(transport), as_=owner)

    # then each is refused, before anything runs, with its own code
    assert over_cost.codes == ["QUERY_TOO_COMPLEX"]
    assert introspection.codes == ["INTROSPECTION_DISABLED"]
    assert unregistered.codes == ["PERSISTED_QUERY_REQUIRED"]
    for answer in (over_cost, introspection, unregistered):
        assert "data" not in answer.body
        assert answer.status in (None, 200, 400)


@pytest.mark.parametrize("transport", HTTP_TRANSPORTS)
async def test_a_refusal_for_cost_says_what_it_would_have_cost(
    locked_down: TestClient, transport: str
) -> None:
    answer = await send(locked_down, transport, OVER_COST_QUERY)

    assert answer.body["extensions"]["cost"] == {"requested": 1_507_525, "limit": LIMIT}


async def test_an_unregistered_mutation_sent_as_a_multipart_upload_does_not_run(
    locked_down: TestClient, owner: Person
) -> None:
    answer = await send(locked_down, "multipart", CREATE_COMPANY, as_=owner)

    assert answer.codes == ["PERSISTED_QUERY_REQUIRED"]
    assert await Company.filter(name="Sneaky").count() == 0


@pytest.fixture
async def budgeted(aiohttp_client: AiohttpClient, database: None, settings: Settings) -> TestClient:
    """A budget of 1,000 points an hour: five queries of 201."""
    small = settings.model_copy(update={"graphql_hourly_budget": 1_000})
    return await aiohttp_client(create_app(small, manage_database=False))


async def test_a_spent_budget_is_spent_on_every_transport(budgeted: TestClient) -> None:
    # given a client whose budget is nearly spent over JSON
    query = "{ companies(first: 100) { nodes { name } } }"  # 201 points
    for _ in range(4):
        assert (await send(budgeted, "POST", query)).status == 200

    # when it asks again over each transport
    answers = {transport: await send(budgeted, transport, query) for transport in HTTP_TRANSPORTS}

    # then every one is refused with 429, saying what the request would have cost
    for transport, answer in answers.items():
        assert answer.status == 429, transport
        assert answer.codes == ["RATE_LIMITED"], transport
        assert answer.body["extensions"]["cost"]["requested"] == 201, transport


@pytest.mark.parametrize("page", ["first: -100", "last: -1", "first: 101"])
async def test_a_page_size_out_of_range_is_refused_before_it_is_costed(
    budgeted: TestClient, page: str
) -> None:
    # when a page size outside 0..100 is nested under other fields, beside a large page
    query = f"""{{
      issues(first: 100) {{ nodes {{ name }} }}
      companies(first: 2) {{ nodes {{ categories({page}) {{ nodes {{ name }} }} }} }}
    }}"""
    refused = await send(budgeted, "POST", query)
    after = await send(budgeted, "POST", "{ companies(first: 1) { nodes { name } } }")

    # then the request is refused as bad input, nothing of it runs, and the budget is
    # untouched: it never rises above its limit
    assert refused.codes == ["BAD_USER_INPUT"]
    assert "data" not in refused.body
    assert refused.body["errors"][0]["message"].endswith("must be between 0 and 100.")
    assert after.body["extensions"]["rateLimit"]["remaining"] == 1_000 - 3
