"""The public status page of each public company (`/status/<slug>`), each issue's page, and
following them by e-mail. The pages are rendered copies kept while the company's status version
stays the same (`status_copies`); the feeds are in `status_feeds`.

The follow forms need no CSRF token: they are anonymous, and all they can cause is the
confirmation e-mail that anyone may ask for through the API, which changes nothing until its
link is followed."""

from collections.abc import Mapping

import aiohttp_jinja2
from aiohttp import web

from ..models import EventKind, Severity
from ..resolvers.core.errors import IssueClosed, NotFound, ValidationFailed
from ..resolvers.status import following, reads
from ..resolvers.status.shapes import RECENT_DAYS, CompanyStatus, IssueStatusPage, good_until
from ..resolvers.status.stamps import Stamp
from ..web import SCOPE
from . import status_feeds
from .status_common import (
    ASSETS_PATH,
    COMPANY_FEED,
    COMPANY_PAGE,
    COPIES,
    FOLLOW,
    FOLLOW_ISSUE,
    FOLLOW_SENT,
    ISSUE_FEED,
    ISSUE_PAGE,
    SECURITY_HEADERS,
    asset,
    find_company,
    iso_time,
    item_id,
    kept,
    not_found,
    path_to,
    readable_time,
    render_html,
)
from .status_copies import RenderedCopies, RenderedCopy

SEVERITIES = {
    Severity.CRITICAL: "Critical",
    Severity.IMPORTANT: "Important",
    Severity.INFO: "Minor",
}
EVENTS = {
    EventKind.CREATED: "Reported",
    EventKind.UPDATED: "Update",
    EventKind.NOTE: "Update",
    EventKind.CLOSED: "Resolved",
}
CLOSED_MESSAGE = "This issue is resolved: it takes no new followers."
BAD_CATEGORY = "Choose one of the categories in the list."


def _company_context(status: CompanyStatus, slug: str) -> dict[str, object]:
    company = status.company
    return {
        "title": f"{company.name} status",
        "company": company,
        "status": status,
        "recent_days": RECENT_DAYS,
        "feeds": [(f"{company.name}: all issues", path_to(COMPANY_FEED, slug))],
        "follow_url": path_to(FOLLOW, slug),
        **_paths(slug),
    }


def _issue_context(page: IssueStatusPage, slug: str) -> dict[str, object]:
    issue = page.issue
    return {
        "title": f"{issue.name} · {page.company.name} status",
        "company": page.company,
        "page": page,
        "feeds": [(f"{issue.name}: its timeline", path_to(ISSUE_FEED, slug, issue.id))],
        "follow_url": path_to(FOLLOW_ISSUE, slug, issue.id),
        **_paths(slug),
    }


def _paths(slug: str) -> dict[str, object]:
    return {
        "severities": SEVERITIES,
        "event_labels": EVENTS,
        "home_url": path_to(COMPANY_PAGE, slug),
        "issue_url": lambda issue_id: path_to(ISSUE_PAGE, slug, issue_id),
        "category_feed_url": lambda category_id: status_feeds.category_feed_path(slug, category_id),
    }


async def show_company(request: web.Request) -> web.Response:
    found = await find_company(request)
    if not isinstance(found, Stamp):
        return found
    now = request[SCOPE].now

    async def render() -> RenderedCopy:
        status = await reads.company_status(found.company_id, now)
        if status is None:
            return RenderedCopy(b"", "text/html", now)
        html = render_html(
            request, "pages/status/company.html", _company_context(status, found.slug)
        )
        return RenderedCopy(html.encode(), "text/html", status.last_modified, good_until(now))

    return await kept(request, found, (found.company_id, "page", 0), render)


async def show_issue(request: web.Request) -> web.Response:
    found = await find_company(request)
    if not isinstance(found, Stamp):
        return found
    issue_id = item_id(request)
    if issue_id is None:
        return not_found(request)

    async def render() -> RenderedCopy:
        page = await reads.issue_status(found.company_id, issue_id)
        if page is None:
            return RenderedCopy(b"", "text/html", found.changed_at)
        html = render_html(request, "pages/status/issue.html", _issue_context(page, found.slug))
        return RenderedCopy(html.encode(), "text/html", found.changed_at)

    return await kept(request, found, (found.company_id, "issue", issue_id), render)


def _form_field(form: Mapping[str, object], name: str) -> str:
    value = form.get(name)
    return value if isinstance(value, str) else ""


def _not_kept(request: web.Request, html: str, status: int) -> web.Response:
    """A page made for this answer only (one showing what was wrong with a form)."""
    headers = {**SECURITY_HEADERS, "Cache-Control": "no-store"}
    response = web.Response(text=html, status=status, headers=headers)
    response.content_type = "text/html"
    return response


def _sent(stamp: Stamp) -> web.Response:
    """After a POST, the page to GET (so reloading it sends nothing again)."""
    return web.Response(status=303, headers={"Location": path_to(FOLLOW_SENT, stamp.slug)})


async def follow_company(request: web.Request) -> web.Response:
    found = await find_company(request, redirect=False)
    if not isinstance(found, Stamp):
        return found
    form = dict(await request.post())
    email, category = _form_field(form, "email"), _form_field(form, "category")
    try:
        if category and not category.isdigit():
            raise ValidationFailed.single("category", BAD_CATEGORY)
        category_id = int(category) if category else None
        await following.follow_categories(request[SCOPE], found.company_id, category_id, email)
    except ValidationFailed as invalid:
        return await _company_refusal(request, found, invalid.errors[0].message, form)
    except NotFound:
        return not_found(request)
    return _sent(found)


async def _company_refusal(
    request: web.Request, stamp: Stamp, message: str, form: Mapping[str, object]
) -> web.Response:
    status = await reads.company_status(stamp.company_id, request[SCOPE].now)
    if status is None:
        return not_found(request)
    context = _company_context(status, stamp.slug)
    context["follow"] = {
        "error": message,
        **{k: _form_field(form, k) for k in ("email", "category")},
    }
    return _not_kept(request, render_html(request, "pages/status/company.html", context), 422)


async def follow_issue(request: web.Request) -> web.Response:
    found = await find_company(request, redirect=False)
    issue_id = item_id(request)
    if not isinstance(found, Stamp):
        return found
    if issue_id is None:
        return not_found(request)
    form = dict(await request.post())
    email = _form_field(form, "email")
    try:
        await following.follow_issue(request[SCOPE], found.company_id, issue_id, email)
    except ValidationFailed as invalid:
        return await _issue_refusal(request, found, issue_id, invalid.errors[0].message, email)
    except IssueClosed:
        return await _issue_refusal(request, found, issue_id, CLOSED_MESSAGE, email, 409)
    except NotFound:
        return not_found(request)
    return _sent(found)


async def _issue_refusal(
    request: web.Request,
    stamp: Stamp,
    issue_id: int,
    message: str,
    email: str,
    status: int = 422,
) -> web.Response:
    page = await reads.issue_status(stamp.company_id, issue_id)
    if page is None:
        return not_found(request)
    context = _issue_context(page, stamp.slug)
    context["follow"] = {"error": message, "email": email}
    return _not_kept(request, render_html(request, "pages/status/issue.html", context), status)


async def show_sent(request: web.Request) -> web.Response:
    found = await find_company(request)
    if not isinstance(found, Stamp):
        return found
    context = {"title": "Check your e-mail", "home_url": path_to(COMPANY_PAGE, found.slug)}
    return _not_kept(request, render_html(request, "pages/status/sent.html", context), 200)


def install(app: web.Application) -> None:
    """The routes, the process's rendered copies, and the templates' time filters."""
    app[COPIES] = RenderedCopies()
    filters = {"iso_time": iso_time, "readable_time": readable_time}
    aiohttp_jinja2.get_env(app).filters.update(filters)
    router = app.router
    router.add_get(ASSETS_PATH, asset)
    router.add_get(COMPANY_PAGE, show_company)
    router.add_get(ISSUE_PAGE, show_issue)
    router.add_post(FOLLOW, follow_company)
    router.add_post(FOLLOW_ISSUE, follow_issue)
    router.add_get(FOLLOW_SENT, show_sent)
    status_feeds.add_routes(router)
