"""Announcing a change to an issue: a row written in the change's own transaction and, on
PostgreSQL, a NOTIFY that only its commit delivers. A change rolled back is never heard of.
The status pages of the issue's companies hear of it in the same transaction."""

import asyncio
import logging
from datetime import datetime

from tortoise import connections

from ...models import ChangeKind, LiveChange
from ..status import stamps

log = logging.getLogger("issuetracker.live")

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


class _Doorbell:
    """NOTIFY after the commit, for changes written by one statement (which then takes no
    notice queue lock: PostgreSQL lets one transaction that notifies commit at a time). A ring
    while a notice is on its way is answered by one more notice after it: a burst of changes
    wakes the feeds once or twice, not once a change. Were the process to die between the
    commit and the notice, the feeds would still find the change at their next look."""

    def __init__(self) -> None:
        self._wanted = False
        self._sending: asyncio.Task[None] | None = None

    def ring(self) -> None:
        self._wanted = True
        if self._sending is None or self._sending.done():
            self._sending = asyncio.create_task(self._send(), name="live notice")

    async def _send(self) -> None:
        while self._wanted:
            self._wanted = False
            try:
                await connections.get("default").execute_script(f"NOTIFY {CHANNEL}")
            except Exception:  # the database is away: the feeds look again on their own
                log.warning("live notice not sent", exc_info=True)
                return


_doorbell = _Doorbell()


def ring_after_commit() -> None:
    """Called once a change written without a transaction of its own has committed."""
    _doorbell.ring()
