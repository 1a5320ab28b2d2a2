"""Reading a GraphQL-over-HTTP request: a JSON body on POST, URL parameters on GET; and the
refusals a request can meet before any of it runs."""

import json
from dataclasses import dataclass, field
from typing import Any

from aiohttp import web
from graphql import GraphQLError

from ...resolvers.core.errors import ErrorCode

JSON = "application/json"
GRAPHQL_RESPONSE = "application/graphql-response+json"
ACCEPTED_CHARSETS = ("utf-8", "utf8")


@dataclass(frozen=True)
class GraphQLRequest:
    query: str | None
    """None when the request names a persisted document by its hash instead."""
    variables: dict[str, Any]
    operation_name: str | None
    extensions: dict[str, Any]
    method: str = "POST"


@dataclass
class Refusal(Exception):
    """A request answered with errors before any field of it runs."""

    errors: list[GraphQLError]
    status: int = 400
    """The status under `application/json`."""
    strict_status: int = 400
    """The status under `application/graphql-response+json`."""
    headers: dict[str, str] = field(default_factory=dict)

    @classmethod
    def of(cls, message: str, code: ErrorCode, status: int = 400, **headers: str) -> "Refusal":
        error = GraphQLError(message, extensions={"code": str(code)})
        return cls([error], status, status, headers)

    @classmethod
    def document(cls, errors: list[GraphQLError]) -> "Refusal":
        """The document does not parse or validate, or its variables do not fit: the GraphQL
        over HTTP specification answers 200 under `application/json`, 400 otherwise."""
        return cls(errors, status=200, strict_status=400)


def bad_request(message: str) -> Refusal:
    return Refusal.of(message, ErrorCode.BAD_REQUEST)


async def read_request(request: web.Request) -> GraphQLRequest:
    if request.method == "GET":
        return _from_parameters(request)
    if request.method != "POST":
        raise Refusal.of(
            "Use POST, or GET for a query.", ErrorCode.BAD_REQUEST, 405, Allow="GET, POST"
        )
    if request.content_type != JSON:
        raise Refusal.of("Send the request as application/json.", ErrorCode.BAD_REQUEST, 415)
    if request.charset and request.charset.lower() not in ACCEPTED_CHARSETS:
        raise Refusal.of("Send the request in UTF-8.", ErrorCode.BAD_REQUEST, 415)
    try:
        body = json.loads((await request.read()).decode("utf-8"))
    except (UnicodeDecodeError, ValueError):
        raise bad_request("The body is not JSON in UTF-8.") from None
    if not isinstance(body, dict):
        raise bad_request("The body must be a JSON object with a `query`.")
    return _from_mapping(body, "POST")


def _from_parameters(request: web.Request) -> GraphQLRequest:
    parameters: dict[str, Any] = dict(request.query)
    for name in ("variables", "extensions"):
        if name in parameters:
            try:
                parameters[name] = json.loads(parameters[name])
            except ValueError:
                raise bad_request(f"`{name}` must be a JSON object.") from None
    return _from_mapping(parameters, "GET")


def _from_mapping(body: dict[str, Any], method: str) -> GraphQLRequest:
    query = body.get("query")
    variables = body.get("variables") or {}
    name = body.get("operationName") or None
    extensions = body.get("extensions") or {}
    if not isinstance(query, str | None):
        raise bad_request("`query` must be a string.")
    if not isinstance(variables, dict):
        raise bad_request("`variables` must be a JSON object.")
    if not isinstance(name, str | None):
        raise bad_request("`operationName` must be a string.")
    if not isinstance(extensions, dict):
        raise bad_request("`extensions` must be a JSON object.")
    if query is None and "persistedQuery" not in extensions:
        raise bad_request("The request has no `query`.")
    return GraphQLRequest(query, variables, name, extensions, method)


def response_media(accept: str) -> str | None:
    """The media type to answer in: the one the client prefers of the two; None for none."""
    if not accept:
        return JSON
    best, best_quality = None, 0.0
    for entry in accept.split(","):
        media, *parameters = (part.strip() for part in entry.split(";"))
        if media == GRAPHQL_RESPONSE:
            candidate: str | None = GRAPHQL_RESPONSE
        elif media in (JSON, "application/*", "*/*"):
            candidate = JSON
        else:
            candidate = None
        quality = _quality(parameters)
        if candidate is not None and quality > best_quality:
            best, best_quality = candidate, quality
    return best


def _quality(parameters: list[str]) -> float:
    for parameter in parameters:
        name, _, value = parameter.partition("=")
        if name.strip() == "q":
            try:
                return float(value)
            except ValueError:
                return 0.0
    return 1.0
