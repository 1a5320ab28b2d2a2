"""A webhook deleted while one of its deliveries is under way: the deletion stands, the delivery
ends quietly (its record goes with the webhook, as the rest of its log does), and nothing is
logged as an error.

Through the app over HTTP and a real receiver on loopback that holds the request until the
test lets it go."""

import asyncio
import logging
from collections.abc import AsyncIterator

import pytest

from issuetracker.models import DeliveryAttempt, OutboxMessage, Webhook
from issuetracker.notifications.dispatcher import Dispatcher
from issuetracker.settings import Settings

from ..support import Api, Person
from .webhook_helpers import HeldReceiver, create_webhook, held_receiver

DELETE_WEBHOOK = """
mutation ($id: ID!) { deleteWebhook(input: {id: $id}) { webhook { id } errors { code } } }
"""


@pytest.fixture
async def held() -> AsyncIterator[HeldReceiver]:
    async with held_receiver() as receiver:
        yield receiver


@pytest.fixture
def settings(settings: Settings, held: HeldReceiver) -> Settings:
    allowed = [*settings.webhook_allowed_hosts, f"127.0.0.1:{held.port}"]
    return settings.model_copy(update={"webhook_allowed_hosts": allowed})


async def test_deleting_a_webhook_while_it_is_called_ends_the_delivery_cleanly(
    api: Api,
    member: Person,
    held: HeldReceiver,
    dispatcher: Dispatcher,
    caplog: pytest.LogCaptureFixture,
) -> None:
    # given a webhook whose first delivery (webhook_created) is being sent, held by the receiver
    hook = await create_webhook(api, member, held.url())
    sending = asyncio.create_task(dispatcher.run_once())
    await held.until_held(1)

    # when its owner deletes it meanwhile, and then the receiver answers
    with caplog.at_level(logging.INFO):
        deleted = await api.data(DELETE_WEBHOOK, {"id": hook.id}, as_=member)
        held.release.set()
        assert await sending == 1

    # then the webhook and its deliveries are gone, without an error on the way
    assert deleted["deleteWebhook"]["errors"] == []
    assert held.answered == 1
    assert not await Webhook.exists(id=hook.database_id)
    assert not await OutboxMessage.exists(webhook_id=hook.database_id)
    assert await DeliveryAttempt.all().count() == 0
    errors = [record.getMessage() for record in caplog.records if record.levelno >= logging.ERROR]
    assert errors == []
    [ended] = [record for record in caplog.records if "deleted" in record.getMessage()]
    assert ended.levelno == logging.INFO
