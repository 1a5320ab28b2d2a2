"""When the database cannot be reached: every face answers 503 with `Retry-After` in its own
format (not a 500), `/readyz` answers 503 until the database is back, and the dispatcher says
once that it waits and once that it goes on, looking less and less often meanwhile.

The database is made unreachable for real (see `unreachable.py`): PostgreSQL behind a proxy
that is cut, SQLite in a directory moved away."""

import asyncio
import logging
from collections.abc import AsyncIterator
from dataclasses import dataclass
from pathlib import Path

import aiohttp
import pytest
from aiohttp.test_utils import TestClient
from pytest_aiohttp import AiohttpClient

from issuetracker.models import OutboxMessage
from issuetracker.notifications.dispatcher import Dispatcher
from issuetracker.notifications.in_flight import Places
from issuetracker.server import create_app
from issuetracker.settings import Settings

from .unreachable import Reachability, migrated_database

ISSUES = {"query": "{ issues(first: 5) { totalCount nodes { name } } }"}
CREATE_COMPANY = {
    "query": 'mutation { createCompany(input: {name: "Acme"}) { company { id } errors { code } } }'
}
UNAVAILABLE = "SERVICE_UNAVAILABLE"


@dataclass
class Server:
    client: TestClient
    database: Reachability
    settings: Settings


@pytest.fixture(params=[True, False], ids=["compiled reads", "executor only"])
async def server(
    request: pytest.FixtureRequest,
    template_database: str,
    tmp_path: Path,
    aiohttp_client: AiohttpClient,
) -> AsyncIterator[Server]:
    """The real app over HTTP, opening its database as in production; GraphQL reads answered
    by compiled statements first, or by the executor alone."""
    async with migrated_database(template_database, tmp_path) as database:
        settings = Settings(
            environment="test",
            database_url=database.url,
            migrate_on_start=False,
            dispatcher_in_server=False,
            dispatch_poll_seconds=0.05,
            graphql_compiled_reads=request.param,
            _env_file=None,
        )
        client = await aiohttp_client(create_app(settings))
        yield Server(client, database, settings)
        await client.close()


async def wait_until_ready(client: TestClient) -> int:
    """The status of /readyz once it is 200, or the last one after ten seconds."""
    status = 0
    for _ in range(100):
        status = (await client.get("/readyz")).status
        if status == 200:
            break
        await asyncio.sleep(0.1)
    return status


async def test_every_face_answers_503_with_retry_after_while_the_database_is_away(
    server: Server,
) -> None:
    client = server.client
    # given a server whose database answered, then went away
    if server.database.can_cut_a_live_connection:
        assert (await client.post("/graphql", json=ISSUES)).status == 200
    await server.database.cut()

    # when every face is asked, anonymously and with a token
    token = {"Authorization": "Bearer itk_anything"}
    graphql = await client.post("/graphql", json=ISSUES)
    mutation = await client.post("/graphql", json=CREATE_COMPANY, headers=token)
    connectnow = await client.get("/api/issues")
    connectnow_with_token = await client.post("/api/companies", json={}, headers=token)
    kinetic = await client.get("/api/v1/issues", headers=token)
    ready = await client.get("/readyz")

    # then each answers 503, says when to try again, and in its own format
    for response in (graphql, mutation, connectnow, connectnow_with_token, kinetic, ready):
        assert response.status == 503, (response.url, await response.text())
        assert response.headers["Retry-After"].isdigit()
    for response in (graphql, mutation):
        [error] = (await response.json())["errors"]
        assert error["extensions"]["code"] == UNAVAILABLE
        assert "Internal" not in error["message"]
    assert set(await connectnow.json()) == set(await connectnow_with_token.json()) == {"message"}
    body = await kinetic.json()
    assert body["success"] is False
    assert body["message"]
    assert await ready.json() == {"status": "unavailable"}


async def test_readyz_and_graphql_recover_once_the_database_is_back(server: Server) -> None:
    client = server.client
    # given a database that went away
    await server.database.cut()
    assert (await client.get("/readyz")).status == 503
    assert (await client.post("/graphql", json=ISSUES)).status == 503

    # when it comes back
    await server.database.restore()

    # then the server is ready again and answers
    assert await wait_until_ready(client) == 200
    response = await client.post("/graphql", json=ISSUES)
    assert response.status == 200
    assert (await response.json())["data"] == {"issues": {"totalCount": 0, "nodes": []}}


async def test_the_dispatcher_logs_an_outage_once_and_looks_less_often(
    server: Server, caplog: pytest.LogCaptureFixture
) -> None:
    # given a dispatcher polling every 50 ms, whose database goes away
    dispatcher = Dispatcher(server.settings)
    looks = 0
    claim = dispatcher._claim

    async def counted_claim(most: int, places: Places) -> list[OutboxMessage]:
        nonlocal looks
        looks += 1
        return await claim(most, places)

    dispatcher._claim = counted_claim  # type: ignore[method-assign]
    await server.database.cut()
    stop = asyncio.Event()
    caplog.set_level(logging.INFO, logger="issuetracker.dispatcher")

    # when it runs through two seconds of outage, then the database comes back
    running = asyncio.create_task(dispatcher.run(stop))
    await asyncio.sleep(2.0)
    looks_during_outage = looks
    await server.database.restore()
    for _ in range(50):
        if any("answers again" in record.getMessage() for record in caplog.records):
            break
        await asyncio.sleep(0.1)
    stop.set()
    await running

    # then one line said it started, one that it ended, no traceback, and it looked with backoff
    # (at a steady 50 ms it would have looked 40 times)
    messages = [record.getMessage() for record in caplog.records]
    assert [m for m in messages if "cannot be reached" in m] == [
        "the database cannot be reached: dispatching waits for it"
    ]
    assert [m for m in messages if "answers again" in m] == [
        "the database answers again: dispatching goes on"
    ]
    assert not [record for record in caplog.records if record.exc_info]
    assert not [record for record in caplog.records if record.levelno >= logging.ERROR]
    assert 3 <= looks_during_outage <= 8


async def test_graphql_logs_an_outage_without_tracebacks(
    server: Server, caplog: pytest.LogCaptureFixture
) -> None:
    # given a database that went away
    await server.database.cut()

    # when queries keep coming, compiled or executed
    answers = [await server.client.post("/graphql", json=ISSUES) for _ in range(5)]

    # then each is a 503, logged in one line and no traceback
    assert [answer.status for answer in answers] == [503] * 5
    assert not [record for record in caplog.records if record.exc_info]
    assert not [record for record in caplog.records if record.levelno >= logging.ERROR]


async def test_a_new_live_socket_is_told_to_come_back_later_while_the_database_is_away(
    server: Server,
) -> None:
    # given a database that went away
    await server.database.cut()

    # when a socket signs in with a token
    async with server.client.session.ws_connect(
        server.client.make_url("/graphql"), protocols=["graphql-transport-ws"]
    ) as socket:
        payload = {"authorization": "Bearer itk_anything"}
        await socket.send_json({"type": "connection_init", "payload": payload})
        message = await socket.receive(timeout=10)

    # then it is closed with 1013 (try again later), not left waiting
    assert message.type in (aiohttp.WSMsgType.CLOSE, aiohttp.WSMsgType.CLOSED)
    assert socket.close_code == 1013
