"""How domain errors reach GraphQL clients: top-level with a code, or as payload data; and the
GraphQL face's answer to errors raised before GraphQL runs (a bad token)."""

import logging
from collections.abc import Awaitable, Callable, Iterator
from enum import Enum
from typing import Any, TypeVar, cast

import strawberry
from aiohttp import web
from graphql import GraphQLError
from strawberry.extensions import SchemaExtension
from strawberry.permission import BasePermission

from .. import metrics
from ..db import database_unreachable
from ..logs import describe_failure
from ..resolvers.core.errors import (
    Conflict,
    DomainError,
    ErrorCode,
    FieldError,
    ValidationFailed,
)
from ..web import RETRY_AFTER_SECONDS, DatabaseUnavailable, json_response

log = logging.getLogger("issuetracker.graphql")

INTERNAL_ERROR_MESSAGE = "Internal server error."

R = TypeVar("R")
P = TypeVar("P")

_ERROR_CODES: type[Enum] = Enum(  # type: ignore[misc]
    "ErrorCode",
    {
        code.name: strawberry.enum_value(code.value, description=code.description)
        for code in ErrorCode
    },
)
GraphQLErrorCode = strawberry.enum(
    _ERROR_CODES,
    description="Every code an error can carry, in `extensions.code` and `UserError.code`.",
)


def camel_case(name: str) -> str:
    head, *rest = name.split("_")
    return head + "".join(part.title() for part in rest)


INPUT = "input"
"""The argument every mutation takes."""
PAYLOAD_ERRORS = (
    "What was wrong with the input, one entry per problem (an invalid field, a closed issue); "
    "empty when the mutation succeeded."
)


@strawberry.type(description="An expected failure of a mutation, for one input field or none.")
class UserError:
    field: str | None = strawberry.field(description="The input field, in camelCase, if any.")
    message: str = strawberry.field(description="For people: what went wrong and what to do.")
    code: GraphQLErrorCode = strawberry.field(description="For programs: what went wrong.")  # type: ignore[valid-type]
    path: list[str] = strawberry.field(
        description="Where the offending value is in the mutation's arguments, as Shopify's "
        '`userErrors.field`: `["input", "categoryIds", "1"]` for the second id of '
        "`input.categoryIds`; empty when no input field is at fault."
    )

    @classmethod
    def of(cls, error: FieldError) -> "UserError":
        field = camel_case(error.field)
        place = [] if error.index is None else [str(error.index)]
        path = [INPUT, field, *place]
        return cls(field=field, message=error.message, code=error.code, path=path)


async def payload_of(
    payload: Callable[..., P],
    action: Callable[[], Awaitable[R]],
    wrap: Callable[[R], Any],
    *,
    field: str | None,
) -> P:
    """Run a mutation: invalid input and conflicts become `errors` in the payload; everything
    else (authentication, permission, not found, bugs) stays a top-level error."""
    try:
        result = await action()
    except ValidationFailed as invalid:
        return payload(errors=[UserError.of(error) for error in invalid.errors])
    except Conflict as conflict:
        refused = UserError(field=None, message=conflict.message, code=conflict.code, path=[])
        return payload(errors=[refused])
    if field is None:
        return cast(P, wrap(result))  # the wrapper builds the whole payload
    return payload(**{field: wrap(result)}, errors=[])


class IsAuthenticated(BasePermission):
    message = "Unauthenticated."
    error_extensions = {"code": str(ErrorCode.UNAUTHENTICATED)}

    def has_permission(self, source: Any, info: strawberry.Info, **kwargs: Any) -> bool:
        return bool(info.context.actor.is_authenticated)


class ErrorPolicy(SchemaExtension):
    """Domain errors get their code; anything unexpected is logged and masked."""

    def on_operation(self) -> Iterator[None]:
        self._outage_logged = False
        yield
        result = self.execution_context.result
        errors = getattr(result, "errors", None)
        if result is not None and errors:
            result.errors = [self._public(error) for error in errors]
            metrics.count_graphql_errors(result.errors)

    def _public(self, error: GraphQLError) -> GraphQLError:
        original = error.original_error
        if original is None or isinstance(original, GraphQLError):
            code = str(ErrorCode.GRAPHQL_VALIDATION_FAILED)
            return _with_extensions(error, error.message, error.extensions or {"code": code})
        if isinstance(original, ValidationFailed):
            invalid = [
                {"field": camel_case(e.field), "message": e.message} for e in original.errors
            ]
            extensions = {"code": str(ErrorCode.BAD_USER_INPUT), "errors": invalid}
            return _with_extensions(error, original.message, extensions)
        if isinstance(original, DomainError):
            if original.code is ErrorCode.SERVICE_UNAVAILABLE:
                self._answer_unavailable()
            return _with_extensions(error, original.message, {"code": str(original.code)})
        if isinstance(original, PermissionError) and error.extensions:
            return error
        request_id = self.execution_context.context.request_id
        if database_unreachable(original):
            return self._unavailable(error, original, request_id)
        log.error("unexpected GraphQL error", exc_info=original, extra={"request_id": request_id})
        extensions = {"code": str(ErrorCode.INTERNAL_SERVER_ERROR), "requestId": request_id}
        return _with_extensions(error, INTERNAL_ERROR_MESSAGE, extensions)

    def _unavailable(
        self, error: GraphQLError, original: Exception, request_id: str
    ) -> GraphQLError:
        """The database cannot be reached: one log line, no traceback, and the whole answer a
        503 with `Retry-After`, as on the other faces."""
        if not self._outage_logged:
            extra = {"request_id": request_id, "error": describe_failure(original)}
            log.warning("the database cannot be reached", extra=extra)
            self._outage_logged = True
        self._answer_unavailable()
        unavailable = DatabaseUnavailable()
        return _with_extensions(error, unavailable.message, {"code": str(unavailable.code)})

    def _answer_unavailable(self) -> None:
        """The whole answer a 503 with `Retry-After`, as on the other faces."""
        response = self.execution_context.context.response
        if isinstance(response, web.Response) and not response.prepared:
            response.set_status(503)
            response.headers["Retry-After"] = str(RETRY_AFTER_SECONDS)


def _with_extensions(error: GraphQLError, message: str, extensions: dict[str, Any]) -> GraphQLError:
    return GraphQLError(
        message,
        nodes=error.nodes,
        source=error.source,
        positions=error.positions,
        path=error.path,
        extensions=extensions,
    )


_HTTP_STATUS = {ErrorCode.UNAUTHENTICATED: 401, ErrorCode.SERVICE_UNAVAILABLE: 503}


def render_http_error(error: DomainError | None) -> web.Response:
    """Errors raised before GraphQL runs (a bad token), in GraphQL's response format."""
    if error is None:
        extensions = {"code": str(ErrorCode.INTERNAL_SERVER_ERROR)}
        body = {"errors": [{"message": INTERNAL_ERROR_MESSAGE, "extensions": extensions}]}
        return json_response(body, status=500)
    status = _HTTP_STATUS.get(error.code, 400)
    body = {"errors": [{"message": error.message, "extensions": {"code": str(error.code)}}]}
    return json_response(body, status=status)
