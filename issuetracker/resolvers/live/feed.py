"""One feed per process: it reads the changes committed since it last looked (woken by
PostgreSQL's NOTIFY, or looking every moment on SQLite, where the one process is the only
writer) and hands them, in commit order and each once, to the one consumer that fans them out
(the live hub).

Ids come from a sequence, so on PostgreSQL a change may commit after one with a greater id:
an id the feed has not seen below the greatest it has is a hole, looked for again until it
commits (it is then handed out: after the others, as it committed) or is given up on (a
rolled-back change leaves one for good)."""

import asyncio
import contextlib
import logging
import time
from collections.abc import Awaitable, Callable
from datetime import datetime, timedelta

import asyncpg
from tortoise import connections

from ...models import LiveChange
from .changes import CHANNEL

log = logging.getLogger("issuetracker.live")

BATCH = 500
KEPT = timedelta(hours=1)
"""How long changes stay for a reconnecting subscriber's catch-up."""
PRUNE_SECONDS = 300
STOP_SECONDS = 5.0
HOLE_SECONDS = 30.0
"""How long an id missing below the greatest seen is looked for: longer than any transaction
that writes a change should stay open."""

Consumer = Callable[[list[LiveChange]], Awaitable[None]]


class LiveFeed:
    def __init__(self, clock: Callable[[], datetime], poll_seconds: float) -> None:
        self.clock = clock
        self.poll_seconds = poll_seconds
        self.consumer: Consumer | None = None
        self._last: int | None = None
        self._holes: dict[int, float] = {}
        """Ids not seen below `_last`, with when to give up on each."""
        self._lock = asyncio.Lock()
        self._asked = 0
        self._answered = 0
        """Catch-ups asked for, and those served by a look that began after they were asked:
        subscribers starting together share a look."""
        self._task: asyncio.Task[None] | None = None
        self._stopping = False
        self._woken = asyncio.Event()
        self._notices: asyncpg.Connection | None = None
        self._pruned_at = 0.0

    def attach(self, consumer: Consumer) -> None:
        self.consumer = consumer

    async def catch_up(self) -> None:
        """Hands out every change committed until now. A subscriber registered right after
        hears only what commits later."""
        if self._task is None:
            self._task = asyncio.create_task(self._run(), name="live feed")
        self._asked += 1
        ticket = self._asked
        async with self._lock:
            if self._answered >= ticket:
                return  # a look that began after this was asked has handed everything out
            serving = self._asked
            if self._last is None:
                self._last = await _latest_id()
                await self._listen_for_notices()
            await self._hand_out()
            self._answered = serving

    async def close(self) -> None:
        """Lets the look under way finish (a statement cut off mid-way would be left to its
        database's thread), then stops."""
        if self._task is not None:
            self._stopping = True
            self._woken.set()
            try:
                await asyncio.wait_for(asyncio.shield(self._task), STOP_SECONDS)
            except Exception:  # a last look that failed, or took too long: moot now
                self._task.cancel()
        if self._notices is not None:
            await self._notices.close()

    async def _run(self) -> None:
        while not self._stopping:
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self._woken.wait(), self._wait_seconds())
            self._woken.clear()
            if self._stopping:
                return
            try:
                await self.catch_up()
            except Exception:  # the database is away for a moment: look again later
                log.warning("live changes could not be read", exc_info=True)

    def _wait_seconds(self) -> float:
        """On PostgreSQL a notice wakes the feed; it still looks now and then, in case a notice
        was lost with its connection, or a hole is waited for."""
        if self._notices is None or self._holes:
            return self.poll_seconds
        return self.poll_seconds * 25

    async def _hand_out(self) -> None:
        while True:
            changes = await self._read()
            if changes and self.consumer is not None:
                await self.consumer(changes)
            if len(changes) < BATCH:
                await self._forget_old_changes()
                return

    async def _read(self) -> list[LiveChange]:
        assert self._last is not None
        now = time.monotonic()
        self._holes = {hole: until for hole, until in self._holes.items() if until > now}
        wanted = LiveChange.filter(id__gt=self._last)
        if self._holes:
            wanted = LiveChange.filter(id__in=list(self._holes)) | wanted  # type: ignore[operator]
        changes = list(await wanted.order_by("id").limit(BATCH))
        fresh = [change for change in changes if change.id > self._last]
        for change in changes:
            self._holes.pop(change.id, None)
        if fresh:
            seen = {change.id for change in fresh}
            for missing in range(self._last + 1, fresh[-1].id):
                if missing not in seen:
                    self._holes[missing] = now + HOLE_SECONDS
            self._last = fresh[-1].id
        return changes

    async def _forget_old_changes(self) -> None:
        """Every few minutes; any process may, as all keep the same hour."""
        if time.monotonic() - self._pruned_at > PRUNE_SECONDS:
            self._pruned_at = time.monotonic()
            await LiveChange.filter(created_at__lt=self.clock() - KEPT).delete()

    async def _listen_for_notices(self) -> None:
        client = connections.get("default")
        if client.capabilities.dialect != "postgres" or self._notices is not None:
            return
        settings = {
            name: getattr(client, name) for name in ("host", "port", "user", "password", "database")
        }
        self._notices = await asyncpg.connect(**settings)
        await self._notices.add_listener(CHANNEL, lambda *_: self._woken.set())


async def _latest_id() -> int:
    latest = await LiveChange.all().order_by("-id").first()
    return latest.id if latest else 0
