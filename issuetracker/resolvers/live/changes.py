"""Announcing a change to an issue: a row written in the change's own transaction and, on
PostgreSQL, a NOTIFY that only its commit delivers. A change rolled back is never heard of.
The status pages of the issue's companies hear of it in the same transaction."""

from datetime import datetime

from tortoise import connections

from ...models import ChangeKind, LiveChange
from ..status import stamps

CHANNEL = "live_changes"
"""The PostgreSQL channel every server process listens on; a notice carries nothing, the rows
say what changed."""


async def announce(now: datetime, issue_id: int, kind: ChangeKind, event_id: int | None) -> None:
    """Inside the change's transaction, once the issue's categories are as it leaves them."""
    await stamps.issue_changed(now, issue_id)
    await LiveChange.create(issue_id=issue_id, kind=kind, event_id=event_id, created_at=now)
    client = connections.get("default")
    if client.capabilities.dialect == "postgres":
        await client.execute_script(f"NOTIFY {CHANNEL}")
