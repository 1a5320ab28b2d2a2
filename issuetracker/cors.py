"""CORS for the browsers of the allowed origins (`CORS_ORIGINS`) on `/graphql`, `/api` and
`/uploads/`: preflights answered, and the headers put on every response."""

from aiohttp import web

from .web import CORS_ORIGINS, SETTINGS, Handler

CORS_PREFIXES = ("/graphql", "/api", "/uploads/")
CORS_EXPOSED_HEADERS = (
    "X-Request-Id, Retry-After, X-RateLimit-Limit, X-RateLimit-Remaining, X-RateLimit-Used, "
    "X-RateLimit-Reset, X-RateLimit-Resource"
)


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
    allowed = request.app[SETTINGS].cors_allow_headers
    response.headers["Access-Control-Allow-Headers"] = ", ".join(allowed)
    response.headers["Access-Control-Max-Age"] = "600"
    return response


async def add_cors_headers(request: web.Request, response: web.StreamResponse) -> None:
    """On every response, errors included, so browsers can read a 401 or a 422 too. `Vary:
    Origin` goes on every one, allowed origin or not, so no cache hands one origin's answer to
    another."""
    varies = ", ".join(response.headers.getall("Vary", []))
    if "origin" not in varies.lower():
        response.headers["Vary"] = f"{varies}, Origin" if varies else "Origin"
    origin = _cors_origin(request)
    if origin:
        response.headers["Access-Control-Allow-Origin"] = origin
        response.headers["Access-Control-Expose-Headers"] = CORS_EXPOSED_HEADERS
