"""Helpers for the webhook delivery tests: webhooks made over GraphQL and REST, what the receiver
got (read back as signed events), following issues and categories, a webhook's delivery log, and
the mutations several of the tests send."""

import asyncio
import base64
import json
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any

from aiohttp import web
from aiohttp.test_utils import TestClient
from standardwebhooks.webhooks import Webhook as StandardWebhook

from issuetracker.models import Category, Issue, Subscription
from issuetracker.notifications.dispatcher import Dispatcher
from issuetracker.schema.relay import to_global_id

from ..support import Api, Person
from .conftest import Clock, Receiver, deliver_all, free_port

CREATE_WEBHOOK = """
mutation ($input: CreateWebhookInput!) {
  createWebhook(input: $input) {
    webhook { id databaseId url active }
    secret
    errors { field message code }
  }
}
"""

DELIVERIES = """
query ($id: ID!) {
  webhook(id: $id) {
    active
    consecutiveFailures
    deliveries(first: 50) {
      nodes {
        id
        webhookMessageId
        eventType
        status
        attemptCount
        nextAttemptAt
        deliveredAt
        lastError
        attempts { attemptedAt succeeded responseStatus latencyMs error }
      }
    }
  }
}
"""

SUBSCRIBE_TO_CATEGORY = """
mutation ($id: ID!, $email: String!) {
  subscribeToCategory(input: {categoryId: $id, email: $email}) { created errors { code } }
}
"""

CREATE_ISSUE = """
mutation ($categoryId: ID!, $name: String!) {
  createIssue(input: {name: $name, description: "It broke.", severity: CRITICAL,
                      categoryIds: [$categoryId]}) {
    issue { id }
    errors { code }
  }
}
"""


@dataclass(frozen=True)
class Hook:
    """A webhook as its owner knows it: its ids and the secret shown once, at creation."""

    id: str
    database_id: int
    secret: str


async def create_webhook(api: Api, by: Person, url: str) -> Hook:
    """Over GraphQL."""
    data = await api.data(CREATE_WEBHOOK, {"input": {"url": url}}, as_=by)
    created = data["createWebhook"]
    assert created["errors"] == [], created["errors"]
    webhook = created["webhook"]
    return Hook(webhook["id"], webhook["databaseId"], created["secret"])


async def create_rest_webhook(client: TestClient, by: Person, url: str) -> Hook:
    """Over REST (POST /api/webhooks), which also answers the secret once."""
    response = await client.post("/api/webhooks", json={"url": url}, headers=by.headers)
    body = await response.json()
    assert response.status == 201, body
    return Hook(to_global_id("Webhook", body["id"]), body["id"], body["secret"])


@dataclass(frozen=True)
class Received:
    """One request the receiver got."""

    headers: dict[str, str]
    body: bytes

    def header(self, name: str) -> str | None:
        wanted = name.lower()
        return next((v for k, v in self.headers.items() if k.lower() == wanted), None)

    @property
    def json(self) -> dict[str, Any]:
        return json.loads(self.body)

    @property
    def type(self) -> str:
        return self.json["type"]

    @property
    def data(self) -> dict[str, Any]:
        return self.json["data"]

    @property
    def webhook_id(self) -> str | None:
        return self.header("webhook-id")

    def signed_with(self, secret: str) -> bool:
        """Whether the `v1` signature was made with `secret`, by the standardwebhooks library's
        own signing (so the check holds whatever the test clock says the time is)."""
        signature = self.header("webhook-signature") or ""
        timestamp = datetime.fromtimestamp(int(self.header("webhook-timestamp") or 0), UTC)
        expected = StandardWebhook(secret).sign(
            msg_id=self.webhook_id or "", timestamp=timestamp, data=self.body.decode()
        )
        return expected in signature.split(" ")


def received(receiver: Receiver) -> list[Received]:
    return [Received(request["headers"], request["body"]) for request in receiver.requests]


def event_types(receiver: Receiver, secret: str | None = None) -> list[str]:
    """The events the receiver got, in order; only those signed with `secret` when given."""
    return [
        request.type
        for request in received(receiver)
        if secret is None or request.signed_with(secret)
    ]


def is_base64(text: str) -> bool:
    try:
        return len(base64.b64decode(text, validate=True)) == 32
    except ValueError:
        return False


async def follow_category(person: Person, category: Category) -> Subscription:
    """A confirmed subscription with the person's address, taken as a given."""
    assert person.user is not None
    return await Subscription.create(
        email=person.user.email, category=category, confirmed_at=datetime.now(UTC)
    )


async def follow_issue(person: Person, issue: Issue) -> Subscription:
    assert person.user is not None
    return await Subscription.create(
        email=person.user.email, issue=issue, confirmed_at=datetime.now(UTC)
    )


async def webhook_log(api: Api, by: Person, hook: Hook) -> dict[str, Any]:
    """The webhook as GraphQL shows it to its owner: active, failures, deliveries newest first."""
    return (await api.data(DELIVERIES, {"id": hook.id}, as_=by))["webhook"]


async def only_delivery(api: Api, by: Person, hook: Hook) -> dict[str, Any]:
    [delivery] = (await webhook_log(api, by, hook))["deliveries"]["nodes"]
    return delivery


def parse_time(value: str) -> datetime:
    return datetime.fromisoformat(value)


def failing(status: int = 500, **headers: str) -> web.Response:
    """An answer for `receiver.responses`."""
    return web.Response(status=status, headers=headers)


async def retry_when_due(
    api: Api, by: Person, hook: Hook, clock: Clock, dispatcher: Dispatcher
) -> None:
    """Moves the clock just past the webhook's only delivery's next attempt, and runs one
    dispatch round, which must try it."""
    delivery = await only_delivery(api, by, hook)
    clock.now = parse_time(delivery["nextAttemptAt"]) + timedelta(seconds=1)
    assert await dispatcher.run_once() == 1


async def settle(dispatcher: Dispatcher, receiver: Receiver) -> None:
    """Deliver what the test's givens queued (webhook_created and the like) and forget it, so
    the receiver holds only what the step under test sends."""
    await deliver_all(dispatcher)
    receiver.requests.clear()


@dataclass
class HeldReceiver:
    """A webhook receiver, on every path of one port, that holds each request until `release`
    is set: `held` counts the requests waiting (`most_held` at most at once; a caller that gives
    up waiting is counted no more), `answered` those let through."""

    port: int
    release: asyncio.Event = field(default_factory=asyncio.Event)
    paths: list[str] = field(default_factory=list)
    held: int = 0
    most_held: int = 0
    answered: int = 0
    _changed: asyncio.Condition = field(default_factory=asyncio.Condition)

    def url(self, path: str = "hook", host: str = "127.0.0.1") -> str:
        return f"http://{host}:{self.port}/{path}"

    async def handle(self, request: web.Request) -> web.Response:
        await request.read()
        async with self._changed:
            self.paths.append(request.path)
            self.held += 1
            self.most_held = max(self.most_held, self.held)
            self._changed.notify_all()
        try:
            await self.release.wait()
            self.answered += 1
        finally:  # answered, or given up by the caller (its handler is cancelled then)
            self.held -= 1
        return web.Response(status=204)

    async def until_held(self, count: int, seconds: float = 30.0) -> None:
        """Waits (failing after `seconds`) until `count` requests are held."""
        async with asyncio.timeout(seconds), self._changed:
            await self._changed.wait_for(lambda: self.held >= count)


@asynccontextmanager
async def held_receiver() -> AsyncIterator[HeldReceiver]:
    """Served on loopback while the block lasts; released on the way out."""
    receiver = HeldReceiver(free_port())
    app = web.Application()
    app.router.add_post("/{path:.*}", receiver.handle)
    runner = web.AppRunner(app, access_log=None, shutdown_timeout=0.1, handler_cancellation=True)
    await runner.setup()
    await web.TCPSite(runner, "127.0.0.1", receiver.port).start()
    try:
        yield receiver
    finally:
        receiver.release.set()
        await runner.cleanup()
