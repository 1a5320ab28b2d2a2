"""Kinetic's responses: the list envelope `{count, limit, offset, issues}` with its `limit` and
1-based `page` parameters, and the error body `{"success": false, "message": ...}` with the
document's status codes."""

from aiohttp import web

from ...models import Issue
from ...resolvers.actor import Actor
from ...resolvers.errors import DomainError, ValidationFailed
from ...resolvers.pagination import MAX_PAGE_SIZE, OffsetArgs, Page
from ..request import MalformedBody, query_int
from .related import issue_json_for, issues_json

DEFAULT_LIMIT = 25

STATUS_OF_CODE = {
    "UNAUTHENTICATED": 401,
    "FORBIDDEN": 403,
    "NOT_FOUND": 404,
    "ISSUE_CLOSED": 422,
    "VALIDATION_FAILED": 422,
    "RATE_LIMITED": 429,
}
UNAUTHENTICATED_MESSAGE = "Error with your login or password"


def page_args(request: web.Request) -> OffsetArgs:
    """`limit` rows a page (1 to 100); `page` counts from 1, and `page=0` is the first page."""
    limit = query_int(request, "limit", DEFAULT_LIMIT)
    if not 1 <= limit <= MAX_PAGE_SIZE:
        message = f"The limit must be between 1 and {MAX_PAGE_SIZE}."
        raise ValidationFailed.single("limit", message, "OUT_OF_RANGE")
    page = query_int(request, "page", 1)
    if page < 0:
        raise ValidationFailed.single("page", "The page may not be negative.", "OUT_OF_RANGE")
    return OffsetArgs(page=max(page, 1), per_page=limit).validate()


async def issue_page(actor: Actor, page: Page[Issue], args: OffsetArgs) -> web.Response:
    items = list(page.items)
    # The last page (or an empty first one) already tells how many there are.
    known = not page.has_next_page and (bool(items) or args.page == 1)
    count = args.offset + len(items) if known else await page.count()
    rows = await issues_json(actor, items)
    body = {"count": count, "limit": args.per_page, "offset": args.offset, "issues": rows}
    return web.json_response(body)


async def issue_response(actor: Actor, issue: Issue) -> web.Response:
    return web.json_response(await issue_json_for(actor, issue))


def failure(message: str, status: int) -> web.Response:
    return web.json_response({"success": False, "message": message}, status=status)


def render_error(error: DomainError | None) -> web.Response:
    if error is None:
        return failure("Internal server error.", 500)
    if error.code == "UNAUTHENTICATED":
        return failure(UNAUTHENTICATED_MESSAGE, 401)
    message = error.message
    if isinstance(error, ValidationFailed):
        message = " ".join(field_error.message for field_error in error.errors)
    return failure(message, STATUS_OF_CODE.get(error.code, 422))


def render_http_error(error: web.HTTPException) -> web.Response:
    messages = {404: "Not found.", 405: "The method is not supported for this route."}
    message = error.reason if isinstance(error, MalformedBody) else messages.get(error.status)
    response = failure(message or error.reason, error.status)
    if "Allow" in error.headers:
        response.headers["Allow"] = error.headers["Allow"]
    return response
