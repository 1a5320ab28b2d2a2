"""What the dispatcher keeps track of while it runs: the deliveries under way (at most so many,
and at most a quarter of them to one receiver: the SMTP server, or a webhook host whatever the
paths of its URLs), and an outage of the database (said once when it
starts, once when it ends, with longer and longer waits in between)."""

import asyncio
import logging
import random
import time
from collections import Counter
from collections.abc import Coroutine, Iterable
from dataclasses import dataclass
from typing import Any

from ..logs import describe_failure
from ..models import MessageKind, OutboxMessage

EMAIL_RECEIVER = "@smtp"
"""Every e-mail goes through the one SMTP server: one receiver (named as no host can be)."""
LONGEST_OUTAGE_WAIT = 30.0
STOP_GRACE = 10.0
"""How long a stopping dispatcher waits for deliveries under way before it cancels them (their
leases run out and they are sent again)."""


def receiver_of(message: OutboxMessage) -> str:
    return EMAIL_RECEIVER if message.kind is MessageKind.EMAIL else message.destination_host


@dataclass(frozen=True)
class Places:
    """How many deliveries each receiver may still have under way."""

    per_receiver: int
    under_way: Counter[str]

    @classmethod
    def unlimited(cls, most: int) -> "Places":
        return cls(most, Counter())

    def full(self) -> set[str]:
        """The receivers with all the deliveries under way they may have."""
        return {name for name, count in self.under_way.items() if count >= self.per_receiver}

    def candidates(self, most: int) -> int:
        """How many due messages to look at to find `most` that fit (a receiver's messages
        beyond its places are passed over)."""
        return most if self.per_receiver >= most else most * 4

    def pick(self, due: Iterable[OutboxMessage], most: int) -> list[OutboxMessage]:
        taken = Counter(self.under_way)
        picked: list[OutboxMessage] = []
        for message in due:
            receiver = receiver_of(message)
            if taken[receiver] < self.per_receiver and len(picked) < most:
                taken[receiver] += 1
                picked.append(message)
        return picked


class Deliveries:
    """The deliveries under way, each a task of its own."""

    def __init__(self, most: int) -> None:
        self.most = most
        self.per_receiver = max(1, most // 4)
        self._receivers: dict[asyncio.Task[None], str] = {}

    @property
    def room(self) -> int:
        return max(0, self.most - len(self._receivers))

    def places(self) -> Places:
        return Places(self.per_receiver, Counter(self._receivers.values()))

    def start(self, delivery: Coroutine[Any, Any, None], receiver: str) -> None:
        task = asyncio.create_task(delivery)
        self._receivers[task] = receiver
        task.add_done_callback(self._ended)

    def _ended(self, task: asyncio.Task[None]) -> None:
        self._receivers.pop(task, None)

    async def pause(self, stop: asyncio.Event, seconds: float) -> None:
        """Until `stop`, or `seconds` have passed, or a delivery ends (its place, and its
        receiver's, are free again)."""
        if seconds <= 0 and self.room:
            await asyncio.sleep(0)
            return
        stopped = asyncio.ensure_future(stop.wait())
        watched: set[asyncio.Future[Any]] = {stopped, *self._receivers}
        try:
            await asyncio.wait(watched, timeout=seconds, return_when=asyncio.FIRST_COMPLETED)
        finally:
            stopped.cancel()

    async def finish(self, grace: float = STOP_GRACE) -> None:
        """Waits up to `grace` seconds for the deliveries under way, then cancels the rest."""
        under_way = set(self._receivers)
        if not under_way:
            return
        _, late = await asyncio.wait(under_way, timeout=grace)
        for task in late:
            task.cancel()
        if late:
            await asyncio.wait(late)


class Outage:
    """The database cannot be reached: one line when that starts, one when it ends, and waits
    that double (with jitter, so several dispatchers do not look in step) up to a limit."""

    def __init__(
        self, log: logging.Logger, first_wait: float, rng: random.Random, extra: dict[str, Any]
    ) -> None:
        self.log = log
        self.first_wait = first_wait
        self.rng = rng
        self.extra = extra
        self.since: float | None = None
        self.wait = first_wait

    def noticed(self, failure: BaseException) -> None:
        """A failure to reach the database (a delivery's, say): said if it starts an outage."""
        if self.since is None:
            self.since = time.monotonic()
            self.log.warning(
                "the database cannot be reached: dispatching waits for it",
                extra={**self.extra, "error": describe_failure(failure)},
            )

    def failed(self, failure: BaseException) -> float:
        """A look for due messages failed to reach the database: how long to wait before the
        next look."""
        self.noticed(failure)
        wait, self.wait = self.wait, min(self.wait * 2, LONGEST_OUTAGE_WAIT)
        return wait * self.rng.uniform(0.8, 1.2)

    def over(self) -> None:
        if self.since is None:
            return
        lasted = round(time.monotonic() - self.since, 1)
        self.log.info(
            "the database answers again: dispatching goes on",
            extra={**self.extra, "outage_seconds": lasted},
        )
        self.since, self.wait = None, self.first_wait
