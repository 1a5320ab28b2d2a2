"""Kinetic's responses: the list envelope `{count, limit, offset, issues}` with its `limit` and
1-based `page` parameters, and the error body `{"success": false, "message": ...}` with the
document's status codes."""

from aiohttp import web

from ...models import Issue
from ...resolvers.core.actor import Actor
from ...resolvers.core.errors import DomainError, ErrorCode, ValidationFailed
from ...resolvers.core.pagination import MAX_PAGE_SIZE, OffsetArgs, Page
from ...sqljson.text import dumps
from ...web import http_error_renderer, json_response, json_text_response, status_of
from ..request import query_int
from .issue_sql import issues_text
from .related import issues_json

DEFAULT_LIMIT = 25
STATUS_OVERRIDES = {ErrorCode.ISSUE_CLOSED: 422, ErrorCode.CONFLICT: 422}
"""The document answers 422 for a change to a closed issue."""
UNAUTHENTICATED_MESSAGE = "Error with your login or password"


def page_args(request: web.Request) -> OffsetArgs:
    """`limit` rows a page: at least 1, and a larger one than 100 is 100 (the envelope's
    `limit` shows the size used, as Rails-style APIs cap theirs); `page` counts from 1, and
    `page=0` is the first page."""
    limit = query_int(request, "limit", DEFAULT_LIMIT)
    if limit < 1:
        message = "The limit must be at least 1."
        raise ValidationFailed.single("limit", message, ErrorCode.OUT_OF_RANGE)
    page = query_int(request, "page", 1)
    if page < 0:
        message = "The page may not be negative."
        raise ValidationFailed.single("page", message, ErrorCode.OUT_OF_RANGE)
    return OffsetArgs(page=max(page, 1), per_page=min(limit, MAX_PAGE_SIZE)).validate()


async def issue_page(actor: Actor, page: Page[Issue], args: OffsetArgs) -> web.Response:
    items = list(page.items)
    # The last page (or an empty first one) already tells how many there are.
    known = not page.has_next_page and (bool(items) or args.page == 1)
    count = args.offset + len(items) if known else await page.count()
    envelope = dumps({"count": count, "limit": args.per_page, "offset": args.offset})
    issues = await _issues_text(actor, items)
    return json_text_response(f'{envelope[:-1]},"issues":{issues}}}')


async def issue_response(actor: Actor, issue: Issue) -> web.Response:
    return json_text_response((await _issues_text(actor, [issue]))[1:-1])


async def _issues_text(actor: Actor, issues: list[Issue]) -> str:
    """The issue objects as a JSON array, built by the database in one statement (or, when it
    cannot, by `formats`, which the statement follows)."""
    if not issues:
        return "[]"
    built = await issues_text(actor, [issue.id for issue in issues])
    return built if built is not None else dumps(await issues_json(actor, issues))


def _failure(message: str) -> dict[str, object]:
    return {"success": False, "message": message}


def render_error(error: DomainError | None) -> web.Response:
    if error is None:
        return json_response(_failure("Internal server error."), status=500)
    message = error.message
    if error.code is ErrorCode.UNAUTHENTICATED:
        message = UNAUTHENTICATED_MESSAGE
    elif isinstance(error, ValidationFailed):
        message = " ".join(field_error.message for field_error in error.errors)
    return json_response(_failure(message), status=status_of(error, STATUS_OVERRIDES))


render_http_error = http_error_renderer(_failure)
