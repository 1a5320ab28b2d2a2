"""When a webhook delivery fails: retries with a growing wait (and Retry-After), redirects not
followed, a webhook disabled after failing too long and its owner told, a URL no longer allowed
refused when sent, and several events failing together.

As every webhook delivery test: through the app over HTTP, a real receiver on loopback and a
dispatcher driven by a test clock (no sleeps)."""

from datetime import timedelta
from itertools import pairwise

import pytest

from issuetracker.models import Company, Webhook
from issuetracker.notifications.attempts import MAX_ATTEMPTS
from issuetracker.notifications.dispatcher import Dispatcher
from issuetracker.settings import Settings

from ..support import Api, Person, gid, make_category
from .conftest import Clock, Receiver, SmtpServer, deliver_all
from .webhook_helpers import (
    CREATE_ISSUE,
    SUBSCRIBE_TO_CATEGORY,
    create_webhook,
    event_types,
    failing,
    follow_category,
    only_delivery,
    parse_time,
    received,
    retry_when_due,
    webhook_log,
)

UPDATE_WEBHOOK = """
mutation ($id: ID!, $active: Boolean!) {
  updateWebhook(input: {id: $id, active: $active}) {
    webhook { active consecutiveFailures }
    errors { code }
  }
}
"""

PRIVATE_ADDRESS = "The url points at a private, loopback or link-local address."


# --- retries ------------------------------------------------------------------------------------


async def test_a_failed_delivery_is_retried_until_it_arrives_with_the_same_webhook_id(
    api: Api, member: Person, receiver: Receiver, dispatcher: Dispatcher, clock: Clock
) -> None:
    # given a receiver that answers 500 once, then 200
    receiver.responses = [failing(500)]
    hook = await create_webhook(api, member, receiver.url)

    # when the event is sent, fails, and is sent again once due
    assert await dispatcher.run_once() == 1
    waiting = await only_delivery(api, member, hook)
    assert await dispatcher.run_once() == 0  # not due yet
    await retry_when_due(api, member, hook, clock, dispatcher)

    # then it arrived on the second attempt, with the same id and body both times
    assert waiting["status"] == "PENDING"
    first, second = received(receiver)
    assert first.webhook_id == second.webhook_id == waiting["webhookMessageId"]
    assert first.body == second.body
    assert second.signed_with(hook.secret)
    delivered = await only_delivery(api, member, hook)
    assert delivered["status"] == "DELIVERED"
    assert delivered["attemptCount"] == 2
    assert delivered["nextAttemptAt"] is None


async def test_the_wait_between_attempts_roughly_doubles(
    api: Api, member: Person, receiver: Receiver, dispatcher: Dispatcher, clock: Clock
) -> None:
    # given a receiver that keeps answering 500
    receiver.responses = [failing(500) for _ in range(4)]
    hook = await create_webhook(api, member, receiver.url)

    # when four attempts fail
    waits = []
    assert await dispatcher.run_once() == 1
    for _ in range(4):
        delivery = await only_delivery(api, member, hook)
        waits.append((parse_time(delivery["nextAttemptAt"]) - clock.now).total_seconds())
        if len(waits) < 4:
            await retry_when_due(api, member, hook, clock, dispatcher)

    # then each wait is about twice the one before: 30s, 60s, 120s, 240s, each within ±20%
    for attempt, wait in enumerate(waits):
        assert 30 * 2**attempt * 0.8 - 1 <= wait <= 30 * 2**attempt * 1.2 + 1, waits
    for before, after in pairwise(waits):
        assert 2 * 0.8 / 1.2 <= after / before <= 2 * 1.2 / 0.8, waits


async def test_retry_after_pushes_the_next_attempt_at_least_an_hour_away(
    api: Api, member: Person, receiver: Receiver, dispatcher: Dispatcher, clock: Clock
) -> None:
    # given a receiver that answers 503 with Retry-After: 3600, then 200
    receiver.responses = [failing(503, **{"Retry-After": "3600"})]
    hook = await create_webhook(api, member, receiver.url)

    # when the first attempt fails
    assert await dispatcher.run_once() == 1
    delivery = await only_delivery(api, member, hook)

    # then the next attempt is at least an hour away, and nothing is sent before it
    wait = parse_time(delivery["nextAttemptAt"]) - clock.now
    assert wait >= timedelta(hours=1)
    clock.advance(minutes=59)
    assert await dispatcher.run_once() == 0
    clock.advance(minutes=1, seconds=1)
    assert await dispatcher.run_once() == 1
    assert (await only_delivery(api, member, hook))["status"] == "DELIVERED"


@pytest.mark.parametrize("status", [302, 307])
async def test_a_redirect_is_not_followed_and_counts_as_a_failure(
    api: Api, member: Person, receiver: Receiver, dispatcher: Dispatcher, status: int
) -> None:
    # given a receiver that redirects to itself (307 would repeat the POST)
    receiver.responses = [failing(status, Location=receiver.url)]
    hook = await create_webhook(api, member, receiver.url)

    # when the event is sent
    await deliver_all(dispatcher)

    # then the receiver was called once, and the attempt failed with the redirect's status
    assert len(receiver.requests) == 1
    delivery = await only_delivery(api, member, hook)
    assert delivery["status"] == "PENDING"
    [attempt] = delivery["attempts"]
    assert attempt["succeeded"] is False
    assert attempt["responseStatus"] == status
    assert attempt["error"] == f"The receiver answered {status}."


# --- giving up ----------------------------------------------------------------------------------


async def test_a_webhook_that_keeps_failing_is_disabled_and_its_owner_told(
    api: Api,
    member: Person,
    receiver: Receiver,
    dispatcher: Dispatcher,
    clock: Clock,
    smtp: SmtpServer,
) -> None:
    # given a receiver that always answers 500
    receiver.responses = [failing(500) for _ in range(MAX_ATTEMPTS + 1)]
    hook = await create_webhook(api, member, receiver.url)

    # when the event has been tried MAX_ATTEMPTS times
    assert await dispatcher.run_once() == 1
    for _ in range(MAX_ATTEMPTS - 1):
        await retry_when_due(api, member, hook, clock, dispatcher)
    clock.advance(days=30)
    await deliver_all(dispatcher)  # the owner's e-mail; the dead event is not tried again

    # then the delivery is dead after exactly MAX_ATTEMPTS calls, all with one webhook-id
    assert len(receiver.requests) == MAX_ATTEMPTS
    assert len({request.webhook_id for request in received(receiver)}) == 1
    log = await webhook_log(api, member, hook)
    [delivery] = log["deliveries"]["nodes"]
    assert delivery["status"] == "DEAD"
    assert delivery["attemptCount"] == MAX_ATTEMPTS
    assert len(delivery["attempts"]) == MAX_ATTEMPTS
    assert delivery["nextAttemptAt"] is None
    assert delivery["lastError"] == "The receiver answered 500."

    # and the webhook is inactive, and its owner was e-mailed
    assert log["active"] is False
    assert log["consecutiveFailures"] == MAX_ATTEMPTS
    assert member.user is not None
    [mail] = smtp.mailbox.to(member.user.email)
    assert mail["Subject"] == "Your webhook was disabled"
    plain = mail.get_body(preferencelist=("plain",))
    assert plain is not None
    text = plain.get_content()
    assert receiver.url in text
    assert "The receiver answered 500." in text


async def test_a_disabled_webhook_gets_no_events_until_reactivated(
    api: Api,
    owner: Person,
    member: Person,
    company: Company,
    receiver: Receiver,
    dispatcher: Dispatcher,
    clock: Clock,
) -> None:
    # given the member's webhook, disabled after its event died, on a category they follow
    receiver.responses = [failing(500) for _ in range(MAX_ATTEMPTS)]
    hook = await create_webhook(api, member, receiver.url)
    category = await make_category(owner, company)
    await follow_category(member, category)
    assert await dispatcher.run_once() == 1
    for _ in range(MAX_ATTEMPTS - 1):
        await retry_when_due(api, member, hook, clock, dispatcher)
    await deliver_all(dispatcher)
    assert (await webhook_log(api, member, hook))["active"] is False
    receiver.requests.clear()

    # when an issue is created in the category
    await api.data(CREATE_ISSUE, {"categoryId": gid("Category", category), "name": "A"}, as_=owner)
    await deliver_all(dispatcher)

    # then the disabled webhook is not called, and no delivery is even recorded for it
    assert receiver.requests == []
    assert len((await webhook_log(api, member, hook))["deliveries"]["nodes"]) == 1

    # when the owner re-activates it and another issue is created
    data = await api.data(UPDATE_WEBHOOK, {"id": hook.id, "active": True}, as_=member)
    await api.data(CREATE_ISSUE, {"categoryId": gid("Category", category), "name": "B"}, as_=owner)
    await deliver_all(dispatcher)

    # then it is active again, its failures forgotten, and the new event arrives
    assert data["updateWebhook"] == {
        "webhook": {"active": True, "consecutiveFailures": 0},
        "errors": [],
    }
    [request] = received(receiver)
    assert request.type == "issue_created"
    assert request.data["issue"]["name"] == "B"
    assert request.signed_with(hook.secret)


async def test_a_disabled_webhook_is_not_told_of_new_webhooks(
    api: Api, member: Person, receiver: Receiver, dispatcher: Dispatcher
) -> None:
    # given a webhook its owner switched off
    off = await create_webhook(api, member, receiver.url)
    await deliver_all(dispatcher)
    await api.data(UPDATE_WEBHOOK, {"id": off.id, "active": False}, as_=member)
    receiver.requests.clear()

    # when the owner creates another webhook
    new = await create_webhook(api, member, f"{receiver.url}?new")
    await deliver_all(dispatcher)

    # then only the new one hears of it
    [request] = received(receiver)
    assert request.signed_with(new.secret)
    assert not request.signed_with(off.secret)


# --- where a webhook may point, checked when it is called ----------------------------------------


async def test_a_url_no_longer_allowed_is_refused_when_sent(
    api: Api,
    member: Person,
    receiver: Receiver,
    dispatcher: Dispatcher,
    settings: Settings,
    clock: Clock,
) -> None:
    # given a webhook saved while its loopback host:port was allowed
    hook = await create_webhook(api, member, receiver.url)

    # when a dispatcher built from settings that no longer allow it sends the event
    strict = Dispatcher(settings.model_copy(update={"webhook_allowed_hosts": []}), clock=clock)
    try:
        assert await strict.run_once() == 1
    finally:
        await strict.close()

    # then nothing reached the receiver, and the refused attempt is recorded
    assert receiver.requests == []
    delivery = await only_delivery(api, member, hook)
    assert delivery["status"] == "PENDING"
    [attempt] = delivery["attempts"]
    assert attempt["succeeded"] is False
    assert attempt["responseStatus"] is None
    assert PRIVATE_ADDRESS in attempt["error"]

    # and a dispatcher that allows it again delivers it when due
    await retry_when_due(api, member, hook, clock, dispatcher)
    assert len(receiver.requests) == 1


@pytest.mark.parametrize("host", ["[64:ff9b::7f00:1]", "[2002:7f00:1::]", "[::ffff:0:7f00:1]"])
async def test_an_ipv6_url_that_embeds_a_loopback_address_is_refused_when_sent(
    api: Api, member: Person, receiver: Receiver, dispatcher: Dispatcher, host: str
) -> None:
    # given a webhook whose URL leads, through NAT64, 6to4 or translation, to 127.0.0.1 (saved
    # before the check knew those forms)
    hook = await create_webhook(api, member, receiver.url)
    await Webhook.filter(id=hook.database_id).update(url=f"http://{host}:{receiver.port}/hook")

    # when its event is sent
    assert await dispatcher.run_once() == 1

    # then it is refused before any connection, as any private address is
    assert receiver.requests == []
    [attempt] = (await only_delivery(api, member, hook))["attempts"]
    assert attempt["error"] == f"UnsafeUrl: {PRIVATE_ADDRESS}"


# --- several events for one webhook -------------------------------------------------------------

UPDATE_WEBHOOK_URL = """
mutation ($id: ID!, $url: String!) {
  updateWebhook(input: {id: $id, url: $url}) { webhook { url } errors { code } }
}
"""


async def test_failures_of_several_events_in_one_round_are_all_counted(
    api: Api,
    owner: Person,
    member: Person,
    company: Company,
    receiver: Receiver,
    dispatcher: Dispatcher,
) -> None:
    # given two events waiting for one webhook, and a receiver that answers 500 to both
    receiver.responses = [failing(500), failing(500)]
    hook = await create_webhook(api, member, receiver.url)
    assert member.user is not None
    category = await make_category(owner, company)
    variables = {"id": gid("Category", category), "email": member.user.email}
    await api.data(SUBSCRIBE_TO_CATEGORY, variables)

    # when one dispatch round tries both
    await deliver_all(dispatcher)

    # then both failures are counted
    assert len(receiver.requests) == 2
    assert (await webhook_log(api, member, hook))["consecutiveFailures"] == 2


async def test_the_owner_is_told_once_when_several_events_die_together(
    api: Api,
    owner: Person,
    member: Person,
    company: Company,
    receiver: Receiver,
    dispatcher: Dispatcher,
    clock: Clock,
    smtp: SmtpServer,
) -> None:
    # given two events for one webhook whose receiver always answers 500
    receiver.responses = [failing(500) for _ in range(2 * MAX_ATTEMPTS)]
    await create_webhook(api, member, receiver.url)
    assert member.user is not None
    category = await make_category(owner, company)
    variables = {"id": gid("Category", category), "email": member.user.email}
    await api.data(SUBSCRIBE_TO_CATEGORY, variables)

    # when the dispatcher only comes round every eight hours, so both are tried together
    for _ in range(MAX_ATTEMPTS):
        await deliver_all(dispatcher)
        clock.advance(hours=8)
    await deliver_all(dispatcher)

    # then both died, and the owner got one e-mail about the disabled webhook
    assert len(receiver.requests) == 2 * MAX_ATTEMPTS
    disabled = [
        mail
        for mail in smtp.mailbox.to(member.user.email)
        if mail["Subject"] == "Your webhook was disabled"
    ]
    assert len(disabled) == 1


async def test_a_failed_delivery_is_retried_at_the_webhooks_new_url(
    api: Api, member: Person, receiver: Receiver, dispatcher: Dispatcher, clock: Clock
) -> None:
    # given a webhook saved with a wrong path, whose creation event failed (404)
    wrong = f"http://127.0.0.1:{receiver.port}/wrong"
    hook = await create_webhook(api, member, wrong)
    assert await dispatcher.run_once() == 1
    [attempt] = (await only_delivery(api, member, hook))["attempts"]
    assert attempt["responseStatus"] == 404

    # when the owner corrects the url and the event is tried again
    data = await api.data(UPDATE_WEBHOOK_URL, {"id": hook.id, "url": receiver.url}, as_=member)
    await retry_when_due(api, member, hook, clock, dispatcher)

    # then it reaches the corrected url
    assert data["updateWebhook"]["errors"] == []
    assert event_types(receiver, hook.secret) == ["webhook_created"]
