"""`/metrics`, scraped as Prometheus would: what the server counted, in its text format; only
for loopback clients (or the networks the settings name, or with the token); its labels
bounded whatever clients send; and served while the database is away."""

import logging
import os
from pathlib import Path

import aiohttp
import pytest
from aiohttp.test_utils import TestClient
from prometheus_client.parser import text_string_to_metric_families
from pytest_aiohttp import AiohttpClient

from issuetracker.metrics import OPERATION_NAME_LENGTH, OPERATION_NAMES_KEPT, OTHER_OPERATIONS
from issuetracker.pages.rendering import STYLESHEET_URL
from issuetracker.server import create_app
from issuetracker.settings import Settings

from ..notifications.conftest import free_port
from ..support import Api, Person
from .processes import server_process, until_ready
from .unreachable import migrated_database

Samples = dict[tuple[str, tuple], float]


async def scrape(client: TestClient, token: str | None = None) -> Samples:
    headers = {"Authorization": f"Bearer {token}"} if token else {}
    response = await client.get("/metrics", headers=headers)
    assert response.status == 200
    assert response.headers["Content-Type"].startswith("text/plain")
    return samples_of(await response.text())


def samples_of(text: str) -> Samples:
    samples = {}
    for family in text_string_to_metric_families(text):
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
    from_afar = await client.get(
        "/metrics", headers={"Authorization": "Bearer scrape-me", "X-Forwarded-For": OUTSIDER}
    )

    assert refused.status == wrong.status == 401
    assert from_afar.status == 200
    assert await scrape(client, "scrape-me")


# Who may read it

OUTSIDER = "203.0.113.7"


@pytest.mark.parametrize(
    ("headers", "status"),
    [
        ({}, 200),
        ({"X-Forwarded-For": "127.0.0.1"}, 200),  # a local proxy, for a local client
        ({"X-Forwarded-For": OUTSIDER}, 403),  # a local proxy, for someone on the internet
        ({"X-Forwarded-For": f"{OUTSIDER}, 127.0.0.1"}, 403),
        ({"X-Forwarded-For": "not an address"}, 403),
        ({"X-Real-IP": OUTSIDER}, 403),
        ({"Forwarded": "for=127.0.0.1"}, 403),
    ],
)
async def test_metrics_answer_only_loopback_clients_by_default(
    client: TestClient, headers: dict[str, str], status: int
) -> None:
    response = await client.get("/metrics", headers=headers)

    assert response.status == status
    if status == 403:
        assert "METRICS_ALLOWED_NETWORKS" in await response.text()
        assert "issuetracker_" not in await response.text()


async def test_metrics_answer_the_networks_the_settings_name(
    aiohttp_client: AiohttpClient, database: None, settings: Settings
) -> None:
    # given one server for a private network only, another for loopback and a public range
    private = settings.model_copy(update={"metrics_allowed_networks": ["10.0.0.0/8"]})
    wider = settings.model_copy(
        update={"metrics_allowed_networks": ["127.0.0.1", "203.0.113.0/24"]}
    )
    private_client = await aiohttp_client(create_app(private, manage_database=False))
    wider_client = await aiohttp_client(create_app(wider, manage_database=False))

    # when they are asked from loopback, for a client of the public range, and of another
    from_loopback = await private_client.get("/metrics")
    from_range = await wider_client.get("/metrics", headers={"X-Forwarded-For": OUTSIDER})
    from_elsewhere = await wider_client.get("/metrics", headers={"X-Forwarded-For": "198.51.100.1"})

    # then each answers the networks it names only
    assert from_loopback.status == 403
    assert from_range.status == 200
    assert from_elsewhere.status == 403


def test_an_allowed_network_must_be_one() -> None:
    with pytest.raises(ValueError, match="'intranet' is no IP address or network"):
        Settings(metrics_allowed_networks=["10.0.0.0/8", "intranet"], _env_file=None)


# Bounded labels

UNIQUE_NAMES = OPERATION_NAMES_KEPT + 50
LONG_NAME = 2_000


async def test_operation_names_are_cut_and_bounded_in_number(
    template_database: str, tmp_path: Path
) -> None:
    # given a server process of its own (its metrics start empty)
    async with migrated_database(template_database, tmp_path) as database:
        port = free_port()
        env = {**os.environ, "DATABASE_URL": database.url, "PORT": str(port)}
        env.pop("PROMETHEUS_MULTIPROC_DIR", None)
        async with (
            server_process(env, "serve", log=tmp_path / "server.log"),
            aiohttp.ClientSession() as session,
        ):
            await until_ready(port)
            base = f"http://127.0.0.1:{port}"

            # when clients send operations of many long, unique names
            for number in range(UNIQUE_NAMES):
                name = f"Op{number}_" + "x" * LONG_NAME
                query = {"query": f"query {name} {{ viewer {{ name }} }}"}
                async with session.post(f"{base}/graphql", json=query) as answered:
                    assert answered.status == 200
            async with session.get(f"{base}/metrics") as response:
                text = await response.text()

    # then each name is cut short, the first so many are counted by name and the rest together
    counted = {
        dict(labels)["name"]: value
        for (metric, labels), value in samples_of(text).items()
        if metric == "issuetracker_graphql_operations_total"
    }
    assert all(len(name) <= OPERATION_NAME_LENGTH for name in counted)
    assert len(counted) == OPERATION_NAMES_KEPT + 1
    assert counted[OTHER_OPERATIONS] == UNIQUE_NAMES - OPERATION_NAMES_KEPT
    assert len(text) < 100_000


# While the database is away


async def test_metrics_are_served_while_the_database_is_away(
    template_database: str, tmp_path: Path, aiohttp_client: AiohttpClient
) -> None:
    async with migrated_database(template_database, tmp_path) as database:
        settings = Settings(
            environment="test",
            database_url=database.url,
            migrate_on_start=False,
            dispatcher_in_server=False,
            _env_file=None,
        )
        client = await aiohttp_client(create_app(settings))
        # given a server whose database answered (on SQLite, opening it would), then went away
        if database.can_cut_a_live_connection:
            assert value(await scrape(client), "issuetracker_database_reachable") == 1
        assert (await client.get(STYLESHEET_URL)).status == 200  # counted, for the scrape to show
        await database.cut()

        # when /metrics is scraped, and again once the database is back
        away = await scrape(client)
        await database.restore()
        back = await scrape(client)
        await client.close()

    # then it answers what the process counted, and says whether the database answered
    assert value(away, "issuetracker_database_reachable") == 0
    counted = [n for (name, _), n in away.items() if name == "issuetracker_requests_total"]
    assert sum(counted) > 0
    assert value(back, "issuetracker_database_reachable") == 1


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
