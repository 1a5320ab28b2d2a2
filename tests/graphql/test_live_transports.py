"""The WebSocket's own rules (tokens checked at every `subscribe` and on quiet sockets, limits
per anonymous address, malformed frames closed with the protocol's codes), and subscriptions
over server-sent events and `multipart/mixed`, as graphql-sse and Apollo Client speak them."""

import asyncio
import json
from typing import Any

import aiohttp
import pytest
from aiohttp.test_utils import TestClient

from issuetracker.models import Company
from issuetracker.settings import Settings

from ..support import Api, Person, gid, make_category, make_issue
from .live import closed_with, raw_socket, subscribe_raw, until_listening
from .transports import multipart_results, sse_results

EVENTS = """subscription ($issueId: ID!, $after: ID) {
  issueEvents(issueId: $issueId, afterEventId: $after) { description }
}"""
ADD_EVENT = """mutation ($input: AddIssueEventInput!) {
  addIssueEvent(input: $input) { event { id } }
}"""
REVOKE = (
    "mutation ($input: RevokeApiTokenInput!) { revokeApiToken(input: $input) { errors { code } } }"
)
VIEWER_TOKENS = "{ viewer { apiTokens { id } } }"
WAIT = 10.0


@pytest.fixture
def settings(settings: Settings, request: pytest.FixtureRequest) -> Settings:
    """Idle sockets re-checked every 0.2 s, unless a test asks for another interval."""
    recheck = getattr(request, "param", 0.2)
    return settings.model_copy(
        update={"live_recheck_seconds": recheck, "live_connections_per_address": 2}
    )


async def add_event(api: Api, person: Person, issue_id: str, text: str) -> str:
    variables = {"input": {"issueId": issue_id, "description": text}}
    data = await api.data(ADD_EVENT, variables, as_=person)
    return str(data["addIssueEvent"]["event"]["id"])


async def revoke_own_token(api: Api, person: Person) -> None:
    tokens = await api.data(VIEWER_TOKENS, as_=person)
    token_id = tokens["viewer"]["apiTokens"][0]["id"]
    await api.data(REVOKE, {"input": {"id": token_id}}, as_=person)


# The sweep of idle sockets stays away here: what refuses is the check at `subscribe` itself.
@pytest.mark.parametrize("settings", [3600.0], indirect=True)
async def test_a_socket_whose_token_was_revoked_can_neither_subscribe_nor_catch_up(
    client: TestClient, api: Api, owner: Person, member: Person, company: Company
) -> None:
    # given a member's socket, opened and acknowledged, and an issue with notes
    issue_id = gid("Issue", await make_issue(owner, await make_category(owner, company)))
    first = await add_event(api, owner, issue_id, "One")
    async with raw_socket(client, member) as socket:
        # when the member's token is revoked, then notes are added, and the socket asks to
        # catch up on them
        await revoke_own_token(api, member)
        await add_event(api, owner, issue_id, "Two")
        await subscribe_raw(socket, 1, EVENTS, {"issueId": issue_id, "after": first})

        # then the socket is closed as forbidden, and heard nothing written after revocation
        messages, code = await _until_closed(socket)
    assert code == 4403
    assert messages == []


async def test_a_quiet_socket_of_a_revoked_token_is_closed_within_the_recheck_interval(
    client: TestClient, api: Api, member: Person
) -> None:
    # given a member's socket with no subscription at all
    async with raw_socket(client, member) as socket:
        # when the token is revoked
        await revoke_own_token(api, member)

        # then the socket is closed as forbidden (LIVE_RECHECK_SECONDS is 0.2 here)
        code, reason = await closed_with(socket)
    assert code == 4403
    assert "revoked" in reason


async def test_anonymous_sockets_are_limited_per_address(client: TestClient) -> None:
    # given two anonymous sockets from one address (the limit here)
    async with (
        raw_socket(client, None),
        raw_socket(client, None),
        client.session.ws_connect(
            client.make_url("/graphql"), protocols=["graphql-transport-ws"]
        ) as third,
    ):
        # when a third one signs in
        await third.send_json({"type": "connection_init", "payload": {}})
        code, reason = await closed_with(third)

    # then it is closed as one too many
    assert code == 4429
    assert "Too many live connections for this address" in reason


async def test_a_subscription_above_the_cost_limit_is_refused_on_the_socket(
    client: TestClient, owner: Person
) -> None:
    expensive = """subscription { issueChanges { issue {
      categories(first: 100) { nodes { issues(first: 100) { nodes {
        events(first: 100) { nodes { id } } } } } } } } }"""
    async with raw_socket(client, owner) as socket:
        await subscribe_raw(socket, 1, expensive, {})
        answer = await socket.receive_json(timeout=WAIT)

    assert answer["type"] == "error"
    assert answer["payload"][0]["extensions"]["code"] == "QUERY_TOO_COMPLEX"


MALFORMED = [
    ("a JSON array", "[1, 2]", 4400),
    ("not JSON", "{nope", 4400),
    ("a string payload", json.dumps({"id": "1", "type": "subscribe", "payload": "x"}), 4400),
    (
        "a numeric query",
        json.dumps({"id": "1", "type": "subscribe", "payload": {"query": 7}}),
        4400,
    ),
    ("no id", json.dumps({"type": "subscribe", "payload": {"query": "subscription { a }"}}), 4400),
    ("an unknown type", json.dumps({"type": "hello"}), 4400),
    ("a second init", json.dumps({"type": "connection_init"}), 4429),
    ("a frame over 256 KiB", json.dumps({"type": "ping", "payload": "x" * 300_000}), 1009),
]


@pytest.mark.parametrize(
    ("frame", "code"), [pytest.param(frame, code, id=case) for case, frame, code in MALFORMED]
)
async def test_a_malformed_frame_closes_the_socket_with_the_protocols_code(
    client: TestClient, caplog: pytest.LogCaptureFixture, frame: str, code: int
) -> None:
    async with raw_socket(client, None) as socket:
        await socket.send_str(frame)
        closed, _ = await closed_with(socket)

    assert closed == code
    assert not [record for record in caplog.records if record.exc_info]


async def test_subscribing_before_the_connection_is_acknowledged_is_unauthorized(
    client: TestClient,
) -> None:
    async with client.session.ws_connect(
        client.make_url("/graphql"), protocols=["graphql-transport-ws"]
    ) as socket:
        await subscribe_raw(socket, 1, "subscription { issueChanges { kind } }", {})
        code, _ = await closed_with(socket)

    assert code == 4401


async def test_a_subscription_id_taken_twice_closes_the_socket(
    client: TestClient, owner: Person, company: Company
) -> None:
    issue_id = gid("Issue", await make_issue(owner, await make_category(owner, company)))
    async with raw_socket(client, owner) as socket:
        await subscribe_raw(socket, 1, EVENTS, {"issueId": issue_id})
        await subscribe_raw(socket, 1, EVENTS, {"issueId": issue_id})
        code, reason = await closed_with(socket)

    assert code == 4409
    assert "already exists" in reason


@pytest.mark.parametrize(
    ("accept", "results_of"),
    [
        ("text/event-stream", sse_results),
        ('multipart/mixed;subscriptionSpec="1.0", application/json', multipart_results),
    ],
    ids=["server-sent events", "multipart/mixed"],
)
async def test_a_subscription_streams_over_http_to_clients_that_accept_a_stream(
    client: TestClient,
    api: Api,
    owner: Person,
    member: Person,
    company: Company,
    accept: str,
    results_of: Any,
) -> None:
    # given a member subscribed over HTTP, accepting a stream
    issue_id = gid("Issue", await make_issue(owner, await make_category(owner, company)))
    body = {"query": EVENTS, "variables": {"issueId": issue_id}}
    headers = {**member.headers, "Accept": accept}
    async with client.post("/graphql", json=body, headers=headers) as response:
        assert response.status == 200
        await until_listening(client)

        # when two notes are added
        await add_event(api, owner, issue_id, "Looking into it.")
        await add_event(api, owner, issue_id, "Fixed.")

        # then both come down the stream, in order, each as its own result
        text = await _read_until(response, lambda text: len(results_of(text)) == 2)
    assert [result["data"]["issueEvents"]["description"] for result in results_of(text)] == [
        "Looking into it.",
        "Fixed.",
    ]


async def test_a_query_asked_for_as_a_stream_is_one_event_then_complete(
    client: TestClient,
) -> None:
    headers = {"Accept": "text/event-stream"}
    response = await client.post("/graphql", json={"query": "{ __typename }"}, headers=headers)

    text = await response.text()
    assert response.content_type == "text/event-stream"
    assert sse_results(text) == [
        {
            "data": {"__typename": "Query"},
            "extensions": {"cost": {"requested": 1, "actual": 1, "limit": 50000}},
        }
    ]
    assert text.endswith("event: complete\ndata:\n\n")


async def test_a_subscription_over_plain_json_is_refused_naming_the_websocket(
    client: TestClient,
) -> None:
    body = {"query": "subscription { issueChanges { kind } }"}
    response = await client.post("/graphql", json=body)

    answer = await response.json()
    assert answer["errors"][0]["extensions"]["code"] == "BAD_REQUEST"
    assert "WebSocket" in answer["errors"][0]["message"]


async def _until_closed(
    socket: aiohttp.ClientWebSocketResponse,
) -> tuple[list[dict[str, Any]], int | None]:
    messages: list[dict[str, Any]] = []
    async with asyncio.timeout(WAIT):
        while True:
            message = await socket.receive()
            if message.type in (aiohttp.WSMsgType.CLOSE, aiohttp.WSMsgType.CLOSED):
                return messages, socket.close_code
            messages.append(json.loads(message.data))


async def _read_until(response: aiohttp.ClientResponse, done: Any) -> str:
    text = ""
    async with asyncio.timeout(WAIT):
        while not done(text):
            chunk = await response.content.readany()
            assert chunk, text
            text += chunk.decode()
    return text
