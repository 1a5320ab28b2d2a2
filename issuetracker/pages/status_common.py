"""What the status pages and feeds share: their paths, finding the company by its slug (one
statement), the headers they are sent with, and the one 404 page."""

import hashlib
from collections.abc import Awaitable, Callable, Mapping
from datetime import UTC, datetime
from functools import cache
from pathlib import Path

import aiohttp_jinja2
from aiohttp import web

from ..resolvers.core.ids import is_row_id
from ..resolvers.status.stamps import Stamp, stamp_of
from ..resolvers.status.urls import STATUS_PREFIX
from ..web import SCOPE, SETTINGS
from .status_copies import CopyKey, RenderedCopies, RenderedCopy, answer

COMPANY_PAGE = STATUS_PREFIX + "{slug}"
ISSUE_PAGE = COMPANY_PAGE + "/issues/{id}"
COMPANY_FEED = COMPANY_PAGE + "/feed.atom"
CATEGORY_FEED = COMPANY_PAGE + "/categories/{id}/feed.atom"
ISSUE_FEED = ISSUE_PAGE + "/feed.atom"
FOLLOW = COMPANY_PAGE + "/follow"
FOLLOW_ISSUE = ISSUE_PAGE + "/follow"
FOLLOW_SENT = COMPANY_PAGE + "/check-your-email"

ASSETS = Path(__file__).parent.parent / "static" / "pages"
ASSET_TYPES = {"status.css": "text/css", "status-icon.svg": "image/svg+xml"}
"""The files the status pages load, from /page-assets/."""
ASSETS_PATH = "/page-assets/{name:status[-a-z]*\\.[a-z]+}"
COPIES = web.AppKey("status_copies", RenderedCopies)
Render = Callable[[], Awaitable[RenderedCopy]]

CONTENT_SECURITY_POLICY = "; ".join(
    [
        "default-src 'none'",
        "style-src 'self'",
        "img-src 'self' https: http:",  # the company's logo, wherever it is kept
        "form-action 'self'",
        "base-uri 'none'",
        "frame-ancestors 'none'",
    ]
)
SECURITY_HEADERS = {
    "Content-Security-Policy": CONTENT_SECURITY_POLICY,
    "X-Frame-Options": "DENY",
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "same-origin",
}


def public_headers(request: web.Request) -> dict[str, str]:
    """For what anyone may keep a short while: pages, feeds and redirects."""
    max_age = request.app[SETTINGS].status_page_max_age_seconds
    return {**SECURITY_HEADERS, "Cache-Control": f"public, max-age={max_age}"}


def path_to(template: str, slug: str, item_id: int | None = None) -> str:
    return template.format(slug=slug, id=item_id)


def absolute(request: web.Request, path: str) -> str:
    return request.app[SETTINGS].public_url.rstrip("/") + path


def item_id(request: web.Request) -> int | None:
    """The issue's or category's id in the path; None when it cannot be one."""
    raw = request.match_info["id"]
    if not (raw.isascii() and raw.isdigit()) or not is_row_id(int(raw)):
        return None
    return int(raw)


async def find_company(request: web.Request, *, redirect: bool = True) -> Stamp | web.Response:
    """The public company of the slug in the path, or the answer to give instead: the 404
    page (a private company's looks like a missing one's), or a redirect from an old slug to
    the same path under the current one."""
    slug = request.match_info["slug"]
    stamp = await stamp_of(slug, request[SCOPE].now)
    if stamp is None:
        return not_found(request)
    if redirect and stamp.slug != slug:
        location = request.rel_url.with_path(
            STATUS_PREFIX + stamp.slug + request.path[len(STATUS_PREFIX) + len(slug) :]
        ).with_query(request.query)
        headers = {**public_headers(request), "Location": str(location)}
        return web.Response(status=301, headers=headers)
    return stamp


def not_found(request: web.Request) -> web.Response:
    body = render_html(request, "pages/status/not_found.html", {"title": "Page not found"})
    headers = {**SECURITY_HEADERS, "Cache-Control": "no-store"}
    response = web.Response(text=body, status=404, headers=headers)
    response.content_type = "text/html"
    return response


async def kept(request: web.Request, stamp: Stamp, key: CopyKey, render: Render) -> web.Response:
    """The rendered copy for `key` (made by `render` when the kept one is out of date)."""
    copy, etag = await request.app[COPIES].get(key, stamp, request[SCOPE].now, render)
    if not copy.found:
        return not_found(request)
    return answer(request, copy, etag, public_headers(request))


def render_html(request: web.Request, template: str, context: Mapping[str, object]) -> str:
    assets = {"stylesheet_url": asset_url("status.css"), "icon_url": asset_url("status-icon.svg")}
    return aiohttp_jinja2.render_string(template, request, {**assets, **context})


def iso_time(moment: datetime) -> str:
    """For `<time datetime>` and Atom: RFC 3339 in UTC, to the second."""
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def readable_time(moment: datetime) -> str:
    utc = moment.astimezone(UTC)
    return f"{utc.day} {utc:%b %Y}, {utc:%H:%M} UTC"


@cache
def asset_url(name: str) -> str:
    """Its URL changes with its content, so browsers may keep it for good."""
    digest = hashlib.sha256((ASSETS / name).read_bytes()).hexdigest()[:12]
    return f"/page-assets/{name}?v={digest}"


async def asset(request: web.Request) -> web.FileResponse:
    name = request.match_info["name"]
    if name not in ASSET_TYPES:
        raise web.HTTPNotFound()
    headers = {
        "Content-Type": f"{ASSET_TYPES[name]}; charset=utf-8",
        "Cache-Control": "public, max-age=31536000, immutable",
        "X-Content-Type-Options": "nosniff",
    }
    return web.FileResponse(ASSETS / name, headers=headers)
