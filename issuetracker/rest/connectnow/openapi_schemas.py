"""The shapes of the ConnectNow face as JSON Schema (OpenAPI 3.1): its objects as in the
document's samples, and Laravel's paginator envelope around lists."""

from typing import Any

from ..openapi_parts import many, ref

TIMESTAMP = {"type": "string", "format": "date-time", "examples": ["2021-04-26T22:25:35.000000Z"]}
NULLABLE_TIMESTAMP = {"type": ["string", "null"], "format": "date-time"}
SEVERITY = {"type": "string", "enum": ["critical", "important", "info"]}
ID = {"type": "integer", "minimum": 1}
ID_LIST = {"type": "array", "items": ID}


def object_schema(properties: dict[str, Any], required: list[str] | None = None) -> dict[str, Any]:
    return {
        "type": "object",
        "properties": properties,
        "required": list(properties) if required is None else required,
    }


SCHEMAS: dict[str, Any] = {
    "Issue": object_schema(
        {
            "id": ID,
            "name": {"type": "string"},
            "severity": SEVERITY,
            "closed_at": NULLABLE_TIMESTAMP,
            "created_at": TIMESTAMP,
            "updated_at": TIMESTAMP,
            "categories": many("Category"),
            "events": many("Event"),
        },
        required=["id", "name", "severity", "closed_at", "created_at", "updated_at"],
    ),
    "CreatedIssue": object_schema(
        {
            "id": ID,
            "name": {"type": "string"},
            "severity": SEVERITY,
            "created_at": TIMESTAMP,
            "updated_at": TIMESTAMP,
        }
    ),
    "Event": object_schema(
        {
            "id": ID,
            "issue_id": ID,
            "description": {"type": "string"},
            "created_at": TIMESTAMP,
            "updated_at": TIMESTAMP,
        }
    ),
    "Category": object_schema(
        {
            "id": ID,
            "name": {"type": "string"},
            "company_id": ID,
            "created_at": TIMESTAMP,
            "updated_at": TIMESTAMP,
            "company": ref("Company"),
            "issues": many("Issue"),
        },
        required=["id", "name", "company_id", "created_at", "updated_at"],
    ),
    "Company": object_schema(
        {
            "id": ID,
            "name": {"type": "string"},
            "created_at": TIMESTAMP,
            "updated_at": TIMESTAMP,
            "categories": many("Category"),
            "issues": many("Issue"),
        },
        required=["id", "name", "created_at", "updated_at"],
    ),
    "Webhook": object_schema(
        {
            "id": ID,
            "user_id": ID,
            "url": {"type": "string", "format": "uri"},
            "description": {"type": ["string", "null"]},
            "created_at": TIMESTAMP,
            "updated_at": TIMESTAMP,
        }
    ),
    "CreatedWebhook": {
        "allOf": [
            ref("Webhook"),
            object_schema({"secret": {"type": "string", "description": "Shown this once."}}),
        ]
    },
    "Error": object_schema({"message": {"type": "string"}}),
    "ValidationError": object_schema(
        {
            "message": {"type": "string"},
            "errors": {
                "type": "object",
                "additionalProperties": {"type": "array", "items": {"type": "string"}},
            },
        }
    ),
}


def _paginator(item: str) -> dict[str, Any]:
    url = {"type": "string", "format": "uri"}
    nullable_url = {"type": ["string", "null"], "format": "uri"}
    nullable_int = {"type": ["integer", "null"]}
    return object_schema(
        {
            "current_page": {"type": "integer"},
            "data": many(item),
            "first_page_url": url,
            "from": nullable_int,
            "next_page_url": nullable_url,
            "path": url,
            "per_page": {"type": "integer"},
            "prev_page_url": nullable_url,
            "to": nullable_int,
        }
    )


for _item in ("Issue", "Category", "Company", "Webhook"):
    SCHEMAS[f"{_item}Page"] = _paginator(_item)
