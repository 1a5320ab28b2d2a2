"""Atom 1.0 feeds (RFC 4287) of a public company's issues, of one category's and of one issue's
timeline: the latest 50 events, newest first. Ids are tag URIs (RFC 4151) made of the server's
host, a day and the row's id, so they outlive a change of slug; kept and revalidated like the
pages."""

import re
from collections.abc import Awaitable, Callable
from urllib.parse import urlsplit

from aiohttp import web

from ..models import EventKind
from ..resolvers.status import reads
from ..resolvers.status.shapes import FeedEntry, StatusFeed
from ..resolvers.status.stamps import Stamp
from ..web import SETTINGS
from .status_common import (
    CATEGORY_FEED,
    COMPANY_FEED,
    COMPANY_PAGE,
    ISSUE_FEED,
    ISSUE_PAGE,
    absolute,
    find_company,
    item_id,
    kept,
    not_found,
    path_to,
    render_html,
)
from .status_copies import RenderedCopy

CONTENT_TYPE = "application/atom+xml"
ENTRY_TITLES = {
    EventKind.CREATED: "New issue",
    EventKind.UPDATED: "Update",
    EventKind.NOTE: "Update",
    EventKind.CLOSED: "Resolved",
}
NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")
"""Characters XML 1.0 cannot hold (text input may carry control characters)."""


Reader = Callable[[int, int], Awaitable[StatusFeed | None]]
READERS: dict[str, Reader] = {
    "company": lambda company_id, _: reads.company_feed(company_id),
    "category": reads.category_feed,
    "issue": reads.issue_feed,
}
"""What each feed reads, given the company's id and the category's or issue's."""


def category_feed_path(slug: str, category_id: int) -> str:
    return path_to(CATEGORY_FEED, slug, category_id)


def _tag(request: web.Request, day: str, specific: str) -> str:
    host = urlsplit(request.app[SETTINGS].public_url).hostname or "localhost"
    return f"tag:{host},{day}:{specific}"


def _entry(request: web.Request, slug: str, entry: FeedEntry) -> dict[str, object]:
    event = entry.event
    return {
        "id": _tag(request, f"{event.created_at:%Y-%m-%d}", f"issue-event/{event.id}"),
        "title": f"{ENTRY_TITLES[event.kind]}: {entry.issue_name}",
        "updated": event.created_at,
        "link": absolute(request, path_to(ISSUE_PAGE, slug, entry.issue_id)),
        "content": event.description,
    }


def _context(request: web.Request, feed: StatusFeed, slug: str, specific: str) -> dict[str, object]:
    company = feed.company
    title, page = f"{company.name} status", path_to(COMPANY_PAGE, slug)
    if feed.category is not None:
        title = f"{company.name} status: {feed.category.name}"
    if feed.issue is not None:
        title = f"{feed.issue.name} ({company.name} status)"
        page = path_to(ISSUE_PAGE, slug, feed.issue.id)
    return {
        "id": _tag(request, f"{company.created_at:%Y-%m-%d}", f"status/{company.id}{specific}"),
        "title": title,
        "updated": feed.updated_at,
        "self_url": absolute(request, request.path),
        "page_url": absolute(request, page),
        "author": company.name,
        "entries": [_entry(request, slug, entry) for entry in feed.entries],
    }


def _renderer(
    request: web.Request, stamp: Stamp, feed: StatusFeed | None, specific: str
) -> RenderedCopy:
    if feed is None:
        return RenderedCopy(b"", CONTENT_TYPE, stamp.changed_at)
    context = _context(request, feed, stamp.slug, specific)
    xml = NOT_XML.sub("", render_html(request, "pages/status/feed.atom", context))
    return RenderedCopy(xml.encode(), CONTENT_TYPE, stamp.changed_at)


async def _serve(request: web.Request, kind: str, with_id: bool) -> web.Response:
    found = await find_company(request)
    if not isinstance(found, Stamp):
        return found
    wanted = item_id(request) if with_id else 0
    if wanted is None:
        return not_found(request)
    specific = f"/{kind}/{wanted}" if with_id else ""

    async def render() -> RenderedCopy:
        feed = await READERS[kind](found.company_id, wanted)
        return _renderer(request, found, feed, specific)

    return await kept(request, found, (found.company_id, f"{kind}-feed", wanted), render)


async def company_feed(request: web.Request) -> web.Response:
    return await _serve(request, "company", with_id=False)


async def category_feed(request: web.Request) -> web.Response:
    return await _serve(request, "category", with_id=True)


async def issue_feed(request: web.Request) -> web.Response:
    return await _serve(request, "issue", with_id=True)


def add_routes(router: web.UrlDispatcher) -> None:
    router.add_get(COMPANY_FEED, company_feed)
    router.add_get(CATEGORY_FEED, category_feed)
    router.add_get(ISSUE_FEED, issue_feed)
