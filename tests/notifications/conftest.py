"""Real peers for notification tests: an SMTP server (aiosmtpd) and a webhook receiver
(aiohttp) on loopback, a dispatcher wired to them, and a clock the test moves."""

import asyncio
import re
import socket
from collections.abc import AsyncIterator, Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from email import message_from_bytes, policy
from email.message import EmailMessage

import pytest
from aiohttp import web
from aiohttp.test_utils import TestClient
from aiosmtpd.controller import Controller
from aiosmtpd.smtp import Envelope
from pytest_aiohttp import AiohttpClient

from issuetracker.notifications.dispatcher import Dispatcher
from issuetracker.server import create_app
from issuetracker.settings import Settings

from ..databases import TEST_DATABASE_URL
from ..support import Api


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class Mailbox:
    """What the SMTP server received, parsed."""

    def __init__(self) -> None:
        self.messages: list[EmailMessage] = []

    async def handle_DATA(self, server: object, session: object, envelope: Envelope) -> str:
        assert isinstance(envelope.content, bytes)
        self.messages.append(message_from_bytes(envelope.content, policy=policy.default))
        return "250 OK"

    def to(self, address: str) -> list[EmailMessage]:
        return [message for message in self.messages if message["To"] == address]


@dataclass
class SmtpServer:
    port: int
    mailbox: Mailbox
    controller: Controller | None = None

    def start(self) -> None:
        self.controller = Controller(self.mailbox, hostname="127.0.0.1", port=self.port)
        self.controller.start()

    def stop(self) -> None:
        if self.controller is not None:
            self.controller.stop()
            self.controller = None

    @property
    def url(self) -> str:
        return f"smtp://127.0.0.1:{self.port}"


@pytest.fixture
def smtp() -> Iterator[SmtpServer]:
    server = SmtpServer(free_port(), Mailbox())
    server.start()
    yield server
    server.stop()


@dataclass
class Receiver:
    """A webhook receiver: records every request; answers from `responses` (then 200)."""

    port: int
    requests: list[dict] = field(default_factory=list)
    responses: list[web.Response] = field(default_factory=list)
    delay: float = 0.0

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}/hook"

    async def handle(self, request: web.Request) -> web.Response:
        body = await request.read()
        self.requests.append({"headers": dict(request.headers), "body": body})
        if self.delay:
            await asyncio.sleep(self.delay)
        return self.responses.pop(0) if self.responses else web.Response(status=200)


@pytest.fixture
async def receiver() -> AsyncIterator[Receiver]:
    hook = Receiver(free_port())
    app = web.Application()
    app.router.add_post("/hook", hook.handle)
    runner = web.AppRunner(app, access_log=None)
    await runner.setup()
    await web.TCPSite(runner, "127.0.0.1", hook.port).start()
    yield hook
    await runner.cleanup()


class Clock:
    """The dispatcher's notion of now, moved by the test instead of sleeping. It starts a minute
    ahead of real time, so whatever the test has just enqueued is already due."""

    def __init__(self) -> None:
        self.now = datetime.now(UTC) + timedelta(minutes=1)

    def __call__(self) -> datetime:
        return self.now

    def advance(self, **delta: float) -> None:
        self.now += timedelta(**delta)


@pytest.fixture
def clock() -> Clock:
    return Clock()


@pytest.fixture
def settings(smtp: SmtpServer, receiver: Receiver) -> Settings:
    return Settings(
        environment="test",
        database_url=TEST_DATABASE_URL,
        public_url="http://testserver",
        smtp_url=smtp.url,
        webhook_allowed_hosts=[f"127.0.0.1:{receiver.port}"],
        _env_file=None,
    )


@pytest.fixture
async def client(aiohttp_client: AiohttpClient, database: None, settings: Settings) -> TestClient:
    return await aiohttp_client(create_app(settings, manage_database=False))


@pytest.fixture
def api(client: TestClient) -> Api:
    return Api(client)


@pytest.fixture
async def dispatcher(database: None, settings: Settings, clock: Clock) -> AsyncIterator[Dispatcher]:
    sender = Dispatcher(settings, clock=clock)
    yield sender
    await sender.close()


async def deliver_all(dispatcher: Dispatcher) -> int:
    """Runs dispatch rounds until nothing is due now; returns how many were sent or tried."""
    total = 0
    while sent := await dispatcher.run_once():
        total += sent
    return total


def links_in(message: EmailMessage) -> list[str]:
    text = message.get_body(preferencelist=("plain",))
    assert text is not None
    return re.findall(r"https?://\S+", text.get_content())
