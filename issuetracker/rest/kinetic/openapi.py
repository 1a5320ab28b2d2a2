"""The OpenAPI 3.1 description of the Kinetic Response v1 face, served at /api/v1/openapi.json."""

from functools import cache
from typing import Any

from aiohttp import web

from ...resolvers.core.pagination import MAX_PAGE_SIZE
from ...resolvers.issues.inputs import MAX_SEARCH_LENGTH
from ...web import json_response
from ..openapi_parts import body_errors, described_json, query_parameter, ref, text
from .formats import STATUSES
from .openapi_schemas import CREATE_BODY, EDIT_BODY, GUID, SCHEMAS
from .responses import DEFAULT_LIMIT

ERROR = ref("Error")
UNAUTHENTICATED = {"401": described_json(ERROR, "The token is missing or not valid.")}
NOT_FOUND = {"404": described_json(ERROR, "Not found, or not visible to the caller.")}
INVALID = {
    "422": described_json(
        ERROR,
        "Invalid input (text too long for its field, or holding a NUL or a lone surrogate, "
        "among others); nothing was changed.",
    )
}
MALFORMED = body_errors(ERROR)
"""A body that cannot be read is refused before anything else."""
REFUSED = {
    "403": described_json(
        ERROR,
        "The caller may see the issue but not change it, or the token is read-only (it may "
        "not write at all) or limited to companies the change is beyond.",
    )
}
ISSUE = {"200": described_json(ref("Issue"), "The issue.")}
PAGE = {"200": described_json(ref("IssuePage"), "A page of issues.")}


PAGING = [
    query_parameter(
        "limit",
        {"type": "integer", "minimum": 1, "maximum": MAX_PAGE_SIZE, "default": DEFAULT_LIMIT},
        "Issues a page.",
    ),
    query_parameter(
        "page",
        {"type": "integer", "minimum": 0, "default": 1},
        "The page, 1-based; 0 is the first page too.",
    ),
]
SECURED: list[dict[str, list[str]]] = [{"bearer": []}]


def _path_guid(description: str) -> dict[str, Any]:
    return {
        "name": "guid",
        "in": "path",
        "required": True,
        "schema": GUID,
        "description": description,
    }


def _operation(operation_id: str, responses: dict[str, Any], **extra: Any) -> dict[str, Any]:
    return {
        "operationId": operation_id,
        "security": SECURED,
        **extra,
        "responses": {**responses, **UNAUTHENTICATED},
    }


def _body(schema: dict[str, Any]) -> dict[str, Any]:
    return {"required": True, "content": {"application/json": {"schema": schema}}}


SEARCH = [
    query_parameter(
        "status",
        {"type": "string", "enum": list(STATUSES)},
        "Issues with this status. Either `status` or `query`, not both.",
    ),
    query_parameter(
        "query",
        text(MAX_SEARCH_LENGTH),
        "Keywords matched against the name, description and tags.",
    ),
]


def _lists() -> dict[str, Any]:
    return {
        "/api/v1/issues": {
            "get": _operation(
                "list_issues",
                {**PAGE, **INVALID},
                parameters=PAGING,
                description="The issues the caller takes part in, newest first.",
            ),
            "post": _operation(
                "create_issue",
                {**ISSUE, **MALFORMED, **REFUSED, **INVALID},
                requestBody=_body(CREATE_BODY),
            ),
        },
        "/api/v1/issues/search": {
            "get": _operation(
                "search_issues",
                {**PAGE, **INVALID},
                parameters=[*SEARCH, *PAGING],
                description="The caller's issues with a status, or matching keywords.",
            ),
        },
        "/api/v1/users/{guid}/shared_issues": {
            "parameters": [_path_guid("The other user's guid.")],
            "get": _operation(
                "list_shared_issues",
                {**PAGE, **NOT_FOUND, **INVALID},
                parameters=PAGING,
                description="Issues both the caller and that user take part in. A user who "
                "shares no company and no issue with the caller is not found.",
            ),
        },
        "/api/v1/tags": {
            "get": _operation(
                "list_tags",
                {"200": described_json(ref("Tags"), "The tags on the caller's issues, by name.")},
            ),
        },
    }


def _one_issue() -> dict[str, Any]:
    return {
        "/api/v1/issues/{guid}": {
            "parameters": [_path_guid("The issue's guid.")],
            "get": _operation(
                "show_issue",
                {**ISSUE, **NOT_FOUND},
                description="Deleted issues too, to those who may see them.",
            ),
            "put": _operation(
                "update_issue",
                {**ISSUE, **MALFORMED, **REFUSED, **NOT_FOUND, **INVALID},
                requestBody=_body(EDIT_BODY),
                description="A closed issue takes no more changes (422).",
            ),
            "delete": _operation(
                "delete_issue",
                {**ISSUE, **REFUSED, **NOT_FOUND, **INVALID},
                description='Soft: answers the issue with status "Deleted". A closed issue '
                "cannot be deleted (422).",
            ),
        },
    }


@cache
def document() -> dict[str, Any]:
    return {
        "openapi": "3.1.0",
        "info": {"title": "Issue Tracker API (Kinetic Response v1 dialect)", "version": "1.0.0"},
        "servers": [{"url": "/"}],
        "components": {
            "schemas": SCHEMAS,
            "securitySchemes": {"bearer": {"type": "http", "scheme": "bearer"}},
        },
        "paths": {**_lists(), **_one_issue()},
    }


async def openapi_document(request: web.Request) -> web.Response:
    return json_response(document())
