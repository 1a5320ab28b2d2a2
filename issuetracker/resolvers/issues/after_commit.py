"""What follows a one-statement write's commit: the status stamps of its companies and the
NOTIFY that wakes the live feeds, for all the writes of a burst in one statement.

Both were written inside each write's transaction, where they made writes wait on each other:
a company's row stays locked until its bump commits, and PostgreSQL lets one transaction that
notifies commit at a time. Done after the commits, a burst of writes shares one bump of each
company and one notice. A request answers once its write's bump is made, so a status page read
after the answer is never stale; one read between the commit and the bump shows the change
under the old stamp, and the bump then tells every copy to renew. (Were the process to die in
between, the pages would renew at their next change, and the live feeds find the change at
their next look.)

Writes sent in batches (`sqljson.batched`) do the same once per batch, in its own transaction
(`one_statement.batch_closing`): its companies are locked only from its last statement to its
commit, and the batch's round trip carries them."""

import asyncio
import logging
import weakref
from datetime import datetime

from ...sqljson.statements import fetch_row
from ..live.changes import CHANNEL

log = logging.getLogger("issuetracker.writes")

SETTLE_SQL = (
    "WITH b AS (UPDATE companies SET status_version = status_version + 1,"
    " status_changed_at = $1 WHERE id IN (SELECT id FROM companies"
    " WHERE id = ANY($2::int[]) ORDER BY id FOR UPDATE) RETURNING id)"
    f" SELECT pg_notify('{CHANNEL}', ''), (SELECT count(*) FROM b)"
)


class _Batch:
    def __init__(self) -> None:
        self.companies: set[int] = set()
        self.now: datetime | None = None
        self.done: asyncio.Future[None] = asyncio.get_running_loop().create_future()

    def add(self, now: datetime, companies: list[int]) -> None:
        self.companies.update(companies)
        self.now = now if self.now is None else max(self.now, now)


class _Settler:
    def __init__(self) -> None:
        self._open: _Batch | None = None
        self._running = False
        self._task: asyncio.Task[None] | None = None

    async def settle(self, now: datetime, companies: list[int]) -> None:
        if self._open is None:
            self._open = _Batch()
        batch = self._open
        batch.add(now, companies)
        if not self._running:
            self._running = True
            self._task = asyncio.create_task(self._drain(), name="settle writes")
        await asyncio.shield(batch.done)

    async def _drain(self) -> None:
        try:
            while self._open is not None:
                batch, self._open = self._open, None
                try:
                    await fetch_row(SETTLE_SQL, [batch.now, sorted(batch.companies)])
                except Exception:  # the writes stand; their pages renew at the next change
                    log.warning("status stamps and live notice not written", exc_info=True)
                batch.done.set_result(None)
        finally:
            self._running = False


_settlers: "weakref.WeakKeyDictionary[asyncio.AbstractEventLoop, _Settler]" = (
    weakref.WeakKeyDictionary()
)


async def settle(now: datetime, companies: list[int] | None) -> None:
    """Called once a one-statement write committed, with its issue's companies."""
    settler = _settlers.setdefault(asyncio.get_running_loop(), _Settler())
    await settler.settle(now, companies or [])
