"""Reading a GraphQL-over-HTTP request: a JSON body on POST, URL parameters on GET, or the
parts of a multipart upload (`multipart.py`)."""

import json
from dataclasses import dataclass
from typing import Any

from aiohttp import web

from ...body_watch import STALLED_MESSAGE, BodyStalled
from ...resolvers.core.errors import ErrorCode
from ...web import SETTINGS
from ..pipeline.refusals import Refusal, bad_request
from ..pipeline.requests import GraphQLRequest, Transport, request_of
from .multipart import read_multipart

JSON = "application/json"
MULTIPART = "multipart/form-data"
ACCEPTED_CHARSETS = ("utf-8", "utf8")


@dataclass(frozen=True)
class Batch:
    """A JSON array of requests, as Apollo's `BatchHttpLink` sends them: answered with an array,
    in order."""

    requests: list[GraphQLRequest]


async def read_request(request: web.Request, *, streamed: bool) -> GraphQLRequest | Batch:
    if request.method == "GET":
        return request_of(_parameters(request), Transport.GET, streamed=streamed)
    if request.method != "POST":
        raise Refusal.of(
            "Use POST, or GET for a query.", ErrorCode.BAD_REQUEST, 405, Allow="GET, POST"
        )
    try:
        return await _read_body(request, streamed=streamed)
    except BodyStalled as stalled:
        raise Refusal.of(STALLED_MESSAGE, ErrorCode.BAD_REQUEST, 408) from stalled


async def _read_body(request: web.Request, *, streamed: bool) -> GraphQLRequest | Batch:
    if request.content_type == MULTIPART:
        return await read_multipart(request, streamed=streamed)
    if request.content_type != JSON:
        message = f"Send the request as {JSON} (or {MULTIPART} with files)."
        raise Refusal.of(message, ErrorCode.BAD_REQUEST, 415)
    if request.charset and request.charset.lower() not in ACCEPTED_CHARSETS:
        raise Refusal.of("Send the request in UTF-8.", ErrorCode.BAD_REQUEST, 415)
    body = _json((await request.read()).decode("utf-8", errors="replace"), "The body")
    if isinstance(body, list):
        return _batch(body, request.app[SETTINGS].graphql_max_batch)
    return request_of(_object(body, "The body"), Transport.POST, streamed=streamed)


def _batch(bodies: list[Any], most: int) -> Batch:
    """A batch, never streamed; refused whole (400) when it is empty, longer than `most`, or
    holds anything but JSON objects."""
    if not 1 <= len(bodies) <= most:
        raise bad_request(f"A batch holds from 1 to {most} operations, each a JSON object.")
    return Batch([request_of(_object(body, "Each operation"), Transport.POST) for body in bodies])


def _json(text: str, what: str) -> Any:
    """JSON; a 400 saying what is wrong otherwise (nesting too deep included)."""
    try:
        return json.loads(text)
    except RecursionError:
        raise bad_request(f"{what} is nested too deeply.") from None
    except ValueError:
        raise bad_request(f"{what} is not JSON in UTF-8.") from None


def _object(value: Any, what: str) -> dict[str, Any]:
    if not isinstance(value, dict):
        raise bad_request(f"{what} must be a JSON object with a `query`.")
    return value


def _parameters(request: web.Request) -> dict[str, Any]:
    parameters: dict[str, Any] = dict(request.query)
    for name in ("variables", "extensions"):
        if name in parameters:
            try:
                parameters[name] = json.loads(parameters[name])
            except (ValueError, RecursionError):
                raise bad_request(f"`{name}` must be a JSON object.") from None
    return parameters
