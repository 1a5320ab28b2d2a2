"""What every HTTP answer shares, whichever face serves it: health checks, the request id header,
CORS for browser frontends on the allowed origins (`https://app.example.com` in the test
settings), and ids in paths and tokens that only look like numbers."""

import asyncio
import contextlib
import json
import logging
import socket
import struct
from collections.abc import AsyncIterator

import pytest
from aiohttp import web
from aiohttp.test_utils import TestClient

from issuetracker.server import create_app
from issuetracker.serving import DrainingRunner
from issuetracker.settings import Settings

from ..support import Api, Person

ALLOWED_ORIGIN = "https://app.example.com"

FOREIGN_ORIGIN = "https://evil.example.net"

VIEWER = {"query": "query { viewer { name } }"}

CORS_HEADERS = (
    "Access-Control-Allow-Origin",
    "Access-Control-Allow-Methods",
    "Access-Control-Allow-Headers",
    "Access-Control-Expose-Headers",
)


def preflight(origin: str) -> dict[str, str]:
    return {
        "Origin": origin,
        "Access-Control-Request-Method": "POST",
        "Access-Control-Request-Headers": "authorization, content-type",
    }


# Health checks


async def test_healthz_answers_that_the_process_is_up(client: TestClient) -> None:
    response = await client.get("/healthz")

    assert response.status == 200
    assert response.content_type == "application/json"
    assert await response.json() == {"status": "ok"}


async def test_readyz_answers_that_the_database_is_up(client: TestClient) -> None:
    response = await client.get("/readyz")

    assert response.status == 200
    assert response.content_type == "application/json"
    assert await response.json() == {"status": "ok"}


# Request ids


async def test_every_response_carries_a_fresh_request_id(client: TestClient) -> None:
    # given requests of every kind: health, GraphQL, a refused token, a redirect, a missing page
    wrong_token = {"Authorization": "Bearer itk_wrong"}
    requests = [
        ("GET", "/healthz", {}),
        ("POST", "/graphql", {}),
        ("POST", "/graphql", wrong_token),
        ("GET", "/", {}),
        ("GET", "/no-such-page", {}),
        ("OPTIONS", "/graphql", preflight(ALLOWED_ORIGIN)),
    ]

    # when each is answered
    responses = [
        await client.request(method, path, json=VIEWER, headers=headers, allow_redirects=False)
        for method, path, headers in requests
    ]

    # then each answer names its own request id
    assert [response.status for response in responses] == [200, 200, 401, 302, 404, 204]
    ids = [response.headers.get("X-Request-Id") for response in responses]
    assert all(ids), ids
    assert len(set(ids)) == len(ids)


async def test_a_given_request_id_is_echoed(client: TestClient) -> None:
    response = await client.post(
        "/graphql", json=VIEWER, headers={"X-Request-Id": "trace-from-the-load-balancer"}
    )

    assert response.status == 200
    assert response.headers["X-Request-Id"] == "trace-from-the-load-balancer"


async def test_a_given_request_id_is_echoed_on_errors_too(client: TestClient) -> None:
    response = await client.post(
        "/graphql",
        json=VIEWER,
        headers={"X-Request-Id": "trace-42", "Authorization": "Bearer itk_wrong"},
    )

    assert response.status == 401
    assert response.headers["X-Request-Id"] == "trace-42"


async def test_an_overlong_request_id_is_cut_to_64_characters(client: TestClient) -> None:
    response = await client.get("/healthz", headers={"X-Request-Id": "x" * 500})

    assert response.status == 200
    assert response.headers["X-Request-Id"] == "x" * 64


# CORS


async def test_an_allowed_origin_may_read_graphql_answers(client: TestClient) -> None:
    response = await client.post("/graphql", json=VIEWER, headers={"Origin": ALLOWED_ORIGIN})

    assert response.status == 200
    assert response.headers["Access-Control-Allow-Origin"] == ALLOWED_ORIGIN
    assert response.headers["Vary"] == "Accept, Authorization, Origin"
    assert "X-Request-Id" in response.headers["Access-Control-Expose-Headers"]


async def test_an_allowed_origin_may_read_graphql_errors(client: TestClient) -> None:
    response = await client.post(
        "/graphql",
        json=VIEWER,
        headers={"Origin": ALLOWED_ORIGIN, "Authorization": "Bearer itk_wrong"},
    )

    assert response.status == 401
    assert response.headers["Access-Control-Allow-Origin"] == ALLOWED_ORIGIN


async def test_a_preflight_from_an_allowed_origin_is_answered_with_204(
    client: TestClient,
) -> None:
    response = await client.options("/graphql", headers=preflight(ALLOWED_ORIGIN))

    assert response.status == 204
    assert response.headers["Access-Control-Allow-Origin"] == ALLOWED_ORIGIN
    assert "POST" in response.headers["Access-Control-Allow-Methods"]
    assert "Authorization" in response.headers["Access-Control-Allow-Headers"]
    assert "Content-Type" in response.headers["Access-Control-Allow-Headers"]
    assert response.headers.get("X-Request-Id")


async def test_a_preflight_for_the_rest_api_is_answered_too(client: TestClient) -> None:
    response = await client.options("/api/issues", headers=preflight(ALLOWED_ORIGIN))

    assert response.status == 204
    assert response.headers["Access-Control-Allow-Origin"] == ALLOWED_ORIGIN


async def test_an_allowed_origin_may_read_rest_answers(client: TestClient, owner: Person) -> None:
    response = await client.get(
        "/api/companies", headers={"Origin": ALLOWED_ORIGIN, **owner.headers}
    )

    assert response.status == 200
    assert response.headers["Access-Control-Allow-Origin"] == ALLOWED_ORIGIN


async def test_a_foreign_origin_gets_no_cors_headers(client: TestClient) -> None:
    response = await client.post("/graphql", json=VIEWER, headers={"Origin": FOREIGN_ORIGIN})

    assert response.status == 200
    assert not [name for name in CORS_HEADERS if name in response.headers]


async def test_a_preflight_from_a_foreign_origin_is_not_granted(client: TestClient) -> None:
    response = await client.options("/graphql", headers=preflight(FOREIGN_ORIGIN))

    assert response.status == 405
    assert not [name for name in CORS_HEADERS if name in response.headers]


async def test_cors_is_limited_to_the_api_paths(client: TestClient) -> None:
    response = await client.get("/healthz", headers={"Origin": ALLOWED_ORIGIN})

    assert response.status == 200
    assert "Access-Control-Allow-Origin" not in response.headers


# Ids in paths and tokens


async def test_non_ascii_digits_in_paths_and_tokens_name_nothing(
    client: TestClient, api: Api, owner: Person
) -> None:
    # given ids and tokens written with a superscript two, which str.isdigit() accepts
    superscript = "\u00b2"

    # when they reach the pages, the REST paths and the token mutations
    invitation = await client.get(f"/invitations/{superscript}/accept")
    subscription = await client.get(f"/subscriptions/{superscript}/confirm")
    connectnow = await client.get(f"/api/issues/{superscript}", headers=owner.headers)
    verified = await api.graphql(
        "mutation($token: String!) { verifyEmail(input: {token: $token}) { errors { code } } }",
        {"token": f"abc.{superscript}.sig"},
    )

    # then each is refused as naming nothing, never answered with a server error
    assert invitation.status == 404
    assert subscription.status == 404
    assert connectnow.status == 404
    assert "errors" not in verified
    assert verified["data"]["verifyEmail"]["errors"] == [{"code": "INVALID_TOKEN"}]


# A client that leaves


@contextlib.asynccontextmanager
async def served(settings: Settings) -> AsyncIterator[int]:
    """The app on a port of its own, behind the runner `serve` uses (unlike the test client's,
    it lets a handler whose client left run on, as in production)."""
    runner = DrainingRunner(create_app(settings, manage_database=False), drain_seconds=1)
    await runner.setup()
    site = web.TCPSite(runner, "127.0.0.1", 0)
    await site.start()
    try:
        yield runner.addresses[0][1]
    finally:
        await runner.cleanup()


async def test_a_client_that_leaves_mid_request_is_no_server_error(
    database: None, settings: Settings, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.INFO, logger="issuetracker.http")
    async with served(settings) as port:
        # given a connection that sends a tenth of the body it announces
        _, writer = await asyncio.open_connection("127.0.0.1", port)
        writer.write(
            b"POST /graphql HTTP/1.1\r\nHost: testserver\r\nContent-Type: application/json\r\n"
            b'Content-Length: 100\r\n\r\n{"query":'
        )
        await writer.drain()

        # when the client resets it (as a load generator does when it stops)
        linger_not = struct.pack("ii", 1, 0)
        writer.get_extra_info("socket").setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, linger_not)
        writer.close()

        # then the server says so in one line, without a traceback, and no failure of its own
        record = await asyncio.wait_for(_logged("the client closed its connection", caplog), 10)
    assert record.levelno == logging.INFO
    assert record.exc_info is None
    assert not [entry for entry in caplog.records if entry.levelno >= logging.ERROR]


async def _logged(message: str, caplog: pytest.LogCaptureFixture) -> logging.LogRecord:
    while True:
        for record in caplog.records:
            if record.getMessage() == message:
                return record
        await asyncio.sleep(0.01)


# A body that stops arriving


STALLED = {
    "/graphql": b'{"query":',
    "/api/issues": b'{"name":',
    "/graphql multipart": b'--b\r\nContent-Disposition: form-data; name="operations"\r\n\r\n{',
}


@pytest.mark.parametrize("target", list(STALLED))
async def test_a_body_that_stops_arriving_is_answered_408_and_its_connection_closed(
    database: None, settings: Settings, owner: Person, target: str
) -> None:
    settings = settings.model_copy(update={"request_body_idle_seconds": 0.2})
    path = target.split()[0]
    content_type = (
        b"multipart/form-data; boundary=b" if "multipart" in target else b"application/json"
    )
    async with served(settings) as port:
        # given a connection that sends its headers and a few bytes of the body it announces
        reader, writer = await asyncio.open_connection("127.0.0.1", port)
        writer.write(
            b"POST " + path.encode() + b" HTTP/1.1\r\nHost: testserver\r\n"
            b"Authorization: " + owner.headers["Authorization"].encode() + b"\r\n"
            b"Content-Type: " + content_type + b"\r\nContent-Length: 1000\r\n\r\n" + STALLED[target]
        )
        await writer.drain()

        # when it sends no more: then the server answers 408 and closes the connection
        answer = await asyncio.wait_for(reader.read(), 10)
        writer.close()
    assert answer.startswith(b"HTTP/1.1 408 "), answer
    assert b"Connection: close" in answer
    assert b'"message":"The request body stopped arriving."' in answer  # in the face's format


async def test_a_body_that_keeps_arriving_is_read_however_long_it_takes(
    database: None, settings: Settings, owner: Person
) -> None:
    settings = settings.model_copy(update={"request_body_idle_seconds": 1.0})
    body = json.dumps(VIEWER).encode()
    async with served(settings) as port:
        # given a request whose body comes a byte at a time, for longer than the idle limit
        reader, writer = await asyncio.open_connection("127.0.0.1", port)
        writer.write(
            b"POST /graphql HTTP/1.1\r\nHost: testserver\r\nConnection: close\r\n"
            b"Authorization: " + owner.headers["Authorization"].encode() + b"\r\n"
            b"Content-Type: application/json\r\nContent-Length: "
            + str(len(body)).encode()
            + b"\r\n\r\n"
        )
        for byte in body:
            writer.write(bytes([byte]))
            await writer.drain()
            await asyncio.sleep(0.05)

        # then it is answered as any other
        answer = await asyncio.wait_for(reader.read(), 10)
        writer.close()
    assert answer.startswith(b"HTTP/1.1 200 "), answer
    assert b'"name":"Olive Owner"' in answer
