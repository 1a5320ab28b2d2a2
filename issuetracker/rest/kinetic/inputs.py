"""Reading Kinetic requests: guids in paths, the create body, and the PUT body, which may be a
whole issue object as a GET answered it.

A PUT may send back the object the client fetched with one field edited: the logic counts as a
change only what differs from what the caller is shown. Fields that are not editable are
ignored; editable ones of the wrong type are refused (422).
"""

import uuid
from collections.abc import Callable
from datetime import date, datetime
from typing import Any

from aiohttp import web

from ...resolvers.core.errors import ErrorCode, NotFound, ValidationFailed
from ...resolvers.issues.inputs import IssueChanges, IssueDraft
from ...resolvers.issues.parts import PartChanges
from ...resolvers.issues.whole_issue import SentPart, WholeIssueEdit
from ..request import require, text_field
from .formats import STATUSES

ACTION_ITEM_FIELDS = ("description", "done", "assignee_id", "due_date")
FACT_FIELDS = ("description",)


def path_guid(request: web.Request, name: str = "guid") -> uuid.UUID:
    """Guids in paths are UUIDs; anything else cannot name a row."""
    try:
        return uuid.UUID(request.match_info[name])
    except ValueError:
        raise NotFound() from None


def _invalid(field: str, message: str) -> ValidationFailed:
    return ValidationFailed.single(field, message, ErrorCode.INVALID)


def _id_field(body: dict[str, Any], field: str) -> int | None:
    """An integer id, also as digits in a string (the sample sends `"id": "388"`)."""
    value = body.get(field)
    if value is None:
        return None
    if isinstance(value, int) and not isinstance(value, bool):
        return value
    digits = value.strip() if isinstance(value, str) else ""
    if digits.isascii() and digits.isdigit() and len(digits) <= 18:
        return int(digits)
    raise _invalid(field, f"The {field} must be an integer.")


def _list_field(body: dict[str, Any], field: str) -> list[Any] | None:
    value = body.get(field)
    if value is None or isinstance(value, list):
        return value
    raise _invalid(field, f"The {field} must be an array.")


def _tags(body: dict[str, Any]) -> list[str] | None:
    """An array of strings, or one string of comma-separated tags."""
    value = body.get("tag_list")
    if isinstance(value, str):
        value = value.split(",")
    tags = _list_field({"tag_list": value}, "tag_list")
    if tags is not None and not all(isinstance(tag, str) for tag in tags):
        raise _invalid("tag_list", "The tag_list must contain strings.")
    return tags


def draft_of(body: dict[str, Any]) -> IssueDraft:
    require(body, "name")
    return IssueDraft(
        name=text_field(body, "name"),
        description=text_field(body, "description"),
        owner_id=_id_field(body, "owner_id"),
        tags=_tags(body),
        external_reference_id=text_field(body, "external_reference_id"),
        webhook_url=text_field(body, "webhook_url"),
    )


def whole_edit_of(body: dict[str, Any]) -> WholeIssueEdit:
    """What a PUT body sends; the logic counts only what differs from what the caller is
    shown."""
    status = _status(body)
    owner_id = _id_field(body, "owner_id")
    fields = IssueChanges(
        name=text_field(body, "name"),
        description=text_field(body, "description"),
        tags=_tags(body),
        owner_id=owner_id,
        external_reference_id=text_field(body, "external_reference_id"),
        webhook_url=text_field(body, "webhook_url"),
        closing=status == "Closed",
        deleting=status == "Deleted",
        conclusion=text_field(body, "conclusion"),
    )
    return WholeIssueEdit(
        fields=fields,
        invitations=_invitations(body),
        action_items=_sent_parts(body, "action_items", ACTION_ITEM_FIELDS, _item_changes),
        facts=_sent_parts(body, "facts", FACT_FIELDS, _fact_changes),
    )


def _status(body: dict[str, Any]) -> str | None:
    """ "Open" asks for nothing; "Closed" closes (with `conclusion`), "Deleted" deletes."""
    status = body.get("status")
    if status is None:
        return None
    if status not in STATUSES:
        raise _invalid("status", f"The status must be one of: {', '.join(STATUSES)}.")
    return None if status == "Open" else status


def _invitations(body: dict[str, Any]) -> list[str | None]:
    """Addresses as strings, or as objects with an `email` (as a GET shows invitations)."""
    entries = _list_field(body, "invitations") or []
    addresses = [entry.get("email") if isinstance(entry, dict) else entry for entry in entries]
    if not all(isinstance(address, str) for address in addresses):
        message = "The invitations must be e-mail addresses or objects with an email."
        raise _invalid("invitations", message)
    return list(addresses)


def _sent_parts(
    body: dict[str, Any],
    field: str,
    editable: tuple[str, ...],
    changes_of: Callable[[dict[str, Any]], PartChanges],
) -> list[SentPart]:
    """Entries without an id are added; with an id, the editable fields sent are changed."""
    parts = []
    for entry in _list_field(body, field) or []:
        if not isinstance(entry, dict):
            raise _invalid(field, f"The {field} must be objects.")
        sent = {key: entry[key] for key in editable if key in entry}
        parts.append(SentPart(_id_field(entry, "id"), changes_of(sent)))
    return parts


def _item_changes(sent: dict[str, Any]) -> PartChanges:
    done = sent.get("done")
    if done is not None and not isinstance(done, bool):
        raise _invalid("done", "The done field must be true or false.")
    return PartChanges(
        description=text_field(sent, "description"),
        done=done,
        assignee_id=_id_field(sent, "assignee_id"),
        clear_assignee="assignee_id" in sent and sent["assignee_id"] is None,
        due_on=_due_date(sent.get("due_date")),
        clear_due_on="due_date" in sent and not sent["due_date"],
    )


def _fact_changes(sent: dict[str, Any]) -> PartChanges:
    return PartChanges(description=text_field(sent, "description"))


def _due_date(value: Any) -> date | None:
    if value is None or value == "":
        return None
    try:
        return datetime.strptime(value, "%Y-%m-%d").date()
    except (TypeError, ValueError):
        raise _invalid("due_date", "The due_date does not match the format Y-m-d.") from None
