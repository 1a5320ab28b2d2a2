"""What every HTTP face shares: request ids, access logs, the actor, CORS and error rendering."""

import ipaddress
import logging
import time
import uuid
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import datetime

from aiohttp import web

from .resolvers.actor import Actor
from .resolvers.errors import DomainError
from .resolvers.tokens import authenticate
from .settings import Settings

log = logging.getLogger("issuetracker.http")

Handler = Callable[[web.Request], Awaitable[web.StreamResponse]]


@dataclass(frozen=True)
class Face:
    """A URL prefix that answers errors in its own format."""

    prefix: str
    render_error: Callable[[DomainError | None], web.Response]
    """A domain error, or None for an unexpected failure."""
    render_http_error: Callable[[web.HTTPException], web.Response] | None = None
    """Routing errors (404, 405) and malformed requests; None keeps aiohttp's own."""


ACTOR = web.RequestKey("actor", Actor)
REQUEST_ID = web.RequestKey("request_id", str)
SETTINGS = web.AppKey("settings", Settings)
FACES: web.AppKey[list[Face]] = web.AppKey("faces")
CORS_ORIGINS: web.AppKey[frozenset[str]] = web.AppKey("cors_origins")
CLOCK: web.AppKey[Callable[[], datetime]] = web.AppKey("clock")
"""The server's notion of now for the account flows (links' expiry, limits' windows)."""
CORS_PREFIXES = ("/graphql", "/api")

STATUS_OF = {
    "UNAUTHENTICATED": 401,
    "FORBIDDEN": 403,
    "NOT_FOUND": 404,
    "VALIDATION_FAILED": 422,
    "RATE_LIMITED": 429,
}


def render_plain_error(error: DomainError | None) -> web.Response:
    if error is None:
        return web.json_response({"message": "Internal server error."}, status=500)
    status = STATUS_OF.get(error.code, 409)
    return web.json_response({"message": error.message, "code": error.code}, status=status)


PLAIN = Face("/", render_plain_error)


def _face_of(request: web.Request) -> Face:
    """The longest matching prefix wins, so /api/v1 is not answered as /api."""
    matching = [face for face in request.app[FACES] if request.path.startswith(face.prefix)]
    return max(matching, key=lambda face: len(face.prefix), default=PLAIN)


def _request_id_of(request: web.Request) -> str:
    return request.headers.get("X-Request-Id", "")[:64] or uuid.uuid4().hex


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
    started = time.perf_counter()
    try:
        response = await handler(request)
    except web.HTTPException as http_error:
        render = _face_of(request).render_http_error
        if render is not None and http_error.status >= 400:
            response = render(http_error)
        else:
            response = _as_response(http_error)
    except DomainError as error:
        response = _face_of(request).render_error(error)
    except Exception:
        log.exception("unhandled error", extra={"request_id": request_id})
        response = _face_of(request).render_error(None)
    response.headers["X-Request-Id"] = request_id
    log.info(
        "%s %s %s",
        request.method,
        request.path,
        response.status,
        extra={
            "request_id": request_id,
            "status": response.status,
            "duration_ms": round((time.perf_counter() - started) * 1000, 2),
        },
    )
    return response


@web.middleware
async def authentication(request: web.Request, handler: Handler) -> web.StreamResponse:
    header = request.headers.get("Authorization", "")
    scheme, _, token = header.partition(" ")
    secret = token.strip() if scheme.lower() == "bearer" else None
    request[ACTOR] = await authenticate(secret)
    return await handler(request)


def _cors_origin(request: web.Request) -> str | None:
    origin = request.headers.get("Origin")
    if origin in request.app[CORS_ORIGINS] and request.path.startswith(CORS_PREFIXES):
        return origin
    return None


@web.middleware
async def cors_preflight(request: web.Request, handler: Handler) -> web.StreamResponse:
    if not (
        request.method == "OPTIONS"
        and "Access-Control-Request-Method" in request.headers
        and _cors_origin(request)
    ):
        return await handler(request)
    response = web.Response(status=204)
    response.headers["Access-Control-Allow-Methods"] = "GET, POST, PUT, PATCH, DELETE, OPTIONS"
    response.headers["Access-Control-Allow-Headers"] = "Authorization, Content-Type"
    response.headers["Access-Control-Max-Age"] = "600"
    return response


async def add_cors_headers(request: web.Request, response: web.StreamResponse) -> None:
    """On every response, errors included, so browsers can read a 401 or a 422 too."""
    origin = _cors_origin(request)
    if origin:
        response.headers["Access-Control-Allow-Origin"] = origin
        response.headers["Access-Control-Expose-Headers"] = "X-Request-Id"
        response.headers.add("Vary", "Origin")


def client_address(request: web.Request) -> str:
    """The client's address, for limits: the peer, or with TRUSTED_PROXY_COUNT proxies in front,
    the address the outermost of them saw (`X-Forwarded-For` is only believed then). IPv6
    clients are counted by their /64, which one client usually holds whole."""
    address = request.remote or ""
    proxies = request.app[SETTINGS].trusted_proxy_count
    forwarded = [part.strip() for part in request.headers.get("X-Forwarded-For", "").split(",")]
    if proxies and len(forwarded) >= proxies:
        address = forwarded[-proxies]
    try:
        parsed = ipaddress.ip_address(address)
    except ValueError:
        return request.remote or "unknown"
    if isinstance(parsed, ipaddress.IPv6Address):
        if parsed.ipv4_mapped:
            return str(parsed.ipv4_mapped)
        return str(ipaddress.IPv6Network((parsed, 64), strict=False))
    return str(parsed)
