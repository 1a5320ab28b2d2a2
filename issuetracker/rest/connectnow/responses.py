"""Responses in the dialect: the paginator envelope and Laravel's error bodies."""

from typing import Any

from aiohttp import web

from ...resolvers.core.errors import DomainError, ErrorCode, ValidationFailed
from ...resolvers.core.pagination import OffsetArgs, Page
from ...sqljson.text import dumps
from ...web import http_error_renderer, json_response, json_text_response, status_of
from ..request import query_int

STATUS_OVERRIDES = {ErrorCode.ISSUE_CLOSED: 403}
"""The document answers 403 for a change to a closed issue."""


def page_args(request: web.Request) -> OffsetArgs:
    return OffsetArgs(
        page=query_int(request, "page", 1), per_page=query_int(request, "per_page", 15)
    ).validate()


def paginated(
    request: web.Request, page: Page[Any], args: OffsetArgs, rows: list[Any]
) -> web.Response:
    """Laravel's simple paginator envelope, with URLs built from the request's own address."""
    return paginated_text(request, args, dumps(rows), page.has_next_page, len(rows))


def paginated_text(
    request: web.Request, args: OffsetArgs, rows: str, more: bool, count: int
) -> web.Response:
    """The same envelope around `count` rows already written as JSON (perhaps by the
    database); `more` when another page follows."""
    path = request.url.with_query(None)

    def page_url(number: int) -> str:
        return str(path.update_query(request.query).update_query(page=number))

    rest = {
        "first_page_url": page_url(1),
        "from": args.offset + 1 if count else None,
        "next_page_url": page_url(args.page + 1) if more else None,
        "path": str(path),
        "per_page": args.per_page,
        "prev_page_url": page_url(args.page - 1) if args.page > 1 else None,
        "to": args.offset + count if count else None,
    }
    body = f'{{"current_page":{args.page},"data":{rows},{dumps(rest)[1:]}'
    return json_text_response(body)


def render_error(error: DomainError | None) -> web.Response:
    if error is None:
        return json_response({"message": "Server Error"}, status=500)
    body: dict[str, Any] = {"message": error.message}
    if isinstance(error, ValidationFailed):
        body["errors"] = error.by_field()
    return json_response(body, status=status_of(error, STATUS_OVERRIDES))


render_http_error = http_error_renderer(lambda message: {"message": message})
