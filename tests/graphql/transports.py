"""One GraphQL request sent over any of the ways into /graphql, its answer read the same way
whatever came back: so one test body can check that every transport meets the same checks."""

import asyncio
import json
from dataclasses import dataclass, field
from typing import Any

import aiohttp
from aiohttp import FormData
from aiohttp.test_utils import TestClient

from ..support import Person
from .live import raw_socket, subscribe_raw

EVENT_STREAM = "text/event-stream"
MULTIPART_MIXED = "multipart/mixed"
HTTP_TRANSPORTS = ("POST", "GET", "multipart", "SSE", "multipart/mixed")
TRANSPORTS = (*HTTP_TRANSPORTS, "WebSocket")
WAIT = 10.0


@dataclass
class Answer:
    """The first result (or the refusal) a transport gave."""

    status: int | None
    """The HTTP status; None over a WebSocket."""
    body: dict[str, Any]
    events: list[dict[str, Any]] = field(default_factory=list)
    """Every result of a stream, in order."""

    @property
    def codes(self) -> list[str]:
        return [error["extensions"]["code"] for error in self.body.get("errors", [])]


async def send(
    client: TestClient,
    transport: str,
    query: str,
    variables: dict[str, Any] | None = None,
    *,
    as_: Person | None = None,
) -> Answer:
    if transport == "WebSocket":
        return await _over_socket(client, query, variables or {}, as_)
    headers = as_.headers if as_ else {}
    body = {"query": query, "variables": variables or {}}
    if transport == "GET":
        params = {"query": query, "variables": json.dumps(variables or {})}
        return await _read(await client.get("/graphql", params=params, headers=headers))
    if transport == "multipart":
        form = FormData(quote_fields=False)
        form.add_field("operations", json.dumps(body), content_type="application/json")
        form.add_field("map", "{}")
        return await _read(await client.post("/graphql", data=form, headers=headers))
    accept = {"SSE": EVENT_STREAM, "multipart/mixed": MULTIPART_MIXED}.get(transport)
    if accept:
        headers = {**headers, "Accept": accept}
    return await _read(await client.post("/graphql", json=body, headers=headers))


async def _read(response: aiohttp.ClientResponse) -> Answer:
    text = await response.text()
    if response.content_type == EVENT_STREAM:
        events = sse_results(text)
        return Answer(response.status, events[0] if events else {}, events)
    if response.content_type == MULTIPART_MIXED:
        events = multipart_results(text)
        return Answer(response.status, events[0] if events else {}, events)
    return Answer(response.status, json.loads(text))


def sse_results(text: str) -> list[dict[str, Any]]:
    """The `next` events' results of a graphql-sse stream."""
    results = []
    for block in text.split("\n\n"):
        lines = dict(line.split(": ", 1) for line in block.splitlines() if ": " in line)
        if lines.get("event") == "next":
            results.append(json.loads(lines["data"]))
    return results


def multipart_results(text: str) -> list[dict[str, Any]]:
    """The JSON parts of a `multipart/mixed` answer (heartbeats left out, payloads
    unwrapped)."""
    results = []
    for part in text.split("\r\n--graphql")[1:]:
        _, _, content = part.partition("\r\n\r\n")
        content = content.removesuffix("--\r\n")
        if content.strip() and content.strip() != "{}":
            result = json.loads(content)
            results.append(result.get("payload", result))
    return results


async def _over_socket(
    client: TestClient, query: str, variables: dict[str, Any], person: Person | None
) -> Answer:
    async with raw_socket(client, person) as socket:
        await subscribe_raw(socket, 1, query, variables)
        message = await socket.receive_json(timeout=WAIT)
    if message["type"] == "error":
        return Answer(None, {"errors": message["payload"]})
    return Answer(None, message.get("payload") or {})


async def wait_for(condition: Any, what: str) -> None:
    """Until `condition()` holds: a state of the server's the test looks at."""
    async with asyncio.timeout(WAIT):
        while not condition():  # noqa: ASYNC110
            await asyncio.sleep(0.02)
