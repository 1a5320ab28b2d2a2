"""How every page behind an e-mailed link is sent. Its URL holds a live token, so the page is
never framed by another site (no clickjacking of its button), never names its URL to another
(no referrer), never cached, and runs nothing: its one stylesheet comes from here."""

from collections.abc import Mapping
from pathlib import Path

import aiohttp_jinja2
from aiohttp import web

STYLESHEET = Path(__file__).parent.parent / "static" / "pages" / "page.css"
STYLESHEET_URL = "/page-assets/page.css"
CONTENT_SECURITY_POLICY = "; ".join(
    [
        "default-src 'none'",
        "style-src 'self'",
        "form-action 'self'",
        "base-uri 'none'",
        "frame-ancestors 'none'",
    ]
)
HEADERS = {
    "Content-Security-Policy": CONTENT_SECURITY_POLICY,
    "X-Frame-Options": "DENY",
    "Referrer-Policy": "no-referrer",
    "X-Content-Type-Options": "nosniff",
    "Cache-Control": "no-store",
}


def render_page(
    request: web.Request, template: str, context: Mapping[str, object], status: int = 200
) -> web.Response:
    page_context = {"stylesheet_url": STYLESHEET_URL, **context}
    response = aiohttp_jinja2.render_template(template, request, page_context, status=status)
    response.headers.update(HEADERS)
    return response


async def stylesheet(request: web.Request) -> web.FileResponse:
    headers = {
        "Content-Type": "text/css; charset=utf-8",
        "Cache-Control": "public, max-age=86400",
        "X-Content-Type-Options": "nosniff",
    }
    return web.FileResponse(STYLESHEET, headers=headers)


def add_routes(router: web.UrlDispatcher) -> None:
    router.add_get(STYLESHEET_URL, stylesheet)
