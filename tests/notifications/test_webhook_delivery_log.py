"""A webhook's delivery log: every attempt and its latency, redelivering a delivery with the same
webhook id, and another user's delivery not found.

As every webhook delivery test: through the app over HTTP, a real receiver on loopback and a
dispatcher driven by a test clock (no sleeps)."""

from standardwebhooks.webhooks import Webhook as StandardWebhook

from issuetracker.notifications.dispatcher import Dispatcher
from issuetracker.settings import Settings

from ..support import Api, Person, error_codes, nothing_answered
from .conftest import Clock, Receiver, deliver_all
from .webhook_helpers import (
    create_webhook,
    failing,
    only_delivery,
    parse_time,
    received,
    retry_when_due,
    webhook_log,
)

REDELIVER = """
mutation ($id: ID!) {
  redeliverWebhookDelivery(input: {id: $id}) {
    delivery { webhookMessageId status }
    errors { code }
  }
}
"""


async def test_the_delivery_log_shows_every_attempt(
    api: Api, member: Person, receiver: Receiver, dispatcher: Dispatcher, clock: Clock
) -> None:
    # given a delivery that failed once, then arrived
    receiver.responses = [failing(500)]
    hook = await create_webhook(api, member, receiver.url)
    await dispatcher.run_once()
    await retry_when_due(api, member, hook, clock, dispatcher)

    # when the owner reads the webhook's deliveries
    log = await webhook_log(api, member, hook)

    # then the delivery and both attempts are shown, oldest attempt first
    [delivery] = log["deliveries"]["nodes"]
    assert delivery["eventType"] == "webhook_created"
    assert delivery["status"] == "DELIVERED"
    assert delivery["deliveredAt"] is not None
    assert delivery["lastError"] is None
    failed, succeeded = delivery["attempts"]
    assert (failed["succeeded"], failed["responseStatus"], failed["error"]) == (
        False,
        500,
        "The receiver answered 500.",
    )
    assert (succeeded["succeeded"], succeeded["responseStatus"], succeeded["error"]) == (
        True,
        200,
        None,
    )
    assert parse_time(failed["attemptedAt"]) < parse_time(succeeded["attemptedAt"])
    assert all(
        isinstance(a["latencyMs"], int) and a["latencyMs"] >= 0 for a in delivery["attempts"]
    )
    assert log["consecutiveFailures"] == 0


async def test_the_delivery_log_measures_latency(
    api: Api, member: Person, receiver: Receiver, settings: Settings
) -> None:
    # given a receiver that takes a quarter of a second to answer
    receiver.delay = 0.25
    hook = await create_webhook(api, member, receiver.url)

    # when a dispatcher on the real clock sends the event
    sender = Dispatcher(settings)
    try:
        assert await sender.run_once() == 1
    finally:
        await sender.close()

    # then the attempt's latency covers the wait
    [attempt] = (await only_delivery(api, member, hook))["attempts"]
    assert 250 <= attempt["latencyMs"] < 15_000


async def test_redelivering_sends_a_delivered_event_again_with_the_same_webhook_id(
    api: Api, member: Person, receiver: Receiver, dispatcher: Dispatcher
) -> None:
    # given a delivered event
    hook = await create_webhook(api, member, receiver.url)
    await deliver_all(dispatcher)
    delivery = await only_delivery(api, member, hook)
    assert delivery["status"] == "DELIVERED"

    # when the owner redelivers it
    data = await api.data(REDELIVER, {"id": delivery["id"]}, as_=member)
    await deliver_all(dispatcher)

    # then it is sent again: same webhook-id, same body, freshly signed
    assert data["redeliverWebhookDelivery"] == {
        "delivery": {"webhookMessageId": delivery["webhookMessageId"], "status": "PENDING"},
        "errors": [],
    }
    first, again = received(receiver)
    assert again.webhook_id == first.webhook_id == delivery["webhookMessageId"]
    assert again.body == first.body
    assert StandardWebhook(hook.secret).verify(again.body, again.headers)["type"] == (
        "webhook_created"
    )
    redelivered = await only_delivery(api, member, hook)
    assert redelivered["status"] == "DELIVERED"
    assert len(redelivered["attempts"]) == 2


async def test_another_users_delivery_is_not_found(
    api: Api, member: Person, outsider: Person, receiver: Receiver, dispatcher: Dispatcher
) -> None:
    # given the member's delivered event
    hook = await create_webhook(api, member, receiver.url)
    await deliver_all(dispatcher)
    delivery = await only_delivery(api, member, hook)

    # when an outsider tries to redeliver it, read the webhook's log, or fetch it as a node
    redeliver = await api.graphql(REDELIVER, {"id": delivery["id"]}, as_=outsider)
    log = await api.graphql(
        "query ($id: ID!) { webhook(id: $id) { deliveries { totalCount } } }",
        {"id": hook.id},
        as_=outsider,
    )

    node = await api.graphql(
        "query ($id: ID!) { node(id: $id) { id } }", {"id": delivery["id"]}, as_=outsider
    )

    # then all are NOT_FOUND, and nothing is sent again
    assert error_codes(redeliver) == ["NOT_FOUND"]
    assert error_codes(node) == ["NOT_FOUND"]
    assert nothing_answered(redeliver)
    assert error_codes(log) == ["NOT_FOUND"]
    assert await deliver_all(dispatcher) == 0
    assert len(receiver.requests) == 1
