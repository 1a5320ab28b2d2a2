"""Each client's hourly budget of cost points (per token; per address when anonymous),
counted where every process sees it, under small limits: 1,000 a request, 2,000 an hour."""

from datetime import timedelta

import pytest
from aiohttp.test_utils import TestClient
from pytest_aiohttp import AiohttpClient

from issuetracker.clock import utcnow
from issuetracker.models import Company
from issuetracker.server import create_app
from issuetracker.settings import Settings

from ..support import Api, Person

CREATE_COMPANY = """mutation {
  createCompany(input: {name: "Costly"}) {
    company { categories(first: 100) { nodes { issues(first: 100) { nodes { name } } } } }
  }
}"""


@pytest.fixture
def settings(settings: Settings) -> Settings:
    return settings.model_copy(update={"graphql_max_cost": 1000, "graphql_hourly_budget": 2000})


async def test_a_refused_mutation_changes_nothing(api: Api, owner: Person) -> None:
    body = await api.graphql(CREATE_COMPANY, as_=owner)

    assert body["errors"][0]["extensions"]["code"] == "QUERY_TOO_COMPLEX"
    assert await Company.filter(name="Costly").count() == 0


async def test_a_spent_budget_answers_429_until_the_hour_turns(client: TestClient) -> None:
    query = {"query": "{ companies(first: 100) { nodes { name } } }"}  # 201 points
    answers = [await client.post("/graphql", json=query) for _ in range(10)]

    refused = await client.post("/graphql", json=query)

    assert [answer.status for answer in answers] == [200] * 9 + [429]
    body = await refused.json()
    assert refused.status == 429
    assert body["errors"][0]["extensions"]["code"] == "RATE_LIMITED"
    reset_at = body["errors"][0]["extensions"]["resetAt"]
    assert body["errors"][0]["message"] == (
        f"The hourly budget of 2000 cost points is spent; it resets at {reset_at}."
    )
    assert 0 < int(refused.headers["Retry-After"]) <= 3600


async def test_the_remaining_budget_is_reported(api: Api) -> None:
    first = await api.graphql("{ companies(first: 10) { nodes { name } } }")
    second = await api.graphql("{ companies(first: 10) { nodes { name } } }")

    assert first["extensions"]["rateLimit"]["remaining"] == 2000 - 21
    assert second["extensions"]["rateLimit"]["remaining"] == 2000 - 42
    assert first["extensions"]["rateLimit"]["limit"] == 2000


async def test_each_token_has_its_own_budget(api: Api, owner: Person, member: Person) -> None:
    query = "{ companies(first: 100) { nodes { name } } }"
    for _ in range(9):
        await api.graphql(query, as_=owner)

    spent = await api.graphql(query, as_=owner)
    fresh = await api.graphql(query, as_=member)
    anonymous = await api.graphql(query)

    assert spent["status"] == 429
    assert fresh["status"] == anonymous["status"] == 200


async def test_every_process_sees_what_the_others_spent(
    aiohttp_client: AiohttpClient, database: None, settings: Settings, owner: Person
) -> None:
    """Two apps on one database stand for two server processes."""
    shared = settings.model_copy(update={"graphql_budget_sync_seconds": 0})
    first = await aiohttp_client(create_app(shared, manage_database=False))
    second = await aiohttp_client(create_app(shared, manage_database=False))
    query = {"query": "{ companies(first: 100) { nodes { name } } }"}
    for _ in range(5):
        await first.post("/graphql", json=query, headers=owner.headers)
    for _ in range(4):
        await second.post("/graphql", json=query, headers=owner.headers)

    last = [await first.post("/graphql", json=query, headers=owner.headers) for _ in range(2)]

    # Alone, the first would have room for four more: it counts the second's nine.
    assert [response.status for response in last] == [200, 429]


async def test_the_budget_is_whole_again_the_next_hour(
    aiohttp_client: AiohttpClient, database: None, settings: Settings
) -> None:
    now = [utcnow()]
    client = await aiohttp_client(create_app(settings, manage_database=False, clock=lambda: now[0]))
    query = {"query": "{ companies(first: 100) { nodes { name } } }"}
    while (await client.post("/graphql", json=query)).status == 200:
        pass

    now[0] += timedelta(hours=1)

    assert (await client.post("/graphql", json=query)).status == 200
