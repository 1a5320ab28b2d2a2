"""Batched requests, as Apollo's `BatchHttpLink` sends them: a JSON array of operations,
answered with an array, each through the same checks, their costs charged together (under
small limits here: 1,000 a request, 2,000 an hour, batches of at most 3)."""

import pytest
from aiohttp.test_utils import TestClient

from issuetracker.models import Company
from issuetracker.settings import Settings

from ..support import Person

COMPANIES = "{ companies(first: 10) { nodes { name } } }"  # 21 points
TOO_COSTLY = "{ companies(first: 100) { nodes { categories(first: 10) { nodes { name } } } } }"


@pytest.fixture
def settings(settings: Settings) -> Settings:
    return settings.model_copy(
        update={"graphql_max_cost": 1000, "graphql_hourly_budget": 2000, "graphql_max_batch": 3}
    )


async def test_a_batch_is_answered_with_an_array_in_order(
    client: TestClient, owner: Person
) -> None:
    batch = [
        {"query": 'mutation { createCompany(input: {name: "Acme"}) { company { name } } }'},
        {"query": COMPANIES},
        {"query": "query Who { viewer { name } }", "operationName": "Who"},
    ]

    response = await client.post("/graphql", json=batch, headers=owner.headers)

    assert response.status == 200
    assert owner.user is not None
    answers = await response.json()
    assert [answer["data"] for answer in answers] == [
        {"createCompany": {"company": {"name": "Acme"}}},
        {"companies": {"nodes": [{"name": "Acme"}]}},
        {"viewer": {"name": owner.user.name}},
    ]
    # the mutation ran before the query after it, and each answer tells its own cost
    assert [answer["extensions"]["cost"]["requested"] for answer in answers] == [3, 21, 2]


async def test_the_costs_of_a_batch_are_charged_together(client: TestClient) -> None:
    batch = [{"query": COMPANIES}, {"query": "{ rateLimit { cost remaining used } }"}]

    response = await client.post("/graphql", json=batch)

    answers = await response.json()
    assert answers[1]["data"]["rateLimit"] == {"cost": 4, "remaining": 2000 - 25, "used": 25}
    assert response.headers["X-RateLimit-Used"] == "25"
    assert answers[0]["extensions"]["rateLimit"]["remaining"] == 2000 - 25


async def test_each_operation_meets_the_checks_and_its_refusal_is_its_entry(
    client: TestClient,
) -> None:
    batch = [
        {"query": TOO_COSTLY},
        {"query": "{ nope }"},
        {"query": 'subscription { issueEvents(issueId: "x") { description } }'},
    ]

    response = await client.post("/graphql", json=batch)

    assert response.status == 200
    too_costly, invalid, subscription = await response.json()
    assert too_costly["errors"][0]["extensions"]["code"] == "QUERY_TOO_COMPLEX"
    assert too_costly["extensions"]["cost"] == {"requested": 2201, "limit": 1000}
    assert invalid["errors"][0]["extensions"]["code"] == "GRAPHQL_VALIDATION_FAILED"
    assert subscription["errors"][0]["extensions"]["code"] == "BAD_REQUEST"
    assert "data" not in too_costly
    assert "data" not in invalid


async def test_a_batch_over_the_budget_is_one_429_and_runs_nothing(
    client: TestClient, owner: Person
) -> None:
    costly = {"query": "{ companies(first: 100) { nodes { name } } }"}  # 201 points
    for _ in range(3):
        batch = [costly, costly, costly]
        await client.post("/graphql", json=batch, headers=owner.headers)  # 9 x 201 = 1809
    create = {"query": 'mutation { createCompany(input: {name: "Late"}) { company { id } } }'}

    refused = await client.post("/graphql", json=[create, costly], headers=owner.headers)

    assert refused.status == 429
    body = await refused.json()
    assert body["errors"][0]["extensions"]["code"] == "RATE_LIMITED"
    assert body["extensions"]["cost"]["requested"] == 3 + 201
    assert refused.headers["X-RateLimit-Remaining"] == str(2000 - 1809)
    assert await Company.filter(name="Late").count() == 0


@pytest.mark.parametrize(
    ("body", "message"),
    [
        ([{"query": COMPANIES}] * 4, "A batch holds from 1 to 3 operations, each a JSON object."),
        ([], "A batch holds from 1 to 3 operations, each a JSON object."),
        ([{"query": COMPANIES}, 3], "Each operation must be a JSON object with a `query`."),
    ],
    ids=["too many", "empty", "not an object"],
)
async def test_a_batch_too_large_or_malformed_is_one_400(
    client: TestClient, body: list[object], message: str
) -> None:
    response = await client.post("/graphql", json=body)

    assert response.status == 400
    answer = await response.json()
    assert answer["errors"][0]["message"] == message
    assert "X-RateLimit-Used" not in response.headers


async def test_a_batch_is_answered_as_json_only(client: TestClient) -> None:
    headers = {"Accept": "text/event-stream"}

    response = await client.post("/graphql", json=[{"query": COMPANIES}], headers=headers)

    assert response.status == 406
