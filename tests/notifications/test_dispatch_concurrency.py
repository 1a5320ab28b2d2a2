"""A webhook receiver that hangs delays only its own messages: deliveries run side by side (up to
DISPATCH_CONCURRENCY), and one receiver, a host whatever the paths of its URLs, gets at most a
quarter of the places.

With real receivers on loopback and the dispatcher's own loop: one host holds every request
until the test lets it go, another (`localhost`, a host of its own) answers at once. What is
asserted is what arrived and how many requests the hanging host held at once, never how long
anything took."""

import asyncio
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
from .webhook_helpers import HeldReceiver, held_receiver

HEALTHY_MESSAGES = 100
HANGING_MESSAGES = 32
CONCURRENCY = 16
PER_HOST = CONCURRENCY // 4
ARRIVAL_BOUND_SECONDS = 60.0
"""Only a bound on a failing test: a run that passes is over once the last message arrives."""


@dataclass
class Healthy:
    """A receiver on another host that answers at once, counting what arrives."""

    port: int
    expected: int
    received: list[str] = field(default_factory=list)
    all_arrived: asyncio.Event = field(default_factory=asyncio.Event)

    @property
    def url(self) -> str:
        return f"http://localhost:{self.port}/hook"

    async def handle(self, request: web.Request) -> web.Response:
        self.received.append(request.headers["webhook-id"])
        if len(self.received) >= self.expected:
            self.all_arrived.set()
        return web.Response(status=204)


@pytest.fixture
async def hanging() -> AsyncIterator[HeldReceiver]:
    async with held_receiver() as receiver:
        yield receiver


@pytest.fixture
async def healthy() -> AsyncIterator[Healthy]:
    receiver = Healthy(free_port(), HEALTHY_MESSAGES)
    app = web.Application()
    app.router.add_post("/hook", receiver.handle)
    runner = web.AppRunner(app, access_log=None, shutdown_timeout=0.1)
    await runner.setup()
    await web.TCPSite(runner, "127.0.0.1", receiver.port).start()
    yield receiver
    await runner.cleanup()


@pytest.fixture
def settings(hanging: HeldReceiver, healthy: Healthy) -> Settings:
    return Settings(
        environment="test",
        database_url=TEST_DATABASE_URL,
        webhook_allowed_hosts=[f"127.0.0.1:{hanging.port}", f"localhost:{healthy.port}"],
        dispatch_poll_seconds=0.05,
        dispatch_concurrency=CONCURRENCY,
        _env_file=None,
    )


async def enqueue(urls: list[str]) -> None:
    now = utcnow()
    for number, url in enumerate(urls):
        await enqueue_webhook(now, url, "issue_updated", {"number": number})


async def dispatch_until_healthy_arrived(
    settings: Settings, hanging: HeldReceiver, healthy: Healthy
) -> None:
    """Runs a dispatcher until every healthy message arrived (or the bound passed), then lets
    the hanging host answer and stops it."""
    stop = asyncio.Event()
    running = asyncio.create_task(Dispatcher(settings).run(stop))
    try:
        async with asyncio.timeout(ARRIVAL_BOUND_SECONDS):
            await healthy.all_arrived.wait()
    except TimeoutError:
        pass
    finally:
        hanging.release.set()
        stop.set()
        await running


@pytest.mark.parametrize("paths", [1, HANGING_MESSAGES], ids=["one URL", "a URL each"])
async def test_a_hanging_host_delays_only_its_own_messages(
    database: None, settings: Settings, hanging: HeldReceiver, healthy: Healthy, paths: int
) -> None:
    # given messages for a host that hangs, to one URL or to a different path each, due
    # first, then messages for a healthy host
    await enqueue([hanging.url(f"hooks/{number % paths}") for number in range(HANGING_MESSAGES)])
    await enqueue([healthy.url] * HEALTHY_MESSAGES)

    # when the dispatcher runs, the hanging host answering nothing until the healthy one has
    # had every message
    await dispatch_until_healthy_arrived(settings, hanging, healthy)

    # then every healthy message arrived, once each, while the hanging host held a quarter of
    # the places at most
    assert len(healthy.received) == HEALTHY_MESSAGES
    assert len(set(healthy.received)) == HEALTHY_MESSAGES
    assert 1 <= hanging.most_held <= PER_HOST
