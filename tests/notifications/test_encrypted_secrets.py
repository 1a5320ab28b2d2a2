"""Webhook secrets kept encrypted at rest (AES-GCM under ENCRYPTION_KEYS): the database's bytes
hold no secret while deliveries still verify; rotating a webhook's secret signs with both for a
day; moving every secret to a new key (`rotate-encryption-key`) keeps deliveries verifying.

As every webhook delivery test: through the app over HTTP, a real receiver on loopback and a
dispatcher driven by a test clock (no sleeps)."""

import base64
import os

import pytest
from aiohttp.test_utils import TestClient
from standardwebhooks.webhooks import Webhook as StandardWebhook
from standardwebhooks.webhooks import WebhookVerificationError
from tortoise.connection import get_connection

from issuetracker import encryption
from issuetracker.encryption import Keyring
from issuetracker.notifications.dispatcher import Dispatcher
from issuetracker.reencryption import reencrypt_all
from issuetracker.settings import Settings

from ..kinetic.helpers import create, edit
from ..support import Api, Person
from .conftest import Clock, Receiver, deliver_all
from .webhook_helpers import Received, create_webhook, received

ROTATE = """
mutation ($id: ID!) {
  rotateWebhookSecret(input: {id: $id}) {
    webhook { id }
    secret
    errors { code }
  }
}
"""

UPDATE_WEBHOOK = """
mutation ($id: ID!, $description: String!) {
  updateWebhook(input: {id: $id, description: $description}) { errors { code } }
}
"""

OLD_KEY = base64.urlsafe_b64encode(os.urandom(32)).decode()
NEW_KEY = base64.urlsafe_b64encode(os.urandom(32)).decode()


@pytest.fixture
def settings(settings: Settings) -> Settings:
    """The notification tests' settings, with a key of the test's own."""
    return settings.model_copy(update={"encryption_keys": [OLD_KEY]})


async def _raw_rows() -> str:
    """Every secret column as the database holds it, as one text."""
    connection = get_connection("default")
    webhooks = await connection.execute_query_dict("SELECT secret, previous_secret FROM webhooks")
    issues = await connection.execute_query_dict("SELECT webhook_secret FROM issues")
    return repr(webhooks) + repr(issues)


def _key_bytes(secret: str) -> str:
    return secret.removeprefix("whsec_")


def _signatures(request: Received) -> list[str]:
    return (request.header("webhook-signature") or "").split(" ")


async def test_no_secret_is_in_the_database_while_deliveries_verify(
    client: TestClient, api: Api, owner: Person, receiver: Receiver, dispatcher: Dispatcher
) -> None:
    # given a webhook and an issue with its own webhook URL, each secret shown once
    hook = await create_webhook(api, owner, receiver.url)
    issue = await create(client, owner, name="Printers", webhook_url=receiver.url)

    # when their events are delivered
    await deliver_all(dispatcher)

    # then neither secret, nor its key bytes, is anywhere in the tables
    stored = await _raw_rows()
    for secret in (hook.secret, issue["webhook_secret"]):
        assert _key_bytes(secret) not in stored
        assert "whsec_" not in stored
    assert stored.count("gcm1.") == 2
    # and both deliveries verify with the secrets shown
    by_type = {request.type: request for request in received(receiver)}
    StandardWebhook(hook.secret).verify(
        by_type["webhook_created"].body, by_type["webhook_created"].headers
    )
    StandardWebhook(issue["webhook_secret"]).verify(
        by_type["issue_created"].body, by_type["issue_created"].headers
    )


async def test_a_rotated_secret_signs_beside_the_old_one_for_a_day(
    api: Api, owner: Person, receiver: Receiver, dispatcher: Dispatcher, clock: Clock
) -> None:
    # given a webhook, its secret rotated
    hook = await create_webhook(api, owner, receiver.url)
    await deliver_all(dispatcher)
    rotated = (await api.data(ROTATE, {"id": hook.id}, as_=owner))["rotateWebhookSecret"]
    assert rotated["errors"] == []
    new_secret = rotated["secret"]
    assert new_secret.startswith("whsec_")
    assert new_secret != hook.secret
    assert _key_bytes(new_secret) not in await _raw_rows()

    # when another webhook of the owner's is made, the event reaching the first at once
    await create_webhook(api, owner, receiver.url + "?second")
    await deliver_all(dispatcher)

    # then that delivery carries two signatures, and verifies with the old and the new secret
    first_hook_calls = [r for r in received(receiver)[1:] if r.signed_with(new_secret)]
    assert len(first_hook_calls) == 1
    [request] = first_hook_calls
    assert len(_signatures(request)) == 2
    assert request.signed_with(hook.secret)
    StandardWebhook(new_secret).verify(request.body, request.headers)
    StandardWebhook(hook.secret).verify(request.body, request.headers)

    # and a day later the old secret signs no more
    clock.advance(hours=24, seconds=1)
    await create_webhook(api, owner, receiver.url + "?third")
    await deliver_all(dispatcher)
    later = [r for r in received(receiver) if r.signed_with(new_secret)][-1]
    assert later is not request
    assert len(_signatures(later)) == 1
    with pytest.raises(WebhookVerificationError):
        StandardWebhook(hook.secret).verify(later.body, later.headers)


async def test_rotating_a_webhook_that_is_not_yours_is_not_found(
    api: Api, owner: Person, outsider: Person, receiver: Receiver
) -> None:
    # given someone's webhook
    hook = await create_webhook(api, owner, receiver.url)

    # when another user asks to rotate its secret
    body = await api.graphql(ROTATE, {"id": hook.id}, as_=outsider)

    # then it is not found, and no secret is shown
    assert body["data"]["rotateWebhookSecret"] is None
    assert [error["extensions"]["code"] for error in body["errors"]] == ["NOT_FOUND"]


async def test_moving_every_secret_to_a_new_key_keeps_deliveries_verifying(
    client: TestClient, api: Api, owner: Person, receiver: Receiver, dispatcher: Dispatcher
) -> None:
    # given a webhook and an issue's own webhook, their secrets under the old key
    hook = await create_webhook(api, owner, receiver.url)
    issue = await create(client, owner, name="Printers", webhook_url=receiver.url)
    await deliver_all(dispatcher)
    before = await _raw_rows()

    # when a new key goes first and every secret is moved to it (rotate-encryption-key's work)
    encryption.install(Keyring.of([NEW_KEY, OLD_KEY], ""))
    counts = await reencrypt_all(encryption.current())
    assert counts == {
        "webhooks.secret": 1,
        "webhooks.previous_secret": 0,
        "issues.webhook_secret": 1,
    }
    # and the old key is removed
    encryption.install(Keyring.of([NEW_KEY], ""))

    # then the stored values changed, a second run has nothing to do
    after = await _raw_rows()
    assert after != before
    assert await reencrypt_all(encryption.current()) == dict.fromkeys(counts, 0)
    # and new deliveries still verify with the secrets shown at the start
    await api.data(UPDATE_WEBHOOK, {"id": hook.id, "description": "moved"}, as_=owner)
    await create_webhook(api, owner, receiver.url + "?second")
    assert (await edit(client, issue["guid"], owner, name="Printers (moved)")).status == 200
    await deliver_all(dispatcher)
    requests = received(receiver)
    assert any(r.type == "webhook_created" and r.signed_with(hook.secret) for r in requests[2:])
    assert any(
        r.type == "issue_updated" and r.signed_with(issue["webhook_secret"]) for r in requests
    )
