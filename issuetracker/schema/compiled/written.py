"""The payload of a hot mutation answered from the written row itself, when the document asks
only for the row's own columns: no statement reads it back. Each column is shown as the
compiled SQL shows it (`fields.py`, the dialects' JSON), from the values the write returned
(the model the executor would show, or a lighter row with the same attributes)."""

import json
from collections.abc import Callable
from datetime import UTC, datetime
from enum import Enum
from typing import Any

from ...sqljson.dialects import json_key
from ..relay import to_global_id
from .selections import TYPENAME, Selection

Shown = Callable[[Any], str]
"""The written row's field as JSON text."""


def _text(name: str) -> Shown:
    return lambda row: _json_text(getattr(row, name))


def _json_text(value: str | None) -> str:
    return "null" if value is None else json.dumps(value, ensure_ascii=False)


def _moment(name: str) -> Shown:
    """As `Dialect.datetime`: ISO 8601 in UTC, without a fraction when it is zero."""

    def shown(row: Any) -> str:
        value: datetime | None = getattr(row, name)
        return "null" if value is None else f'"{value.astimezone(UTC).isoformat()}"'

    return shown


def _enum(name: str) -> Shown:
    def shown(row: Any) -> str:
        value = getattr(row, name)
        return f'"{(value.value if isinstance(value, Enum) else value).upper()}"'

    return shown


def _global_id(type_name: str) -> Shown:
    return lambda row: f'"{to_global_id(type_name, row.id)}"'


def _own(type_name: str) -> dict[str, Shown]:
    return {"id": _global_id(type_name), "databaseId": lambda row: str(row.id)}


OWN: dict[str, dict[str, Shown]] = {
    "IssueEvent": {
        **_own("IssueEvent"),
        "kind": _enum("kind"),
        "description": _text("description"),
        "createdAt": _moment("created_at"),
    },
    "Issue": {
        **_own("Issue"),
        "guid": lambda row: f'"{row.guid}"',
        "name": _text("name"),
        "description": _text("description"),
        "severity": _enum("severity"),
        "status": _enum("status"),
        "conclusion": _text("conclusion"),
        "closedAt": _moment("closed_at"),
        "deletedAt": _moment("deleted_at"),
        "createdAt": _moment("created_at"),
        "updatedAt": _moment("updated_at"),
    },
}
"""The fields shown from the written row, by type (the others need a read)."""


def own_fields(type_name: str, selections: list[Selection]) -> Shown | None:
    """The written object's JSON from the row, or None when a field needs a read."""
    fields = OWN.get(type_name, {})
    parts: list[tuple[str, Shown | str]] = []
    for selection in selections:
        if selection.name == TYPENAME:
            parts.append((selection.key, json_key(type_name)))
        elif selection.name in fields and not selection.uses_fragment_variables:
            parts.append((selection.key, fields[selection.name]))
        else:
            return None
    return joined(parts)


def joined(parts: list[tuple[str, Shown | str]]) -> Shown:
    """`{"key":value,...}` with the constants written once."""
    if not parts:
        return lambda row: "{}"
    openings = [("{" if n == 0 else ",") + json_key(key) + ":" for n, (key, _) in enumerate(parts)]
    values = [value for _, value in parts]

    def shown(row: Any) -> str:
        return (
            "".join(
                opening + (value if isinstance(value, str) else value(row))
                for opening, value in zip(openings, values, strict=True)
            )
            + "}"
        )

    return shown
