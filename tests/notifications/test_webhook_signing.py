"""The body of a webhook delivery and its signature (Standard Webhooks): the headers it carries, and
that it verifies with the secret shown once, over GraphQL or REST, and with nothing else.

As every webhook delivery test: through the app over HTTP, a real receiver on loopback and a
dispatcher driven by a test clock (no sleeps)."""

import re

import pytest
from aiohttp.test_utils import TestClient
from standardwebhooks.webhooks import Webhook as StandardWebhook
from standardwebhooks.webhooks import WebhookVerificationError

from issuetracker.notifications.dispatcher import Dispatcher

from ..support import Api, Person
from .conftest import Clock, Receiver, deliver_all
from .webhook_helpers import create_rest_webhook, create_webhook, is_base64, parse_time, received

SIGNATURE = re.compile(r"^v1,(?P<digest>[A-Za-z0-9+/]+=*)$")


async def test_a_new_webhook_hears_of_its_own_creation(
    api: Api, member: Person, receiver: Receiver, dispatcher: Dispatcher
) -> None:
    # given a webhook created over GraphQL
    hook = await create_webhook(api, member, receiver.url)

    # when what is due is sent
    await deliver_all(dispatcher)

    # then the receiver got one `webhook_created` event about that webhook
    [request] = received(receiver)
    body = request.json
    assert set(body) == {"type", "timestamp", "data"}
    assert body["type"] == "webhook_created"
    assert body["data"] == {
        "webhook": {"id": hook.database_id, "url": receiver.url, "description": None}
    }
    assert parse_time(body["timestamp"]).tzinfo is not None


async def test_a_delivery_carries_standard_webhooks_headers(
    api: Api, member: Person, receiver: Receiver, dispatcher: Dispatcher, clock: Clock
) -> None:
    # given a webhook
    await create_webhook(api, member, receiver.url)

    # when its creation event is sent
    await deliver_all(dispatcher)

    # then the headers are those of Standard Webhooks, stamped with the sending time
    [request] = received(receiver)
    assert re.fullmatch(r"msg_[0-9a-f]{32}", request.webhook_id or "")
    assert request.header("webhook-timestamp") == str(int(clock.now.timestamp()))
    signature = SIGNATURE.match(request.header("webhook-signature") or "")
    assert signature is not None
    assert is_base64(signature["digest"])
    assert request.header("content-type") == "application/json"


async def test_a_delivery_verifies_with_the_secret_shown_by_create_webhook(
    api: Api, member: Person, receiver: Receiver, dispatcher: Dispatcher
) -> None:
    # given a webhook created over GraphQL, with the secret shown that once
    hook = await create_webhook(api, member, receiver.url)
    assert hook.secret.startswith("whsec_")

    # when its creation event is sent
    await deliver_all(dispatcher)

    # then the standardwebhooks library verifies it with that secret and reads the body
    [request] = received(receiver)
    verified = StandardWebhook(hook.secret).verify(request.body, request.headers)
    assert verified == request.json
    assert verified["type"] == "webhook_created"


async def test_a_delivery_does_not_verify_with_a_wrong_secret(
    api: Api, member: Person, outsider: Person, receiver: Receiver, dispatcher: Dispatcher
) -> None:
    # given two webhooks of two people, on the same receiver
    await create_webhook(api, member, receiver.url)
    other = await create_webhook(api, outsider, receiver.url)
    await deliver_all(dispatcher)

    # when the member's delivery is checked with the outsider's secret
    [members] = [request for request in received(receiver) if not request.signed_with(other.secret)]

    # then verification fails
    with pytest.raises(WebhookVerificationError):
        StandardWebhook(other.secret).verify(members.body, members.headers)


async def test_a_delivery_does_not_verify_once_the_body_is_altered(
    api: Api, member: Person, receiver: Receiver, dispatcher: Dispatcher
) -> None:
    # given a delivered event
    hook = await create_webhook(api, member, receiver.url)
    await deliver_all(dispatcher)
    [request] = received(receiver)

    # when its body is changed on the way
    altered = request.body.replace(b"webhook_created", b"webhook_deleted")

    # then the signature no longer matches
    with pytest.raises(WebhookVerificationError):
        StandardWebhook(hook.secret).verify(altered, request.headers)


async def test_a_delivery_verifies_with_the_secret_shown_by_the_rest_api(
    client: TestClient, member: Person, receiver: Receiver, dispatcher: Dispatcher
) -> None:
    # given a webhook created with POST /api/webhooks, which answers its secret once
    hook = await create_rest_webhook(client, member, receiver.url)

    # when its creation event is sent
    await deliver_all(dispatcher)

    # then it verifies with that secret
    [request] = received(receiver)
    verified = StandardWebhook(hook.secret).verify(request.body, request.headers)
    assert verified["type"] == "webhook_created"
    assert verified["data"]["webhook"]["id"] == hook.database_id
