"""Kinetic's error bodies: `{"success": false, "message": ...}` with the document's status codes."""

from aiohttp import web

from ...resolvers.errors import DomainError, ValidationFailed
from ..request import MalformedBody

STATUS_OF_CODE = {
    "UNAUTHENTICATED": 401,
    "FORBIDDEN": 403,
    "NOT_FOUND": 404,
    "ISSUE_CLOSED": 422,
    "VALIDATION_FAILED": 422,
    "RATE_LIMITED": 429,
}
UNAUTHENTICATED_MESSAGE = "Error with your login or password"


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
