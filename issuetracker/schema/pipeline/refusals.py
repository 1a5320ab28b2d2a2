"""The answers a request can meet before any field of it runs."""

from dataclasses import dataclass, field
from typing import Any

from graphql import GraphQLError

from ...resolvers.core.errors import ErrorCode


@dataclass
class Refusal(Exception):
    """A request answered with errors before any field of it runs."""

    errors: list[GraphQLError]
    status: int = 400
    """The status under `application/json`."""
    strict_status: int = 400
    """The status under `application/graphql-response+json` (and every streamed media)."""
    headers: dict[str, str] = field(default_factory=dict)
    extensions: dict[str, Any] = field(default_factory=dict)
    """What the checks worked out before refusing (the cost, once counted)."""

    @classmethod
    def of(cls, message: str, code: ErrorCode, status: int = 400, **headers: str) -> "Refusal":
        error = GraphQLError(message, extensions={"code": str(code)})
        return cls([error], status, status, headers)

    @classmethod
    def document(cls, errors: list[GraphQLError]) -> "Refusal":
        """The document does not parse or validate, or its variables do not fit: the GraphQL
        over HTTP specification answers 200 under `application/json`, 400 otherwise."""
        return cls(errors, status=200, strict_status=400)

    @property
    def body(self) -> dict[str, Any]:
        """A request error's body: no `data` entry, as the specification asks."""
        body: dict[str, Any] = {"errors": [error.formatted for error in self.errors]}
        if self.extensions:
            body["extensions"] = self.extensions
        return body


def bad_request(message: str) -> Refusal:
    return Refusal.of(message, ErrorCode.BAD_REQUEST)
