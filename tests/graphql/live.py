"""Live subscriptions over real WebSockets: gql's graphql-transport-ws client for what a
frontend does, and a raw aiohttp socket where a test watches the protocol's close codes."""

import asyncio
from collections.abc import AsyncGenerator, AsyncIterator
from contextlib import asynccontextmanager
from typing import Any
from weakref import WeakKeyDictionary

import aiohttp
from aiohttp.test_utils import TestClient
from gql import Client, GraphQLRequest
from gql.client import AsyncClientSession
from gql.transport.websockets import WebsocketsTransport

from issuetracker.server import GRAPHQL

from ..support import Person

WAIT = 10.0

Results = AsyncGenerator[dict[str, Any], None]
_SUBSCRIBED: WeakKeyDictionary[AsyncClientSession, list[Results]] = WeakKeyDictionary()


def socket_url(client: TestClient) -> str:
    return str(client.make_url("/graphql")).replace("http://", "ws://", 1)


def init_payload(person: Person | None) -> dict[str, Any]:
    return {"authorization": f"Bearer {person.token}"} if person and person.token else {}


@asynccontextmanager
async def live_session(
    client: TestClient, person: Person | None
) -> AsyncIterator[AsyncClientSession]:
    transport = WebsocketsTransport(
        url=socket_url(client),
        init_payload=init_payload(person),
        subprotocols=[WebsocketsTransport.GRAPHQLWS_SUBPROTOCOL],
    )
    async with Client(transport=transport) as session:
        try:
            yield session
        finally:
            # A subscription still open makes gql's close wait its whole close_timeout (10 s)
            # for its own listener to end: a frontend leaving a page ends them first.
            for results in _SUBSCRIBED.pop(session, []):
                await results.aclose()


class Subscribed:
    """One subscription of a session, taken result by result."""

    def __init__(self, session: AsyncClientSession, query: str, variables: dict[str, Any]):
        self.results = session.subscribe(GraphQLRequest(query, variable_values=variables))
        _SUBSCRIBED.setdefault(session, []).append(self.results)

    async def next(self) -> dict[str, Any]:
        return await asyncio.wait_for(anext(self.results), WAIT)

    async def nothing_within(self, seconds: float) -> bool:
        try:
            await asyncio.wait_for(anext(self.results), seconds)
        except TimeoutError:
            return True
        return False


async def until_listening(client: TestClient, count: int = 1) -> None:
    """Until the server's feed has `count` listeners: a change made before a subscription is
    listening is, by design, not heard."""
    hub = client.app[GRAPHQL].sockets.hub
    async with asyncio.timeout(WAIT):
        while hub.count < count:  # noqa: ASYNC110 (the server's state, looked at)
            await asyncio.sleep(0.02)


@asynccontextmanager
async def raw_socket(
    client: TestClient, person: Person | None
) -> AsyncIterator[aiohttp.ClientWebSocketResponse]:
    """A socket past `connection_ack`."""
    async with client.session.ws_connect(
        client.make_url("/graphql"), protocols=["graphql-transport-ws"]
    ) as socket:
        await socket.send_json({"type": "connection_init", "payload": init_payload(person)})
        ack = await socket.receive_json(timeout=WAIT)
        assert ack["type"] == "connection_ack", ack
        yield socket


async def subscribe_raw(
    socket: aiohttp.ClientWebSocketResponse, number: int, query: str, variables: dict[str, Any]
) -> None:
    payload = {"query": query, "variables": variables}
    await socket.send_json({"id": str(number), "type": "subscribe", "payload": payload})


async def closed_with(socket: aiohttp.ClientWebSocketResponse) -> tuple[int | None, str]:
    """The close code and reason, skipping any messages before them."""
    async with asyncio.timeout(WAIT):
        while True:
            message = await socket.receive()
            if message.type is aiohttp.WSMsgType.CLOSE:
                # the frame's own code: answering it may fail when the server has already
                # dropped the connection, and the socket's close_code then says 1006
                return message.data, str(message.extra or "")
            if message.type is aiohttp.WSMsgType.CLOSED:
                return socket.close_code, str(message.extra or "")
