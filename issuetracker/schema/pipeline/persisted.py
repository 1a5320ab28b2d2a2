"""Persisted queries, as Apollo Client and graphql-request send them: a request may carry
`extensions.persistedQuery {version: 1, sha256Hash}` with or without its `query`.

Without the query, the hash names a document this process saw before, or one registered with
`server.py register-documents` (found by every process); otherwise the client is told
PERSISTED_QUERY_NOT_FOUND and sends the query with its hash, which is checked and, once the
document validates, remembered. With PERSISTED_QUERIES_ONLY, only registered documents run."""

import re
from collections import OrderedDict
from typing import Any

from ...resolvers.clients.registered_documents import registered_document, sha256_of
from ...resolvers.core.errors import ErrorCode
from .refusals import Refusal, bad_request
from .requests import GraphQLRequest

REMEMBERED = 1024
SHA256 = re.compile(r"[0-9a-f]{64}")
NOT_FOUND_MESSAGE = "PersistedQueryNotFound"
"""Apollo Client recognises the error by this message as well as by its code."""


class PersistedQueries:
    def __init__(self, only_registered: bool) -> None:
        self.only_registered = only_registered
        self._remembered: OrderedDict[str, str] = OrderedDict()

    async def source_of(self, graphql: GraphQLRequest) -> str:
        """The document's text; a Refusal when it is unknown, wrong or not allowed."""
        sha256 = _hash_of(graphql.extensions)
        if sha256 is None:
            assert graphql.query is not None  # read_request asks for one or the other
            if self.only_registered and await registered_document(sha256_of(graphql.query)) is None:
                raise _registered_only()
            return graphql.query
        if graphql.query is None:
            source = await self._known(sha256)
            if source is None:
                raise _registered_only() if self.only_registered else _not_found()
            return source
        if sha256_of(graphql.query) != sha256:
            raise bad_request("`extensions.persistedQuery.sha256Hash` is not the query's hash.")
        if self.only_registered and await registered_document(sha256) is None:
            raise _registered_only()
        return graphql.query

    def remember(self, graphql: GraphQLRequest, source: str) -> None:
        """Keeps a document that came with its hash and validated, for its next requests."""
        sha256 = _hash_of(graphql.extensions)
        if sha256 is None or graphql.query is None:
            return
        self._remembered[sha256] = source
        self._remembered.move_to_end(sha256)
        if len(self._remembered) > REMEMBERED:
            self._remembered.popitem(last=False)

    async def _known(self, sha256: str) -> str | None:
        if sha256 in self._remembered:
            self._remembered.move_to_end(sha256)
            return self._remembered[sha256]
        source = await registered_document(sha256)
        if source is not None and not self.only_registered:
            self._remembered[sha256] = source
        return source


def _hash_of(extensions: dict[str, Any]) -> str | None:
    persisted = extensions.get("persistedQuery")
    if persisted is None:
        return None
    if not isinstance(persisted, dict) or persisted.get("version") != 1:
        raise bad_request("`extensions.persistedQuery` must be {version: 1, sha256Hash}.")
    sha256 = persisted.get("sha256Hash")
    if not isinstance(sha256, str) or not SHA256.fullmatch(sha256.lower()):
        raise bad_request("`extensions.persistedQuery.sha256Hash` must be 64 hex digits.")
    return sha256.lower()


def _not_found() -> Refusal:
    return Refusal.document(
        Refusal.of(NOT_FOUND_MESSAGE, ErrorCode.PERSISTED_QUERY_NOT_FOUND).errors
    )


def _registered_only() -> Refusal:
    message = (
        "This server runs registered documents only: send the hash of one "
        "in `extensions.persistedQuery`."
    )
    return Refusal.document(Refusal.of(message, ErrorCode.PERSISTED_QUERY_REQUIRED).errors)
