"""What a write leaves in the database, for comparing two ways of making it: the rows it added
(timeline, live changes, outbox) and the counters it bumped, with what differs by nature
(ids, keys, wall-clock times) taken out."""

from typing import Any

from issuetracker.models import (
    Company,
    Issue,
    IssueEvent,
    LiveChange,
    OutboxMessage,
)
from issuetracker.resolvers.core.ids import is_row_id

Marks = dict[str, int]
VARYING = {"id", "idempotency_key", "created_at", "updated_at", "lease_until", "event_id"}


async def marks() -> Marks:
    """The highest ids so far, so `added_since` sees only what came after."""

    async def top(model: Any) -> int:
        row = await model.all().order_by("-id").first()
        return row.id if row else 0

    return {
        "issues": await top(Issue),
        "events": await top(IssueEvent),
        "live": await top(LiveChange),
        "outbox": await top(OutboxMessage),
    }


def _plain(row: dict[str, Any], event_ids: dict[int, int], new_issue: int) -> dict[str, Any]:
    """Ids of new issues are numbered as they come (two ways of creating one make two)."""
    kept = {key: value for key, value in row.items() if key not in VARYING}
    if "event_id" in row:
        kept["event"] = event_ids.get(row["event_id"], row["event_id"])
    if (kept.get("issue_id") or 0) > new_issue:
        kept["issue_id"] = "<new issue>"
    payload = kept.get("payload")
    if isinstance(payload, dict):
        kept["payload"] = _without_ids(payload, new_issue)
    return kept


def _without_ids(payload: dict[str, Any], new_issue: int) -> dict[str, Any]:
    copied = dict(payload)
    if isinstance(copied.get("data"), dict):
        copied["data"] = _without_ids(copied["data"], new_issue)
    if isinstance(copied.get("event"), dict):
        copied["event"] = {**copied["event"], "id": "<event>"}
    issue = copied.get("issue")
    if isinstance(issue, dict) and issue["id"] > new_issue:
        copied["issue"] = {**issue, "id": "<new>", "guid": "<new>", "created_at": "<new>"}
    return copied


async def added_since(before: Marks) -> dict[str, Any]:
    events = await IssueEvent.filter(id__gt=before["events"]).order_by("id").values()
    numbered = {row["id"]: number for number, row in enumerate(events)}
    new = before["issues"]
    live = await LiveChange.filter(id__gt=before["live"]).order_by("id").values()
    outbox = await OutboxMessage.filter(id__gt=before["outbox"]).values()
    return {
        "events": [_plain(row, numbered, new) for row in events],
        "live": [_plain(row, numbered, new) for row in live],
        "outbox": sorted(
            (_plain(row, numbered, new) for row in outbox),
            key=lambda row: (row["kind"], row["destination"], repr(row["payload"])),
        ),
    }


async def counters(issue_id: int) -> dict[str, Any]:
    """What a change to the issue bumps: its companies' status versions, its own times."""
    found = await Issue.filter(id=issue_id).values() if is_row_id(issue_id) else []
    return {
        "versions": await Company.all().order_by("id").values_list("status_version", flat=True),
        "issue": {key: value for row in found for key, value in row.items() if key not in VARYING},
    }
