"""How domain errors reach GraphQL clients: top-level with a code, or as payload data."""

import logging
from collections.abc import Awaitable, Callable, Iterator
from typing import Any, TypeVar

import strawberry
from graphql import GraphQLError
from strawberry.extensions import SchemaExtension
from strawberry.permission import BasePermission

from ..resolvers.errors import Conflict, DomainError, ValidationFailed

log = logging.getLogger("issuetracker.graphql")

INTERNAL_ERROR_MESSAGE = "Internal server error."

R = TypeVar("R")
P = TypeVar("P")


def camel_case(name: str) -> str:
    head, *rest = name.split("_")
    return head + "".join(part.title() for part in rest)


@strawberry.type(description="An expected failure of a mutation, for one input field or none.")
class UserError:
    field: str | None
    message: str
    code: str


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
        errors = [
            UserError(field=camel_case(e.field), message=e.message, code=e.code)
            for e in invalid.errors
        ]
        return payload(errors=errors)
    except Conflict as conflict:
        return payload(errors=[UserError(field=None, message=conflict.message, code=conflict.code)])
    if field is None:
        return wrap(result)  # the wrapper builds the whole payload
    return payload(**{field: wrap(result)}, errors=[])


class IsAuthenticated(BasePermission):
    message = "Unauthenticated."
    error_extensions = {"code": "UNAUTHENTICATED"}

    def has_permission(self, source: Any, info: strawberry.Info, **kwargs: Any) -> bool:
        return info.context.actor.is_authenticated


class ErrorPolicy(SchemaExtension):
    """Domain errors get their code; anything unexpected is logged and masked."""

    def on_operation(self) -> Iterator[None]:
        yield
        result = self.execution_context.result
        errors = getattr(result, "errors", None)
        if result is not None and errors:
            result.errors = [self._public(error) for error in errors]

    def _public(self, error: GraphQLError) -> GraphQLError:
        original = error.original_error
        if original is None or isinstance(original, GraphQLError):
            extensions = error.extensions or {"code": "GRAPHQL_VALIDATION_FAILED"}
            return _with_extensions(error, error.message, extensions)
        if isinstance(original, ValidationFailed):
            invalid = [
                {"field": camel_case(e.field), "message": e.message} for e in original.errors
            ]
            return _with_extensions(
                error, original.message, {"code": "BAD_USER_INPUT", "errors": invalid}
            )
        if isinstance(original, DomainError):
            return _with_extensions(error, original.message, {"code": original.code})
        if isinstance(original, PermissionError) and error.extensions:
            return error
        request_id = self.execution_context.context.request_id
        log.error("unexpected GraphQL error", exc_info=original, extra={"request_id": request_id})
        extensions = {"code": "INTERNAL_SERVER_ERROR", "requestId": request_id}
        return _with_extensions(error, INTERNAL_ERROR_MESSAGE, extensions)


def _with_extensions(error: GraphQLError, message: str, extensions: dict[str, Any]) -> GraphQLError:
    return GraphQLError(
        message,
        nodes=error.nodes,
        source=error.source,
        positions=error.positions,
        path=error.path,
        extensions=extensions,
    )
