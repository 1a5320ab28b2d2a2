"""What every HTTP face shares: request ids, access logs, the request's scope (who, when, from
where), and rendering errors in each face's own format (CORS is in `cors.py`)."""

import functools
import ipaddress
import itertools
import logging
import secrets
import time
from collections.abc import Awaitable, Callable, Mapping
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from aiohttp import web

from . import metrics
from .body_watch import STALLED_MESSAGE, watch_body
from .db import database_unreachable
from .logs import current_request_id, describe_failure
from .resolvers.accounts.token_cache import TokenCache
from .resolvers.accounts.tokens import authenticate
from .resolvers.core.actor import require_writer
from .resolvers.core.errors import DomainError, ErrorCode, ServiceUnavailable
from .resolvers.core.scope import Policy, Scope
from .resolvers.live.feed import LiveFeed
from .settings import Settings
from .sqljson.text import as_ascii_json, dumps

log = logging.getLogger("issuetracker.http")

Handler = Callable[[web.Request], Awaitable[web.StreamResponse]]
Envelope = Callable[[str], dict[str, Any]]
"""A face's JSON body for an error message."""

STATUS_OF: Mapping[ErrorCode, int] = {
    ErrorCode.UNAUTHENTICATED: 401,
    ErrorCode.FORBIDDEN: 403,
    ErrorCode.NOT_FOUND: 404,
    ErrorCode.CONFLICT: 409,
    ErrorCode.ISSUE_CLOSED: 409,
    ErrorCode.ALREADY_VERIFIED: 409,
    ErrorCode.BAD_USER_INPUT: 422,
    ErrorCode.RATE_LIMITED: 429,
    ErrorCode.SERVICE_UNAVAILABLE: 503,
}
"""The HTTP status of each domain error; a face overrides only where its document differs."""

RETRY_AFTER_SECONDS = 5
"""What a 503 tells clients to wait while the database cannot be reached."""


class DatabaseUnavailable(ServiceUnavailable):
    """The database cannot be reached: every face answers 503 with `Retry-After`."""

    default_message = "The service is unavailable for a moment; try again shortly."


HTTP_ERROR_MESSAGES = {
    404: "Not found.",
    405: "The method is not supported for this route.",
    408: STALLED_MESSAGE,
}


def json_response(data: Any, status: int = 200) -> web.Response:
    """JSON as every face writes it (compact, ASCII)."""
    return json_text_response(dumps(data), status)


def json_text_response(text: str, status: int = 200) -> web.Response:
    """JSON text, perhaps built by the database, written as `json_response` writes JSON."""
    return web.Response(text=as_ascii_json(text), status=status, content_type="application/json")


def status_of(error: DomainError, overrides: Mapping[ErrorCode, int]) -> int:
    return overrides.get(error.code) or STATUS_OF.get(error.code, 500)


class MalformedBody(web.HTTPBadRequest):
    """A body that cannot be read as the face's input; its reason is shown to the client."""

    def __init__(self, reason: str = "The request body is not valid JSON.") -> None:
        super().__init__(reason=reason)


def http_error_renderer(envelope: Envelope) -> Callable[[web.HTTPException], web.Response]:
    """Routing errors (404, 405) and malformed requests, in a face's envelope."""

    def render(error: web.HTTPException) -> web.Response:
        message = error.reason if isinstance(error, MalformedBody) else None
        message = message or HTTP_ERROR_MESSAGES.get(error.status) or error.reason
        response = json_response(envelope(message), status=error.status)
        if "Allow" in error.headers:
            response.headers["Allow"] = error.headers["Allow"]
        return response

    return render


@dataclass(frozen=True)
class Face:
    """A URL prefix that answers errors in its own format."""

    prefix: str
    render_error: Callable[[DomainError | None], web.Response]
    """A domain error, or None for an unexpected failure."""
    render_http_error: Callable[[web.HTTPException], web.Response] | None = field(default=None)
    """Routing errors (404, 405) and malformed requests; None keeps aiohttp's own."""
    writes_by_method: bool = False  # REST: all but GET, HEAD and OPTIONS write (not read-only)


SCOPE = web.RequestKey("scope", Scope)
REQUEST_ID = web.RequestKey("request_id", str)
GRAPHQL_OPERATION = web.RequestKey("graphql_operation", tuple[str, str])
FACE = web.RequestKey("face", Face)
"""The type and name of the GraphQL operation a request ran, for its log line."""
SETTINGS = web.AppKey("settings", Settings)
POLICY = web.AppKey("policy", Policy)
FACES: web.AppKey[list[Face]] = web.AppKey("faces")
CORS_ORIGINS: web.AppKey[frozenset[str]] = web.AppKey("cors_origins")
LIVE_FEED: web.AppKey[LiveFeed] = web.AppKey("live_feed")
"""The process's feed of committed changes, which live subscriptions listen to."""
CLOCK: web.AppKey[Callable[[], datetime]] = web.AppKey("clock")
TOKENS = web.AppKey("tokens", TokenCache)
"""The server's one clock: each request's scope reads it once."""
OPERATOR_PATHS = frozenset({"/healthz", "/readyz", "/metrics"})
READ_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})


def render_plain_error(error: DomainError | None) -> web.Response:
    if error is None:
        return json_response({"message": "Internal server error."}, status=500)
    body = {"message": error.message, "code": str(error.code)}
    return json_response(body, status=status_of(error, {}))


PLAIN = Face("/", render_plain_error)


def _face_of(request: web.Request) -> Face:
    """The longest matching prefix wins, so /api/v1 is not answered as /api (found once a
    request)."""
    face = request.get(FACE)
    if face is None:
        path, faces = request.path, request.app[FACES]
        matching = [face for face in faces if path.startswith(face.prefix)]
        face = request[FACE] = max(matching, key=lambda face: len(face.prefix), default=PLAIN)
    return face


_PROCESS_ID = secrets.token_hex(6)
_request_numbers = itertools.count(1)


def _request_id_of(request: web.Request) -> str:
    """The client's id, or this process's random prefix and a count: unique without a system
    call for randomness on every request."""
    given = request.headers.get("X-Request-Id", "")[:64]
    return given or f"{_PROCESS_ID}{next(_request_numbers):010x}"


def _as_response(http_error: web.HTTPException) -> web.Response:
    """aiohttp deprecates returning an HTTPException object; answer the same as a response."""
    return web.Response(
        status=http_error.status,
        reason=http_error.reason,
        body=http_error.body,
        headers=http_error.headers,
    )


@web.middleware
async def request_context(request: web.Request, handler: Handler) -> web.StreamResponse:
    """Gives the request an id, answers errors in the face's format and logs one line."""
    request_id = _request_id_of(request)
    request[REQUEST_ID] = request_id
    current_request_id.set(request_id)  # each request runs in a task, with a context, of its own
    started = time.perf_counter()
    body_watch = watch_body(request, request.app[SETTINGS].request_body_idle_seconds)
    try:
        response = await handler(request)
    except web.HTTPException as http_error:
        render = _face_of(request).render_http_error
        if render is not None and http_error.status >= 400:
            response = render(http_error)
        else:
            response = _as_response(http_error)
    except DomainError as error:
        response = _render_domain_error(request, error)
    except Exception as failure:
        response = _failed(request, request_id, failure)
    finally:
        if body_watch is not None:
            body_watch.stop()
    if body_watch is not None and body_watch.stalled:
        response.force_close()
    response.headers["X-Request-Id"] = request_id
    _record(request, response, time.perf_counter() - started)
    return response


CLIENT_CLOSED_REQUEST = 499
"""The status recorded (nginx's) for a request whose client left before it was answered."""


def _failed(request: web.Request, request_id: str, failure: Exception) -> web.StreamResponse:
    """The answer to a request its handler failed, said in the log as what it is."""
    if _client_left(request, failure):  # no bug, and no one to answer: one line, no traceback
        log.info("the client closed its connection", extra={"request_id": request_id})
        return web.Response(status=CLIENT_CLOSED_REQUEST)
    if database_unreachable(failure):  # one line, no traceback: an outage lasts many requests
        cause = {"request_id": request_id, "error": describe_failure(failure)}
        log.warning("the database cannot be reached", extra=cause)
        return _render_domain_error(request, DatabaseUnavailable())
    log.exception("unhandled error", extra={"request_id": request_id})
    return _face_of(request).render_error(None)


def _client_left(request: web.Request, failure: Exception) -> bool:
    """The request's own connection broke while it was read (a reset elsewhere, say towards
    the uploads' storage, is the server's failure)."""
    transport = request.transport
    gone = transport is None or transport.is_closing()
    return gone and isinstance(failure, ConnectionResetError)


def _record(request: web.Request, response: web.StreamResponse, seconds: float) -> None:
    """The request's metrics and its one log line: who (user id, never the token), from
    where, with what, and for GraphQL which operation."""
    face = _face_of(request).prefix or "/"
    resource = request.match_info.route.resource
    route = resource.canonical if resource is not None else "unmatched"
    metrics.count_request(face, route, response.status, seconds)
    if not log.isEnabledFor(logging.INFO):
        return
    scope = request.get(SCOPE)
    extra: dict[str, Any] = {
        "request_id": request[REQUEST_ID],
        "status": response.status,
        "duration_ms": round(seconds * 1000, 2),
        "user_id": scope.actor.user_id if scope else None,
        "client": client_address(request),
        "user_agent": request.headers.get("User-Agent", "")[:200],
    }
    operation = request.get(GRAPHQL_OPERATION)
    if operation is not None:
        extra["operation_type"], extra["operation_name"] = operation
    log.info("%s %s %s", request.method, request.path, response.status, extra=extra)


def _render_domain_error(request: web.Request, error: DomainError) -> web.Response:
    face = _face_of(request)
    metrics.ERRORS.labels(face.prefix or "/", str(error.code)).inc()
    response = face.render_error(error)
    if error.code is ErrorCode.SERVICE_UNAVAILABLE:
        response.headers["Retry-After"] = str(RETRY_AFTER_SECONDS)
    return response


def bearer_secret(header: str) -> str | None:
    """The token of an `Authorization: Bearer ...` value."""
    scheme, _, token = header.partition(" ")
    return token.strip() if scheme.lower() == "bearer" else None


@web.middleware
async def request_scope(request: web.Request, handler: Handler) -> web.StreamResponse:
    """Who is asking (by bearer token), when (the clock read once), and from where. The
    operator's routes take no API token (`/metrics` reads its own)."""
    now = request.app[CLOCK]()
    header = "" if request.path in OPERATOR_PATHS else request.headers.get("Authorization", "")
    actor = await authenticate(bearer_secret(header), now, request.app[TOKENS])
    # The address's parts, not the request: a closure over it would make each request a cycle
    # that only the garbage collector frees (about 7% of a request's time under load).
    client_of = functools.partial(_address_of, *_address_parts(request))
    request[SCOPE] = Scope(actor, now, request.app[POLICY], client_of)
    if request.method not in READ_METHODS and _face_of(request).writes_by_method:
        require_writer(actor)
    return await handler(request)


def client_address(request: web.Request) -> str:
    """The client's address, for limits: the peer, or with TRUSTED_PROXY_COUNT proxies in front,
    the address the outermost of them saw (`X-Forwarded-For` is only believed then). IPv6
    clients are counted by their /64, which one client usually holds whole."""
    return _address_of(*_address_parts(request))


def _address_parts(request: web.Request) -> tuple[str | None, str, int]:
    """What the client's address is worked out from: the peer, `X-Forwarded-For` and the
    number of proxies trusted."""
    forwarded = request.headers.get("X-Forwarded-For", "")
    return request.remote, forwarded, request.app[SETTINGS].trusted_proxy_count


def _address_of(remote: str | None, forwarded_for: str, proxies: int) -> str:
    """`client_address` from its parts (`_address_parts`)."""
    address = remote or ""
    forwarded = [part.strip() for part in forwarded_for.split(",")]
    if proxies and len(forwarded) >= proxies:
        address = forwarded[-proxies]
    try:
        parsed = ipaddress.ip_address(address)
    except ValueError:
        return remote or "unknown"
    if isinstance(parsed, ipaddress.IPv6Address):
        if parsed.ipv4_mapped:
            return str(parsed.ipv4_mapped)
        return str(ipaddress.IPv6Network((parsed, 64), strict=False))
    return str(parsed)
