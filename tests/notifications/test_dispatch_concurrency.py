"""A webhook receiver that hangs delays only its own messages: deliveries run side by side (up to
DISPATCH_CONCURRENCY), and one receiver gets at most a quarter of the places.

Measured with real receivers on loopback and the dispatcher's own loop: one hangs (until the
dispatcher's 15-second timeout), one answers at once."""

import asyncio
import contextlib
import time
from collections.abc import AsyncIterator
from dataclasses import dataclass, field

import pytest
from aiohttp import web

from issuetracker.clock import utcnow
from issuetracker.notifications.dispatcher import Dispatcher
from issuetracker.notifications.outbox import enqueue_webhook
from issuetracker.settings import Settings

from ..databases import TEST_DATABASE_URL
from .conftest import free_port

HEALTHY_MESSAGES = 100
HANGING_MESSAGES = 20
HEALTHY_WITHIN_SECONDS = 6.0
"""A few seconds, where a receiver that hangs holds a delivery for 15 (measured: 1.3 to 4.3 s
on two shared, busy cores)."""


@dataclass
class Hook:
    port: int
    hangs: bool
    received: list[str] = field(default_factory=list)
    released: asyncio.Event = field(default_factory=asyncio.Event)
    all_arrived: asyncio.Event = field(default_factory=asyncio.Event)
    expected: int = 0

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}/hook"

    async def handle(self, request: web.Request) -> web.Response:
        self.received.append(request.headers["webhook-id"])
        if len(self.received) >= self.expected:
            self.all_arrived.set()
        if self.hangs:
            await self.released.wait()
        return web.Response(status=204)


@pytest.fixture
async def hooks() -> AsyncIterator[tuple[Hook, Hook]]:
    """A receiver that hangs and one that answers at once, served until the test ends."""
    hanging, healthy = Hook(free_port(), hangs=True), Hook(free_port(), hangs=False)
    runners = []
    for hook in (hanging, healthy):
        app = web.Application()
        app.router.add_post("/hook", hook.handle)
        runner = web.AppRunner(app, access_log=None, shutdown_timeout=0.1)
        await runner.setup()
        await web.TCPSite(runner, "127.0.0.1", hook.port).start()
        runners.append(runner)
    yield hanging, healthy
    for runner in runners:
        await runner.cleanup()


@pytest.fixture
def settings(hooks: tuple[Hook, Hook]) -> Settings:
    return Settings(
        environment="test",
        database_url=TEST_DATABASE_URL,
        webhook_allowed_hosts=[f"127.0.0.1:{hook.port}" for hook in hooks],
        dispatch_poll_seconds=0.05,
        _env_file=None,
    )


async def enqueue(hook: Hook, count: int) -> None:
    now = utcnow()
    for number in range(count):
        await enqueue_webhook(now, hook.url, "issue_updated", {"number": number})


async def test_a_hanging_receiver_delays_only_its_own_messages(
    database: None, settings: Settings, hooks: tuple[Hook, Hook]
) -> None:
    hanging, healthy = hooks
    # given messages for a receiver that hangs, due first, then messages for a healthy one
    await enqueue(hanging, HANGING_MESSAGES)
    await enqueue(healthy, HEALTHY_MESSAGES)
    healthy.expected = HEALTHY_MESSAGES
    dispatcher = Dispatcher(settings)
    stop = asyncio.Event()

    # when the dispatcher runs
    started = time.perf_counter()
    running = asyncio.create_task(dispatcher.run(stop))
    with contextlib.suppress(TimeoutError):
        await asyncio.wait_for(healthy.all_arrived.wait(), timeout=30)
    elapsed = time.perf_counter() - started
    hanging_tried = len(hanging.received)
    print(  # the figure the hardening issue asks for (pytest -s shows it)
        f"\n{len(healthy.received)} messages to a healthy receiver delivered in {elapsed:.2f} s "
        f"while {hanging_tried} hung at the other (concurrency "
        f"{settings.dispatch_concurrency})"
    )
    hanging.released.set()  # so the stop does not wait for the dispatcher's timeout
    stop.set()
    await running

    # then every healthy message arrived within a few seconds, once each, and the hanging
    # receiver held a quarter of the places at most
    assert len(healthy.received) == HEALTHY_MESSAGES
    assert len(set(healthy.received)) == HEALTHY_MESSAGES
    assert elapsed < HEALTHY_WITHIN_SECONDS
    assert 1 <= hanging_tried <= settings.dispatch_concurrency // 4
