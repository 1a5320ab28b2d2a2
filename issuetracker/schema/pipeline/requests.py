"""A GraphQL request as every transport hands it to the pipeline: what was sent, how it came,
and whether its answer may be a stream."""

from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any

from ...resolvers.issues.uploads import ReceivedFile
from .refusals import bad_request


class Transport(StrEnum):
    POST = "POST"
    GET = "GET"
    MULTIPART = "multipart"
    """A POST of the GraphQL multipart request specification, carrying files."""
    WEBSOCKET = "WebSocket"


@dataclass(frozen=True)
class GraphQLRequest:
    query: str | None
    """None when the request names a persisted document by its hash instead."""
    variables: dict[str, Any]
    operation_name: str | None
    extensions: dict[str, Any]
    transport: Transport = Transport.POST
    streamed: bool = False
    """Whether the answer may be a stream of events (server-sent events, `multipart/mixed`,
    a WebSocket): what a subscription needs."""
    files: list[ReceivedFile] = field(default_factory=list)


def request_of(
    body: dict[str, Any], transport: Transport, *, streamed: bool = False
) -> GraphQLRequest:
    """A request from its JSON object (a POST's body, a GET's parameters, a `subscribe`
    frame's payload); a 400 when a member has the wrong type."""
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
    return GraphQLRequest(query, variables, name, extensions, transport, streamed)
