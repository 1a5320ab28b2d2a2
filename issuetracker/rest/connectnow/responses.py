"""Responses in the dialect: the paginator envelope and Laravel's error bodies."""

from typing import Any

from aiohttp import web

from ...resolvers.errors import DomainError, ValidationFailed
from ...resolvers.pagination import OffsetArgs, Page
from ..request import MalformedBody, query_int

STATUS_OF_CODE = {
    "UNAUTHENTICATED": 401,
    "FORBIDDEN": 403,
    "NOT_FOUND": 404,
    "ISSUE_CLOSED": 403,
    "VALIDATION_FAILED": 422,
    "RATE_LIMITED": 429,
}


def page_args(request: web.Request) -> OffsetArgs:
    return OffsetArgs(
        page=query_int(request, "page", 1), per_page=query_int(request, "per_page", 15)
    ).validate()


def paginated(request: web.Request, page: Page, args: OffsetArgs, rows: list[Any]) -> web.Response:
    """Laravel's simple paginator envelope, with URLs built from the request's own address."""
    path = request.url.with_query(None)

    def page_url(number: int) -> str:
        return str(path.update_query(request.query).update_query(page=number))

    first = args.offset + 1 if rows else None
    return web.json_response(
        {
            "current_page": args.page,
            "data": rows,
            "first_page_url": page_url(1),
            "from": first,
            "next_page_url": page_url(args.page + 1) if page.has_next_page else None,
            "path": str(path),
            "per_page": args.per_page,
            "prev_page_url": page_url(args.page - 1) if args.page > 1 else None,
            "to": args.offset + len(rows) if rows else None,
        }
    )


def render_error(error: DomainError | None) -> web.Response:
    if error is None:
        return web.json_response({"message": "Server Error"}, status=500)
    body: dict[str, Any] = {"message": error.message}
    if isinstance(error, ValidationFailed):
        body["errors"] = error.by_field()
    return web.json_response(body, status=STATUS_OF_CODE.get(error.code, 400))


def render_http_error(error: web.HTTPException) -> web.Response:
    messages = {404: "Not found.", 405: "The method is not supported for this route."}
    message = error.reason if isinstance(error, MalformedBody) else messages.get(error.status)
    response = web.json_response({"message": message or error.reason}, status=error.status)
    if "Allow" in error.headers:
        response.headers["Allow"] = error.headers["Allow"]
    return response
