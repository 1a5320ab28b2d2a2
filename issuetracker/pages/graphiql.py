"""GraphiQL served by the server itself: the page a browser's GET of /graphql shows, and the
GraphiQL, React and explorer files it loads from /graphiql-assets/. Nothing comes from another
origin, so the page works offline and under a Content-Security-Policy that allows only the
server's own. `static/graphiql/VERSIONS` says which files these are and where they came from."""

import hashlib
from functools import cache
from pathlib import Path

import aiohttp_jinja2
from aiohttp import web

ASSETS = Path(__file__).parent.parent / "static" / "graphiql"
ASSETS_URL = "/graphiql-assets/"
CONTENT_TYPES = {".js": "text/javascript; charset=utf-8", ".css": "text/css; charset=utf-8"}
CACHED_FOREVER = "public, max-age=31536000, immutable"
CONTENT_SECURITY_POLICY = "; ".join(
    [
        "default-src 'self'",
        # GraphiQL's stylesheet carries its fonts and a few icons inline, as data: URLs.
        "font-src 'self' data:",
        "img-src 'self' data:",
        "object-src 'none'",
        "base-uri 'none'",
        "form-action 'none'",
        "frame-ancestors 'none'",
    ]
)


def add_routes(router: web.UrlDispatcher) -> None:
    router.add_get(ASSETS_URL + "{path:.+}", asset)


async def page(request: web.Request) -> web.Response:
    """The explorer; Strawberry's view answers a browser's GET with it (`render_graphql_ide`)."""
    response = aiohttp_jinja2.render_template("pages/graphiql.html", request, {"asset": asset_url})
    response.headers["Content-Security-Policy"] = CONTENT_SECURITY_POLICY
    return response


async def asset(request: web.Request) -> web.FileResponse:
    """A script or stylesheet of the page. Its URL carries its content's hash (`asset_url`), so
    browsers may keep it forever."""
    path = request.match_info["path"]
    if path not in _content_hashes():
        raise web.HTTPNotFound()
    headers = {
        "Content-Type": CONTENT_TYPES[Path(path).suffix],
        "Cache-Control": CACHED_FOREVER,
        "X-Content-Type-Options": "nosniff",
    }
    return web.FileResponse(ASSETS / path, headers=headers)


def asset_url(path: str) -> str:
    """The URL of a file under static/graphiql; a file that is not there fails the page."""
    return f"{ASSETS_URL}{path}?v={_content_hashes()[path]}"


@cache
def _content_hashes() -> dict[str, str]:
    """The scripts and stylesheets under static/graphiql, the only files served, each with a
    short hash of its content."""
    files = [file for file in ASSETS.rglob("*") if file.suffix in CONTENT_TYPES]
    return {
        file.relative_to(ASSETS).as_posix(): hashlib.sha256(file.read_bytes()).hexdigest()[:12]
        for file in files
    }
