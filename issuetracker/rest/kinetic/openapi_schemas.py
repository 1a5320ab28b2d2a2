"""The shapes of the Kinetic face as JSON Schema (OpenAPI 3.1): its objects, exactly as the
document's samples, and the bodies it accepts."""

from typing import Any

from ...models import PART_TIMES
from ...resolvers.core.pagination import MAX_PAGE_SIZE
from ...resolvers.core.validation import EMAIL_LENGTH, LONG_TEXT_LENGTH
from ...resolvers.issues.inputs import EXTERNAL_REFERENCE_LENGTH, NAME_LENGTH, TAG_LENGTH
from ...resolvers.issues.writes import WEBHOOK_URL_LENGTH
from ..openapi_parts import many, ref, text
from .formats import STATUSES

TIMESTAMP_PATTERN = r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}(Z|[+-]\d\d:\d\d)$"
TIMESTAMP = {
    "type": "string",
    "format": "date-time",
    "pattern": TIMESTAMP_PATTERN,
    "description": "Milliseconds, in the issue owner's time zone (`Z` for UTC).",
    "examples": ["2015-04-01T11:25:39.017-05:00"],
}
NULLABLE_TIMESTAMP = {**TIMESTAMP, "type": ["string", "null"]}
ID = {"type": "integer", "minimum": 1}
NULLABLE_ID = {"type": ["integer", "null"], "minimum": 1}
GUID = {"type": "string", "format": "uuid"}
TEXT = {"type": "string"}
NULLABLE_TEXT = {"type": ["string", "null"]}
DAY = {"type": ["string", "null"], "format": "date", "examples": ["2015-04-30"]}
LONG_TEXT = text(LONG_TEXT_LENGTH)
NAME = text(NAME_LENGTH)
REFERENCE = text(EXTERNAL_REFERENCE_LENGTH)
WEBHOOK_URL = text(WEBHOOK_URL_LENGTH)


def _closed(properties: dict[str, Any]) -> dict[str, Any]:
    """Every key present, and no other: the sample's shape exactly."""
    return {
        "type": "object",
        "properties": properties,
        "required": list(properties),
        "additionalProperties": False,
    }


SCHEMAS: dict[str, Any] = {
    "Issue": _closed(
        {
            "id": ID,
            "name": TEXT,
            "description": NULLABLE_TEXT,
            "created_at": TIMESTAMP,
            "updated_at": TIMESTAMP,
            "conference_number": NULLABLE_TEXT,
            "hash_key": NULLABLE_TEXT,
            "owner_id": NULLABLE_ID,
            "deleted_at": NULLABLE_TIMESTAMP,
            "status": {"type": "string", "enum": list(STATUSES)},
            "external_reference_id": NULLABLE_TEXT,
            **dict.fromkeys(PART_TIMES, TIMESTAMP),
            "guid": GUID,
            "conclusion": NULLABLE_TEXT,
            "webhook_url": {
                "type": "string",
                "description": "Empty when unset, and to those not taking part in the issue.",
            },
            "webhook_secret": {
                "type": ["string", "null"],
                "pattern": "^whsec_[A-Za-z0-9+/]+={0,2}$",
                "description": "Signs the deliveries to `webhook_url` as Standard Webhooks do "
                "(`webhook-signature`: `v1,` and the base64 HMAC-SHA256 of "
                "`webhook-id.webhook-timestamp.body`, keyed with the base64 after `whsec_`). "
                "Shown to those taking part in the issue; null to others. Not editable.",
            },
            "participants": {**many("User"), "description": "The owner is always one."},
            "invitations": {
                **many("Invitation"),
                "description": "Shown only to those taking part in the issue.",
            },
            "tag_list": {"type": "array", "items": TEXT},
            "action_items": many("ActionItem"),
            "facts": many("Fact"),
            "uploads": many("Upload"),
            "owner": {"oneOf": [ref("User"), {"type": "null"}]},
        }
    ),
    "User": _closed(
        {
            "id": ID,
            "email": {
                "type": ["string", "null"],
                "format": "email",
                "description": "Shown to the user and to those taking part in the issue.",
            },
            "name": TEXT,
            "created_at": TIMESTAMP,
            "updated_at": TIMESTAMP,
            "status": {"type": "string", "enum": ["Active", "Disabled"]},
            "deleted_at": NULLABLE_TIMESTAMP,
            "guid": GUID,
            "time_zone": {
                "type": "string",
                "description": "The Rails name of the zone (such as `Central Time (US & Canada)`),"
                " or its IANA name when Rails has none.",
            },
            "company": NULLABLE_TEXT,
            "phone": NULLABLE_TEXT,
            "title": NULLABLE_TEXT,
            "avatar_file_name": NULLABLE_TEXT,
            "avatar_content_type": NULLABLE_TEXT,
            "avatar_file_size": {"type": ["integer", "null"]},
            "avatar_updated_at": NULLABLE_TIMESTAMP,
            "avatar_url": NULLABLE_TEXT,
        }
    ),
    "Invitation": _closed(
        {
            "id": ID,
            "email": {"type": "string", "format": "email"},
            "invited_by_id": NULLABLE_ID,
            "accepted_at": NULLABLE_TIMESTAMP,
            "created_at": TIMESTAMP,
            "updated_at": TIMESTAMP,
        }
    ),
    "ActionItem": _closed(
        {
            "id": ID,
            "issue_id": ID,
            "description": TEXT,
            "done": {"type": "boolean"},
            "assignee_id": NULLABLE_ID,
            "due_date": DAY,
            "created_at": TIMESTAMP,
            "updated_at": TIMESTAMP,
        }
    ),
    "Fact": _closed(
        {
            "id": ID,
            "issue_id": ID,
            "description": TEXT,
            "user_id": NULLABLE_ID,
            "created_at": TIMESTAMP,
            "updated_at": TIMESTAMP,
        }
    ),
    "Upload": _closed(
        {
            "id": ID,
            "issue_id": ID,
            "user_id": NULLABLE_ID,
            "file_file_name": TEXT,
            "file_content_type": TEXT,
            "file_file_size": {"type": "integer", "minimum": 0},
            "file_updated_at": TIMESTAMP,
            "created_at": TIMESTAMP,
            "updated_at": TIMESTAMP,
            "url": {"type": "string", "description": "GET it with the same bearer token."},
        }
    ),
    "IssuePage": _closed(
        {
            "count": {"type": "integer", "minimum": 0},
            "limit": {"type": "integer", "minimum": 1, "maximum": MAX_PAGE_SIZE},
            "offset": {"type": "integer", "minimum": 0},
            "issues": many("Issue"),
        }
    ),
    "Tags": {"type": "array", "items": TEXT},
    "Error": _closed({"success": {"const": False}, "message": TEXT}),
}

EDITABLE_PART = {
    "ActionItemEdit": {
        "type": "object",
        "description": "Without an id it is added; with one, the fields sent are changed.",
        "properties": {
            "id": ID,
            "description": LONG_TEXT,
            "done": {"type": "boolean"},
            "assignee_id": {**NULLABLE_ID, "description": "Someone taking part in the issue."},
            "due_date": DAY,
        },
    },
    "FactEdit": {
        "type": "object",
        "description": "Without an id it is added; with one, its description is changed.",
        "properties": {"id": ID, "description": LONG_TEXT},
    },
}
SCHEMAS |= EDITABLE_PART

TAGS = {
    "oneOf": [{"type": "array", "items": text(TAG_LENGTH)}, {"type": "string"}],
    "description": f"An array, or one comma-separated string; each tag at most {TAG_LENGTH} "
    "characters, kept in lower case.",
}
CREATE_BODY = {
    "type": "object",
    "required": ["name"],
    "properties": {
        "name": NAME,
        "description": LONG_TEXT,
        "owner_id": {
            **ID,
            "description": "An active user who shares a company or an issue with the caller; "
            "defaults to the caller, who takes part either way.",
        },
        "tag_list": TAGS,
        "external_reference_id": REFERENCE,
        "webhook_url": {**WEBHOOK_URL, "format": "uri"},
    },
}
EDIT_BODY = {
    "type": "object",
    "description": (
        "A whole issue object as fetched, or only the fields to change. Fields that are not "
        "editable are ignored, and so are fields sent back as they were shown."
    ),
    "properties": {
        "name": NAME,
        "description": LONG_TEXT,
        "status": {
            "type": "string",
            "enum": list(STATUSES),
            "description": '"Closed" closes (with `conclusion`); "Deleted" deletes.',
        },
        "conclusion": LONG_TEXT,
        "owner_id": {
            **ID,
            "description": "An active user who shares a company or an issue with the caller.",
        },
        "external_reference_id": {**REFERENCE, "type": ["string", "null"]},
        "webhook_url": {
            **WEBHOOK_URL,
            "type": ["string", "null"],
            "description": "Empty removes it.",
        },
        "tag_list": TAGS,
        "invitations": {
            "type": "array",
            "description": "New addresses are invited by e-mail.",
            "items": {
                "oneOf": [
                    {**text(EMAIL_LENGTH), "format": "email"},
                    {
                        "type": "object",
                        "required": ["email"],
                        "properties": {"email": text(EMAIL_LENGTH)},
                    },
                ]
            },
        },
        "action_items": many("ActionItemEdit"),
        "facts": many("FactEdit"),
    },
}
