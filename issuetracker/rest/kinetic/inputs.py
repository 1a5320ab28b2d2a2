"""Reading Kinetic requests: guids in paths, the create body, and the PUT body, which may be a
whole issue object as a GET answered it.

A PUT names changes by difference: a field sent back as the caller was shown it is no change, so
a client may send back the object it fetched with one field edited. Fields that are not
editable are ignored; editable ones of the wrong type are refused (422).
"""

import uuid
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from aiohttp import web

from ...resolvers.collaboration import ActionItemChanges, IssueParts, PartEdit
from ...resolvers.errors import NotFound, ValidationFailed
from ...resolvers.issue_inputs import IssueChanges, IssueDraft
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
    return ValidationFailed.single(field, message, "INVALID")


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


@dataclass(frozen=True, slots=True)
class Edit:
    changes: IssueChanges
    parts: IssueParts


def edit_of(body: dict[str, Any], shown: dict[str, Any]) -> Edit:
    """The changes a PUT body asks for, against the issue as the caller was shown it."""
    status = _status(body, shown)
    owner_id = _id_field(body, "owner_id")
    changes = IssueChanges(
        name=_changed_text(body, shown, "name"),
        description=_changed_text(body, shown, "description"),
        tags=_tags(body),
        owner_id=None if owner_id == shown["owner_id"] else owner_id,
        external_reference_id=_changed_text(body, shown, "external_reference_id"),
        webhook_url=_changed_text(body, shown, "webhook_url"),
        closing=status == "Closed",
        deleting=status == "Deleted",
        conclusion=text_field(body, "conclusion"),
    )
    parts = IssueParts(
        invite=_invitations(body),
        action_items=_part_edits(body, shown, "action_items", ACTION_ITEM_FIELDS, _item_changes),
        facts=_part_edits(body, shown, "facts", FACT_FIELDS, _fact_changes),
    )
    return Edit(changes, parts)


def _changed_text(body: dict[str, Any], shown: dict[str, Any], field: str) -> str | None:
    value = text_field(body, field)
    if value is None or value.strip() == (shown[field] or "").strip():
        return None
    return value


def _status(body: dict[str, Any], shown: dict[str, Any]) -> str | None:
    """A status of "Open" asks for nothing; "Closed" closes (with `conclusion`), "Deleted"
    deletes."""
    status = body.get("status")
    if status is None or status == shown["status"]:
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


def _part_edits(
    body: dict[str, Any],
    shown: dict[str, Any],
    field: str,
    editable: tuple[str, ...],
    changes_of: Callable[[dict[str, Any]], ActionItemChanges],
) -> list[PartEdit]:
    """Entries without an id are added; with an id, the fields that differ from what was shown
    are changed (an unknown id is refused by the resolver)."""
    current = {row["id"]: row for row in shown[field]}
    edits = []
    for entry in _list_field(body, field) or []:
        if not isinstance(entry, dict):
            raise _invalid(field, f"The {field} must be objects.")
        part_id = _id_field(entry, "id")
        sent = {key: entry[key] for key in editable if key in entry}
        if part_id in current:
            sent = {key: value for key, value in sent.items() if value != current[part_id][key]}
            if not sent:
                continue
        edits.append(PartEdit(part_id, changes_of(sent)))
    return edits


def _item_changes(sent: dict[str, Any]) -> ActionItemChanges:
    done = sent.get("done")
    if done is not None and not isinstance(done, bool):
        raise _invalid("done", "The done field must be true or false.")
    return ActionItemChanges(
        description=text_field(sent, "description"),
        done=done,
        assignee_id=_id_field(sent, "assignee_id"),
        clear_assignee="assignee_id" in sent and sent["assignee_id"] is None,
        due_on=_due_date(sent.get("due_date")),
        clear_due_on="due_date" in sent and not sent["due_date"],
    )


def _fact_changes(sent: dict[str, Any]) -> ActionItemChanges:
    return ActionItemChanges(description=text_field(sent, "description"))


def _due_date(value: Any) -> date | None:
    if value is None or value == "":
        return None
    try:
        return datetime.strptime(value, "%Y-%m-%d").date()
    except (TypeError, ValueError):
        raise _invalid("due_date", "The due_date does not match the format Y-m-d.") from None
