"""A bearer token sent as bytes that are not UTF-8 (or as text no token is written in) is a
token like any unknown one: 401 in the face's format, never a server error."""

import asyncio
import json

import pytest
from aiohttp.test_utils import TestClient


async def raw_request(client: TestClient, method: str, path: str, token: bytes) -> tuple[int, str]:
    """One HTTP/1.1 request written byte by byte, so a header may hold any bytes."""
    assert client.server.port is not None
    reader, writer = await asyncio.open_connection("127.0.0.1", client.server.port)
    body = b'{"query": "{ viewer { name } }"}' if path == "/graphql" else b""
    writer.write(
        f"{method} {path} HTTP/1.1\r\nHost: testserver\r\nConnection: close\r\n".encode()
        + b"Authorization: Bearer "
        + token
        + b"\r\n"
        + b"Content-Type: application/json\r\n"
        + f"Content-Length: {len(body)}\r\n\r\n".encode()
        + body
    )
    await writer.drain()
    answer = await reader.read()
    writer.close()
    await writer.wait_closed()
    head, _, text = answer.partition(b"\r\n\r\n")
    return int(head.split(b" ")[1]), text.decode()


@pytest.mark.parametrize(
    "token", [b"itk_\xff\xfe", b"itk_\xc3\xa9t\xc3\xa9"], ids=["not-utf8", "accents"]
)
@pytest.mark.parametrize(
    ("method", "path", "message"),
    [
        ("GET", "/api/issues", "Unauthenticated."),
        ("GET", "/api/v1/issues", "Error with your login or password"),
        ("POST", "/graphql", "Unauthenticated."),
    ],
)
async def test_a_token_no_token_is_written_in_is_refused_as_unknown(
    client: TestClient, method: str, path: str, message: str, token: bytes
) -> None:
    status, text = await raw_request(client, method, path, token)

    assert status == 401, text
    assert message in json.dumps(json.loads(text))
