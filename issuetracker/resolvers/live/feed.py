"""One feed per process: it reads the changes committed since it last looked (woken by
PostgreSQL's NOTIFY, or looking every moment on SQLite, where the one process is the only
writer) and hands each to the listeners that want it. A listener that falls too far behind
is dropped rather than left to grow."""

import asyncio
import contextlib
import logging
import time
from collections import deque
from collections.abc import Awaitable, Callable, Hashable
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any, TypeVar, cast

import asyncpg
from tortoise import connections

from ...models import LiveChange
from .changes import CHANNEL

log = logging.getLogger("issuetracker.live")

T = TypeVar("T")
BATCH = 500
KEPT = timedelta(hours=1)
"""How long changes stay for a reconnecting subscriber's catch-up."""
PRUNE_SECONDS = 300


@dataclass
class Heard:
    """A change as every listener of the process hears it: the same object for all, so a
    check that many subscribers share (the same viewer, the same event) runs once."""

    change: LiveChange
    checks: dict[Hashable, "asyncio.Future[Any]"] = field(default_factory=dict)

    def once(self, key: Hashable, check: Callable[..., Awaitable[T]], *args: Any) -> Awaitable[T]:
        if key not in self.checks:
            self.checks[key] = asyncio.ensure_future(check(*args))
        return cast("asyncio.Future[T]", self.checks[key])


class TooSlow(Exception):
    """The listener did not take its changes in time; some were dropped."""


class Listener:
    """The changes one subscription has yet to take, at most `most` of them."""

    def __init__(self, issue_id: int | None, most: int) -> None:
        self.issue_id = issue_id
        self.most = most
        self.pending: deque[Heard] = deque()
        self.ready = asyncio.Event()
        self.overflowed = False

    def offer(self, change: Heard) -> None:
        if self.issue_id is not None and change.change.issue_id != self.issue_id:
            return
        if len(self.pending) >= self.most:
            self.overflowed = True
        else:
            self.pending.append(change)
        self.ready.set()

    async def next(self, patience: float) -> Heard | None:
        """The next change; None when none came within `patience` seconds."""
        if not self.pending and not self.overflowed:
            self.ready.clear()
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self.ready.wait(), patience)
        if self.overflowed:
            raise TooSlow()
        return self.pending.popleft() if self.pending else None


class LiveFeed:
    def __init__(self, clock: Callable[[], datetime], poll_seconds: float, queue_size: int) -> None:
        self.clock = clock
        self.poll_seconds = poll_seconds
        self.queue_size = queue_size
        self.listeners: set[Listener] = set()
        self._task: asyncio.Task[None] | None = None
        self._started = asyncio.Event()
        self._woken = asyncio.Event()
        self._notices: asyncpg.Connection | None = None
        self._pruned_at = 0.0

    async def listen(self, issue_id: int | None = None) -> Listener:
        """A listener for the changes committed from now on (to one issue, or to any)."""
        if self._task is None:
            self._task = asyncio.create_task(self._run(), name="live feed")
        await self._started.wait()
        listener = Listener(issue_id, self.queue_size)
        self.listeners.add(listener)
        return listener

    def forget(self, listener: Listener) -> None:
        self.listeners.discard(listener)

    async def close(self) -> None:
        if self._task is not None:
            self._task.cancel()
            # At a stop the feed's last look may fail too (its database closing): moot now.
            with contextlib.suppress(asyncio.CancelledError, Exception):
                await self._task
        if self._notices is not None:
            await self._notices.close()

    async def _run(self) -> None:
        last = await _latest_id()
        await self._listen_for_notices()
        self._started.set()
        while True:
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self._woken.wait(), self._wait_seconds())
            self._woken.clear()
            try:
                last = await self._hand_out(last)
            except Exception:  # the database is away for a moment: look again later
                log.warning("live changes could not be read", exc_info=True)

    def _wait_seconds(self) -> float:
        """On PostgreSQL a notice wakes the feed; it still looks now and then, in case a notice
        was lost with its connection."""
        return self.poll_seconds * 25 if self._notices is not None else self.poll_seconds

    async def _hand_out(self, last: int) -> int:
        while True:
            changes = await LiveChange.filter(id__gt=last).order_by("id").limit(BATCH)
            for change in changes:
                heard = Heard(change)
                for listener in list(self.listeners):
                    listener.offer(heard)
                last = change.id
            if len(changes) < BATCH:
                await self._forget_old_changes()
                return last

    async def _forget_old_changes(self) -> None:
        """Every few minutes; any process may, as all keep the same hour."""
        if time.monotonic() - self._pruned_at > PRUNE_SECONDS:
            self._pruned_at = time.monotonic()
            await LiveChange.filter(created_at__lt=self.clock() - KEPT).delete()

    async def _listen_for_notices(self) -> None:
        client = connections.get("default")
        if client.capabilities.dialect != "postgres":
            return
        settings = {
            name: getattr(client, name) for name in ("host", "port", "user", "password", "database")
        }
        self._notices = await asyncpg.connect(**settings)
        await self._notices.add_listener(CHANNEL, lambda *_: self._woken.set())


async def _latest_id() -> int:
    latest = await LiveChange.all().order_by("-id").first()
    return latest.id if latest else 0
