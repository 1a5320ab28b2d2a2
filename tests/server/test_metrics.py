"""`/metrics`, scraped as Prometheus would: what the server counted, in its text format."""

import logging

import pytest
from aiohttp.test_utils import TestClient
from prometheus_client.parser import text_string_to_metric_families
from pytest_aiohttp import AiohttpClient

from issuetracker.server import create_app
from issuetracker.settings import Settings

from ..support import Api, Person


async def scrape(client: TestClient, token: str | None = None) -> dict[tuple[str, tuple], float]:
    headers = {"Authorization": f"Bearer {token}"} if token else {}
    response = await client.get("/metrics", headers=headers)
    assert response.status == 200
    assert response.headers["Content-Type"].startswith("text/plain")
    samples = {}
    for family in text_string_to_metric_families(await response.text()):
        for sample in family.samples:
            samples[(sample.name, tuple(sorted(sample.labels.items())))] = sample.value
    return samples


def value(samples: dict, metric: str, **labels: str) -> float:
    return samples.get((metric, tuple(sorted(labels.items()))), 0.0)


async def test_requests_operations_and_errors_are_counted(
    client: TestClient, api: Api, owner: Person
) -> None:
    # given what the server counted so far (the counters live as long as the process)
    before = await scrape(client)

    # when a named query, a lookup of something missing and a REST list are answered
    await api.graphql("query Me { viewer { name } }", as_=owner)
    await api.graphql("{ company(databaseId: 999) { name } }", as_=owner)
    await client.get("/api/companies")
    after = await scrape(client)

    # then each is counted by face, route and status, the operations by type and name, the
    # error by its code, and the cost of each operation
    graphql_ok = {"face": "/graphql", "route": "/graphql", "status": "200"}
    assert (
        value(after, "issuetracker_requests_total", **graphql_ok)
        - value(before, "issuetracker_requests_total", **graphql_ok)
        == 2
    )
    rest = {"face": "/api", "route": "/api/companies", "status": "200"}
    assert (
        value(after, "issuetracker_requests_total", **rest)
        - value(before, "issuetracker_requests_total", **rest)
        == 1
    )
    named = {"type": "query", "name": "Me"}
    assert (
        value(after, "issuetracker_graphql_operations_total", **named)
        - value(before, "issuetracker_graphql_operations_total", **named)
        == 1
    )
    missing = {"face": "/graphql", "code": "NOT_FOUND"}
    assert (
        value(after, "issuetracker_errors_total", **missing)
        - value(before, "issuetracker_errors_total", **missing)
        == 1
    )
    assert (
        value(after, "issuetracker_graphql_cost_count")
        - value(before, "issuetracker_graphql_cost_count")
        == 2
    )
    latency = {"face": "/graphql", "route": "/graphql"}
    assert value(after, "issuetracker_request_seconds_count", **latency) > 0


async def test_the_outbox_is_measured_when_scraped(
    client: TestClient, api: Api, owner: Person
) -> None:
    samples = await scrape(client)

    assert value(samples, "issuetracker_outbox_pending", kind="email") == 0
    assert value(samples, "issuetracker_outbox_oldest_seconds", kind="webhook") == 0


async def test_a_metrics_token_keeps_others_out(
    aiohttp_client: AiohttpClient, database: None, settings: Settings
) -> None:
    guarded = settings.model_copy(update={"metrics_token": "scrape-me"})
    client = await aiohttp_client(create_app(guarded, manage_database=False))

    refused = await client.get("/metrics")
    wrong = await client.get("/metrics", headers={"Authorization": "Bearer guess"})

    assert refused.status == wrong.status == 401
    assert await scrape(client, "scrape-me")


async def test_a_request_logs_who_from_where_and_which_operation(
    api: Api, owner: Person, caplog: pytest.LogCaptureFixture
) -> None:
    with caplog.at_level(logging.INFO, logger="issuetracker.http"):
        await api.graphql("mutation Out { logout { errors { code } } }", as_=owner)

    line = next(record for record in caplog.records if record.getMessage().startswith("POST"))
    assert owner.user is not None
    assert line.user_id == owner.user.id  # type: ignore[attr-defined]
    assert line.client == "127.0.0.1"  # type: ignore[attr-defined]
    assert line.user_agent.startswith("Python")  # type: ignore[attr-defined]
    assert (line.operation_type, line.operation_name) == ("mutation", "Out")  # type: ignore[attr-defined]
    assert owner.token
    assert owner.token not in str(vars(line))
