"""The OpenAPI 3.1 description of the ConnectNow face, served at /api/openapi.json."""

from functools import cache
from typing import Any

from aiohttp import web

from ...models import Category
from ...resolvers.companies.companies import NAME_LENGTH as COMPANY_NAME_LENGTH
from ...resolvers.core.validation import EMAIL_LENGTH, LONG_TEXT_LENGTH, column_limit
from ...resolvers.issues.inputs import NAME_LENGTH as ISSUE_NAME_LENGTH
from ...resolvers.webhooks.webhooks import DESCRIPTION_LENGTH, URL_LENGTH
from ...web import json_response
from ..openapi_parts import body_errors, described_json, query_parameter, ref, text
from .openapi_schemas import ID, ID_LIST, SCHEMAS, SEVERITY, object_schema

ERRORS = {
    "401": described_json(ref("Error"), "A token is needed, or the token is not valid."),
    "403": described_json(
        ref("Error"),
        "No access, or the issue is closed; or the token is read-only (every write answers "
        "403) or limited to companies the change is beyond.",
    ),
    "404": described_json(ref("Error"), "Not found, or not visible to the caller."),
    "422": described_json(
        ref("ValidationError"),
        "Invalid input (text too long for its field, or holding a NUL or a lone surrogate, "
        "among others); nothing was changed.",
    ),
}
WRITE_ERRORS = {**ERRORS, **body_errors(ref("Error"))}
"""Operations that read a body: a body that cannot be read is refused before anything else."""


def _array_query(name: str, items: dict[str, Any], description: str) -> dict[str, Any]:
    return {
        "name": name,
        "in": "query",
        "required": False,
        "style": "form",
        "explode": False,
        "schema": {"type": "array", "items": items},
        "description": description + " Also accepted as `name[]=a&name[]=b`.",
    }


PAGING = [
    query_parameter("page", {"type": "integer", "minimum": 1, "default": 1}, "The page, 1-based."),
    query_parameter(
        "per_page", {"type": "integer", "minimum": 1, "maximum": 100, "default": 15}, "Rows a page."
    ),
]
PATH_ID = {"name": "id", "in": "path", "required": True, "schema": ID}
SECURED: list[dict[str, list[str]]] = [{"bearer": []}]
OPTIONAL_AUTH: list[dict[str, list[str]]] = [{}, {"bearer": []}]


def _body(properties: dict[str, Any], required: list[str]) -> dict[str, Any]:
    schema = object_schema(properties, required)
    return {
        "required": True,
        "content": {
            "application/json": {"schema": schema},
            "application/x-www-form-urlencoded": {"schema": schema},
        },
    }


def _includes(*names: str) -> dict[str, Any]:
    return _array_query(
        "with", {"type": "string", "enum": list(names)}, "Related objects to append."
    )


def _resource(
    name: str,
    item: str,
    includes: tuple[str, ...],
    create: dict[str, Any],
    update: dict[str, Any],
    filters: list[dict[str, Any]],
    created: str | None = None,
    secured_reads: bool = False,
) -> dict[str, Any]:
    read_security = SECURED if secured_reads else OPTIONAL_AUTH
    with_param = [_includes(*includes)] if includes else []
    ok = {"200": described_json(ref(item), "OK"), **ERRORS}
    return {
        f"/api/{name}": {
            "get": {
                "operationId": f"list_{name}",
                "security": read_security,
                "parameters": [*with_param, *filters, *PAGING],
                "responses": {"200": described_json(ref(f"{item}Page"), "A page."), **ERRORS},
            },
            "post": {
                "operationId": f"create_{name}",
                "security": SECURED,
                "requestBody": create,
                "responses": {
                    "201": described_json(ref(created or item), "Created."),
                    **WRITE_ERRORS,
                },
            },
        },
        f"/api/{name}/{{id}}": {
            "parameters": [PATH_ID],
            "get": {
                "operationId": f"show_{name}",
                "security": read_security,
                "parameters": with_param,
                "responses": ok,
            },
            "put": {
                "operationId": f"update_{name}",
                "security": SECURED,
                "requestBody": update,
                "responses": {**ok, **WRITE_ERRORS},
            },
            "delete": {
                "operationId": f"delete_{name}",
                "security": SECURED,
                "responses": {"204": {"description": "Deleted."}, **ERRORS},
            },
        },
    }


def _paths() -> dict[str, Any]:
    long_text = text(LONG_TEXT_LENGTH)
    issue_fields = {
        "category_ids": ID_LIST,
        "name": text(ISSUE_NAME_LENGTH),
        "description": long_text,
        "severity": SEVERITY,
    }
    webhook_fields = {
        "url": {**text(URL_LENGTH), "format": "uri"},
        "description": text(DESCRIPTION_LENGTH),
    }
    category_name = text(column_limit(Category, "name"))
    company_name = text(COMPANY_NAME_LENGTH)
    issue_filters = [
        _array_query("company_ids", ID, "Only issues in these companies."),
        _array_query("category_ids", ID, "Only issues in these categories."),
        query_parameter(
            "after", {"type": "string", "format": "date"}, "Created on or after (YYYY-MM-DD)."
        ),
        query_parameter(
            "before", {"type": "string", "format": "date"}, "Created before (YYYY-MM-DD)."
        ),
        query_parameter("severity", SEVERITY, "Only this severity."),
        query_parameter(
            "status", {"type": "string", "enum": ["open", "closed"]}, "Only this status."
        ),
    ]
    paths: dict[str, Any] = {}
    paths |= _resource(
        "issues",
        "Issue",
        ("categories", "categories.company", "events"),
        create=_body(issue_fields, ["category_ids", "name", "description", "severity"]),
        update=_body(issue_fields, ["description"]),
        filters=issue_filters,
        created="CreatedIssue",
    )
    paths |= _resource(
        "categories",
        "Category",
        ("company", "issues"),
        create=_body({"name": category_name, "company_id": ID}, ["name", "company_id"]),
        update=_body({"name": category_name}, ["name"]),
        filters=[_array_query("company_ids", ID, "Only categories of these companies.")],
    )
    paths |= _resource(
        "companies",
        "Company",
        ("categories", "issues"),
        create=_body({"name": company_name}, ["name"]),
        update=_body({"name": company_name}, ["name"]),
        filters=[],
    )
    paths |= _resource(
        "webhooks",
        "Webhook",
        (),
        create=_body(webhook_fields, ["url"]),
        update=_body(webhook_fields, []),
        filters=[],
        created="CreatedWebhook",
        secured_reads=True,
    )
    paths["/api/issues/{id}/close"] = {
        "parameters": [PATH_ID],
        "post": {
            "operationId": "close_issue",
            "security": SECURED,
            "requestBody": _body({"description": long_text}, ["description"]),
            "responses": {"200": described_json(ref("Issue"), "Closed."), **WRITE_ERRORS},
        },
    }
    for resource in ("issues", "categories"):
        paths[f"/api/{resource}/{{id}}/subscriptions"] = _subscribe_operation(resource)
    return paths


def _subscribe_operation(resource: str) -> dict[str, Any]:
    email = {**text(EMAIL_LENGTH), "format": "email"}
    message = object_schema({"message": {"type": "string"}})
    return {
        "parameters": [PATH_ID],
        "post": {
            "operationId": f"subscribe_to_{resource}",
            "security": OPTIONAL_AUTH,
            "description": "Sends one confirmation e-mail when new; the address must confirm.",
            "requestBody": _body({"email": email}, ["email"]),
            "responses": {
                "201": described_json(message, "Created; a confirmation e-mail is on its way."),
                "200": described_json(
                    message, "Already subscribed or waiting to confirm; nothing sent."
                ),
                **WRITE_ERRORS,
            },
        },
    }


@cache
def document() -> dict[str, Any]:
    return {
        "openapi": "3.1.0",
        "info": {"title": "Issue Tracker API (ConnectNow dialect)", "version": "1.0.0"},
        "servers": [{"url": "/"}],
        "components": {
            "schemas": SCHEMAS,
            "securitySchemes": {"bearer": {"type": "http", "scheme": "bearer"}},
        },
        "paths": _paths(),
    }


async def openapi_document(request: web.Request) -> web.Response:
    return json_response(document())
