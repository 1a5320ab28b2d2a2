"""Helpers for the outbox tests: what the receiver got, the delivery log of a message, dispatchers
drained until nothing is due, a real database shared with `worker` processes, and those processes
(always killed on the way out)."""

import asyncio
import contextlib
import os
import random
import sys
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from pathlib import Path

from tortoise.transactions import in_transaction

from issuetracker import db
from issuetracker.models import Category, DeliveryAttempt, MessageKind, MessageStatus, OutboxMessage
from issuetracker.notifications.dispatcher import Dispatcher

from ..databases import empty_database_url
from ..support import Person, make_issue
from .conftest import Clock, Receiver

ROOT = Path(__file__).parent.parent.parent


class ChangeAbandoned(Exception):
    """Raised by a test to roll back the transaction around a change."""


async def create_issue_then_fail(
    by: Person, category: Category, written: list[MessageKind]
) -> None:
    """Creates an issue through the real resolver, notes what it put in the outbox, then fails
    before the surrounding transaction commits."""
    async with in_transaction():
        await make_issue(by, category, name="Router on fire")
        written.extend(message.kind for message in await OutboxMessage.all())
        raise ChangeAbandoned


def webhook_ids(receiver: Receiver) -> list[str | None]:
    """The `webhook-id` header of every request the receiver got, in order."""
    return [
        next((v for k, v in request["headers"].items() if k.lower() == "webhook-id"), None)
        for request in receiver.requests
    ]


def seeded(seed: int) -> random.Random:
    """A reproducible source of jitter."""
    return random.Random(seed)  # noqa: S311 (jitter, not secrecy)


async def attempts_of(message: OutboxMessage) -> list[DeliveryAttempt]:
    return await DeliveryAttempt.filter(message_id=message.id).order_by("id")


async def until_next_attempt(clock: Clock, message: OutboxMessage) -> None:
    """Moves the clock just past the message's next attempt."""
    await message.refresh_from_db()
    clock.advance(seconds=(message.next_attempt_at - clock()).total_seconds() + 1)


async def until_delivered(message: OutboxMessage, seconds: float = 10.0) -> None:
    """Polls the database until another process has recorded the message delivered."""
    deadline = asyncio.get_running_loop().time() + seconds
    await message.refresh_from_db()
    while message.status is not MessageStatus.DELIVERED:
        assert asyncio.get_running_loop().time() < deadline, "never recorded as delivered"
        await asyncio.sleep(0.1)
        await message.refresh_from_db()


async def drain(dispatcher: Dispatcher) -> int:
    """Dispatch rounds until this dispatcher finds nothing to claim; how many it claimed."""
    claimed = 0
    while found := await dispatcher.run_once():
        claimed += found
    return claimed


async def wait_until(condition: Callable[[], bool], seconds: float = 30.0) -> None:
    """Polls `condition` until it holds; fails after `seconds`."""
    deadline = asyncio.get_running_loop().time() + seconds
    while not condition():
        assert asyncio.get_running_loop().time() < deadline, f"still waiting after {seconds} s"
        await asyncio.sleep(0.05)


@asynccontextmanager
async def shared_database(tmp_path: Path) -> AsyncIterator[str]:
    """A migrated database on disk, open in this process and reachable by others; its url."""
    async with empty_database_url(tmp_path, "outbox") as url:
        await db.apply_migrations(url)
        await db.open_database(url)
        try:
            yield url
        finally:
            await db.close_database()


class Workers:
    """`python server.py worker` processes on a shared database, killed when the block ends."""

    def __init__(self, database_url: str, receiver: Receiver, logs: Path) -> None:
        self.env = {
            **{k: v for k, v in os.environ.items() if k != "SMTP_URL"},
            "DATABASE_URL": database_url,
            "WEBHOOK_ALLOWED_HOSTS": f"127.0.0.1:{receiver.port}",
            "DISPATCH_LEASE_SECONDS": "5",
            "DISPATCH_POLL_SECONDS": "0.2",
            "LOG_LEVEL": "WARNING",
            "WORKER_METRICS_PORT": "0",  # several workers run at once here
        }
        self.logs = logs
        self.processes: list[asyncio.subprocess.Process] = []

    async def start(self) -> asyncio.subprocess.Process:
        with (self.logs / f"worker-{len(self.processes) + 1}.log").open("wb") as log:
            process = await asyncio.create_subprocess_exec(
                sys.executable,
                str(ROOT / "server.py"),
                "worker",
                env=self.env,
                cwd=ROOT,
                stdout=log,
                stderr=log,
            )
        self.processes.append(process)
        return process

    def output(self) -> str:
        return "\n".join(path.read_text() for path in sorted(self.logs.glob("worker-*.log")))

    async def __aenter__(self) -> "Workers":
        return self

    async def __aexit__(self, *exc_info: object) -> None:
        for process in self.processes:
            if process.returncode is None:
                with contextlib.suppress(ProcessLookupError):
                    process.kill()
            await process.wait()
