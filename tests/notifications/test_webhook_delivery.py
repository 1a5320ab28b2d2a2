"""Webhook delivery: which events reach a user's webhooks, how they are signed (Standard Webhooks),
how failures are retried, recorded, given up on and redelivered, and where a webhook may point
when it is called. Everything goes through the app over HTTP, a real receiver on loopback and a
dispatcher driven by a test clock (no sleeps)."""

import re
from datetime import timedelta
from itertools import pairwise

import pytest
from aiohttp.test_utils import TestClient
from standardwebhooks.webhooks import Webhook as StandardWebhook
from standardwebhooks.webhooks import WebhookVerificationError
from yarl import URL

from issuetracker.models import Subscription
from issuetracker.notifications.dispatcher import MAX_ATTEMPTS, Dispatcher
from issuetracker.schema.relay import to_global_id
from issuetracker.settings import Settings

from ..support import Api, Person, error_codes, gid, make_category, make_issue
from .conftest import Clock, Receiver, SmtpServer, deliver_all
from .webhook_helpers import (
    create_rest_webhook,
    create_webhook,
    event_types,
    failing,
    follow_category,
    follow_issue,
    is_base64,
    only_delivery,
    parse_time,
    received,
    retry_when_due,
    settle,
    webhook_log,
)

SUBSCRIBE_TO_CATEGORY = """
mutation ($id: ID!, $email: String!) {
  subscribeToCategory(input: {categoryId: $id, email: $email}) { created errors { code } }
}
"""

SUBSCRIBE_TO_ISSUE = """
mutation ($id: ID!, $email: String!) {
  subscribeToIssue(input: {issueId: $id, email: $email}) { created errors { code } }
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

UPDATE_ISSUE = """
mutation ($id: ID!, $description: String!) {
  updateIssue(input: {id: $id, description: $description}) { issue { id } errors { code } }
}
"""

CLOSE_ISSUE = """
mutation ($id: ID!) {
  closeIssue(input: {id: $id, description: "Fixed."}) { issue { id } errors { code } }
}
"""

UPDATE_WEBHOOK = """
mutation ($id: ID!, $active: Boolean!) {
  updateWebhook(input: {id: $id, active: $active}) {
    webhook { active consecutiveFailures }
    errors { code }
  }
}
"""

DELETE_WEBHOOK = """
mutation ($id: ID!) { deleteWebhook(input: {id: $id}) { webhook { id } errors { code } } }
"""

REDELIVER = """
mutation ($id: ID!) {
  redeliverWebhookDelivery(input: {id: $id}) {
    delivery { webhookMessageId status }
    errors { code }
  }
}
"""

SIGNATURE = re.compile(r"^v1,(?P<digest>[A-Za-z0-9+/]+=*)$")
CONFIRM_LINK = re.compile(r"^http://testserver/subscriptions/(?P<id>\d+)/confirm\?expires=\d+&")
PRIVATE_ADDRESS = "The url points at a private, loopback or link-local address."


# --- the body and its signature -----------------------------------------------------------------


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


# --- webhook_created and webhook_deleted --------------------------------------------------------


async def test_a_new_webhook_is_announced_to_every_webhook_of_its_owner(
    api: Api, member: Person, outsider: Person, receiver: Receiver, dispatcher: Dispatcher
) -> None:
    # given the member's first webhook, and a webhook of someone else
    first = await create_webhook(api, member, receiver.url)
    strangers = await create_webhook(api, outsider, receiver.url)
    await settle(dispatcher, receiver)

    # when the member adds a second webhook
    second = await create_webhook(api, member, f"{receiver.url}?second")
    await deliver_all(dispatcher)

    # then both of the member's webhooks hear of it, and the stranger's does not
    assert event_types(receiver, first.secret) == ["webhook_created"]
    assert event_types(receiver, second.secret) == ["webhook_created"]
    assert event_types(receiver, strangers.secret) == []
    assert {request.data["webhook"]["id"] for request in received(receiver)} == {second.database_id}


async def test_a_deleted_webhook_is_announced_to_the_remaining_ones(
    client: TestClient, member: Person, receiver: Receiver, dispatcher: Dispatcher
) -> None:
    # given two webhooks of the member, their creation already delivered
    kept = await create_rest_webhook(client, member, receiver.url)
    gone = await create_rest_webhook(client, member, f"{receiver.url}?gone")
    await settle(dispatcher, receiver)

    # when one is deleted over REST
    response = await client.delete(f"/api/webhooks/{gone.database_id}", headers=member.headers)
    await deliver_all(dispatcher)

    # then the remaining one hears of it, and the deleted one hears nothing more
    assert response.status == 204
    [request] = received(receiver)
    assert request.signed_with(kept.secret)
    assert request.type == "webhook_deleted"
    assert request.data["webhook"] == {
        "id": gone.database_id,
        "url": f"{receiver.url}?gone",
        "description": None,
    }


async def test_deleting_the_last_webhook_sends_nothing(
    api: Api, member: Person, receiver: Receiver, dispatcher: Dispatcher
) -> None:
    # given a single webhook
    hook = await create_webhook(api, member, receiver.url)
    await settle(dispatcher, receiver)

    # when it is deleted over GraphQL
    data = await api.data(DELETE_WEBHOOK, {"id": hook.id}, as_=member)

    # then nobody is left to tell
    assert data["deleteWebhook"]["errors"] == []
    assert await deliver_all(dispatcher) == 0
    assert receiver.requests == []


# --- subscription confirmations -----------------------------------------------------------------


async def test_subscribing_the_owners_address_to_a_category_sends_a_confirmation_link(
    api: Api,
    client: TestClient,
    owner: Person,
    member: Person,
    company,
    receiver: Receiver,
    dispatcher: Dispatcher,
) -> None:
    # given the member's webhook and a category
    hook = await create_webhook(api, member, receiver.url)
    category = await make_category(owner, company, "Network")
    await settle(dispatcher, receiver)

    # when the member's address is subscribed to the category
    assert member.user is not None
    variables = {"id": gid("Category", category), "email": member.user.email}
    subscribed = await api.data(SUBSCRIBE_TO_CATEGORY, variables)
    await deliver_all(dispatcher)

    # then the webhook gets the confirmation event with a signed link to confirm
    assert subscribed["subscribeToCategory"] == {"created": True, "errors": []}
    [request] = received(receiver)
    assert request.signed_with(hook.secret)
    assert request.type == "category_subscription_confirmation"
    subscription = await Subscription.get(email=member.user.email, category_id=category.id)
    assert request.data["subscription"] == {
        "id": subscription.id,
        "category": {"id": category.id, "name": "Network"},
    }
    link = request.data["confirmation_url"]
    assert CONFIRM_LINK.match(link)["id"] == str(subscription.id)
    assert "signature=" in link

    # and following the link's page (POST) confirms the subscription
    page = await client.post(URL(link).path_qs)
    assert page.status == 200
    assert "Your subscription is confirmed" in await page.text()
    await subscription.refresh_from_db()
    assert subscription.confirmed_at is not None


async def test_a_tampered_confirmation_link_is_refused(
    api: Api,
    client: TestClient,
    owner: Person,
    member: Person,
    company,
    receiver: Receiver,
    dispatcher: Dispatcher,
) -> None:
    # given a confirmation link sent to the member's webhook
    await create_webhook(api, member, receiver.url)
    category = await make_category(owner, company)
    assert member.user is not None
    variables = {"id": gid("Category", category), "email": member.user.email}
    await api.data(SUBSCRIBE_TO_CATEGORY, variables)
    await deliver_all(dispatcher)
    [link] = [
        request.data["confirmation_url"]
        for request in received(receiver)
        if request.type == "category_subscription_confirmation"
    ]

    # when the link is posted with another subscription id
    subscription = await Subscription.get(category_id=category.id)
    forged = URL(link).path_qs.replace(
        f"/subscriptions/{subscription.id}/", f"/subscriptions/{subscription.id + 1}/"
    )
    page = await client.post(forged)

    # then it is refused and nothing is confirmed
    assert page.status == 403
    await subscription.refresh_from_db()
    assert subscription.confirmed_at is None


async def test_subscribing_the_owners_address_to_an_issue_sends_a_confirmation_link(
    api: Api,
    owner: Person,
    member: Person,
    company,
    receiver: Receiver,
    dispatcher: Dispatcher,
) -> None:
    # given the member's webhook and an open issue
    hook = await create_webhook(api, member, receiver.url)
    issue = await make_issue(owner, await make_category(owner, company), name="Login fails")
    await settle(dispatcher, receiver)

    # when the member's address (in another case) is subscribed to the issue
    assert member.user is not None
    variables = {"id": gid("Issue", issue), "email": member.user.email.upper()}
    subscribed = await api.data(SUBSCRIBE_TO_ISSUE, variables)
    await deliver_all(dispatcher)

    # then the webhook gets the issue confirmation event with a signed link
    assert subscribed["subscribeToIssue"] == {"created": True, "errors": []}
    [request] = received(receiver)
    assert request.signed_with(hook.secret)
    assert request.type == "issue_subscription_confirmation"
    subscription = await Subscription.get(issue_id=issue.id)
    assert request.data["subscription"] == {
        "id": subscription.id,
        "issue": {"id": issue.id, "name": "Login fails"},
    }
    assert CONFIRM_LINK.match(request.data["confirmation_url"])["id"] == str(subscription.id)


async def test_subscribing_another_address_sends_nothing_to_the_webhooks(
    api: Api,
    owner: Person,
    member: Person,
    company,
    receiver: Receiver,
    dispatcher: Dispatcher,
) -> None:
    # given the member's webhook, a category and an issue
    await create_webhook(api, member, receiver.url)
    category = await make_category(owner, company)
    issue = await make_issue(owner, category)
    await settle(dispatcher, receiver)

    # when somebody else's address subscribes to both
    stranger = {"email": "someone.else@example.com"}
    await api.data(SUBSCRIBE_TO_CATEGORY, {"id": gid("Category", category), **stranger})
    await api.data(SUBSCRIBE_TO_ISSUE, {"id": gid("Issue", issue), **stranger})
    sent = await deliver_all(dispatcher)

    # then only the two confirmation e-mails are sent; no webhook is called
    assert sent == 2
    assert receiver.requests == []


# --- issue events -------------------------------------------------------------------------------


async def test_a_new_issue_in_a_followed_category_reaches_the_webhook(
    api: Api,
    owner: Person,
    member: Person,
    company,
    receiver: Receiver,
    dispatcher: Dispatcher,
) -> None:
    # given the member's webhook and a category the member follows
    hook = await create_webhook(api, member, receiver.url)
    category = await make_category(owner, company, "Network")
    await follow_category(member, category)
    await settle(dispatcher, receiver)

    # when an issue is created in it
    created = await api.data(
        CREATE_ISSUE, {"categoryId": gid("Category", category), "name": "VPN down"}, as_=owner
    )
    await deliver_all(dispatcher)

    # then the webhook gets `issue_created` with the issue and its first event
    [request] = received(receiver)
    assert request.signed_with(hook.secret)
    assert request.type == "issue_created"
    issue = request.data["issue"]
    assert to_global_id("Issue", issue["id"]) == created["createIssue"]["issue"]["id"]
    assert issue["name"] == "VPN down"
    assert issue["severity"] == "critical"
    assert issue["status"] == "open"
    assert request.data["event"]["description"] == "It broke."


async def test_a_new_issue_in_a_category_nobody_follows_sends_nothing(
    api: Api,
    owner: Person,
    member: Person,
    company,
    receiver: Receiver,
    dispatcher: Dispatcher,
) -> None:
    # given the member's webhook, following one category but not another
    await create_webhook(api, member, receiver.url)
    followed = await make_category(owner, company)
    other = await make_category(owner, company)
    await follow_category(member, followed)
    await settle(dispatcher, receiver)

    # when an issue is created in the other category
    await api.data(CREATE_ISSUE, {"categoryId": gid("Category", other), "name": "X"}, as_=owner)

    # then nothing is sent
    assert await deliver_all(dispatcher) == 0
    assert receiver.requests == []


async def test_an_unconfirmed_subscription_brings_no_issue_events(
    api: Api,
    owner: Person,
    member: Person,
    company,
    receiver: Receiver,
    dispatcher: Dispatcher,
) -> None:
    # given the member's address subscribed to a category but never confirmed
    await create_webhook(api, member, receiver.url)
    category = await make_category(owner, company)
    assert member.user is not None
    variables = {"id": gid("Category", category), "email": member.user.email}
    await api.data(SUBSCRIBE_TO_CATEGORY, variables)
    await settle(dispatcher, receiver)

    # when an issue is created there
    await api.data(CREATE_ISSUE, {"categoryId": gid("Category", category), "name": "X"}, as_=owner)
    await deliver_all(dispatcher)

    # then the webhook hears nothing
    assert receiver.requests == []


async def test_a_confirmed_link_starts_the_issue_events(
    api: Api,
    client: TestClient,
    owner: Person,
    member: Person,
    company,
    receiver: Receiver,
    dispatcher: Dispatcher,
) -> None:
    # given the member's address subscribed to a category, confirmed through the link's page
    await create_webhook(api, member, receiver.url)
    category = await make_category(owner, company)
    assert member.user is not None
    variables = {"id": gid("Category", category), "email": member.user.email}
    await api.data(SUBSCRIBE_TO_CATEGORY, variables)
    await deliver_all(dispatcher)
    [link] = [
        r.data["confirmation_url"] for r in received(receiver) if "confirmation_url" in r.data
    ]
    assert (await client.post(URL(link).path_qs)).status == 200
    receiver.requests.clear()

    # when an issue is created there
    await api.data(CREATE_ISSUE, {"categoryId": gid("Category", category), "name": "Y"}, as_=owner)
    await deliver_all(dispatcher)

    # then the webhook hears of it
    assert event_types(receiver) == ["issue_created"]


async def test_updating_and_closing_a_followed_issue_reach_the_webhook(
    api: Api,
    owner: Person,
    member: Person,
    company,
    receiver: Receiver,
    dispatcher: Dispatcher,
) -> None:
    # given an issue the member follows directly (not its category)
    hook = await create_webhook(api, member, receiver.url)
    issue = await make_issue(owner, await make_category(owner, company), name="Disk full")
    await follow_issue(member, issue)
    await settle(dispatcher, receiver)

    # when the issue is updated, then closed
    await api.data(UPDATE_ISSUE, {"id": gid("Issue", issue), "description": "Cleaning."}, as_=owner)
    await api.data(CLOSE_ISSUE, {"id": gid("Issue", issue)}, as_=owner)
    await deliver_all(dispatcher)

    # then the webhook gets `issue_updated` then `issue_closed`
    requests = sorted(received(receiver), key=lambda request: request.json["timestamp"])
    assert [request.type for request in requests] == ["issue_updated", "issue_closed"]
    assert all(request.signed_with(hook.secret) for request in requests)
    updated, closed = requests
    assert updated.data["issue"]["id"] == issue.id
    assert updated.data["event"]["description"] == "Cleaning."
    assert closed.data["issue"]["status"] == "closed"
    assert closed.data["issue"]["conclusion"] == "Fixed."
    assert closed.data["issue"]["closed_at"] is not None


async def test_updates_of_an_issue_in_a_followed_category_reach_the_webhook(
    api: Api,
    owner: Person,
    member: Person,
    company,
    receiver: Receiver,
    dispatcher: Dispatcher,
) -> None:
    # given an issue in a category the member follows
    await create_webhook(api, member, receiver.url)
    category = await make_category(owner, company)
    issue = await make_issue(owner, category)
    await follow_category(member, category)
    await settle(dispatcher, receiver)

    # when the issue is closed
    await api.data(CLOSE_ISSUE, {"id": gid("Issue", issue)}, as_=owner)
    await deliver_all(dispatcher)

    # then the webhook gets `issue_closed`
    assert event_types(receiver) == ["issue_closed"]


async def test_changes_to_an_issue_nobody_follows_send_nothing(
    api: Api,
    owner: Person,
    member: Person,
    company,
    receiver: Receiver,
    dispatcher: Dispatcher,
) -> None:
    # given the member follows one issue, and another issue in the same category
    await create_webhook(api, member, receiver.url)
    category = await make_category(owner, company)
    await follow_issue(member, await make_issue(owner, category))
    other = await make_issue(owner, category)
    await settle(dispatcher, receiver)

    # when the other issue is updated and closed
    await api.data(UPDATE_ISSUE, {"id": gid("Issue", other), "description": "More."}, as_=owner)
    await api.data(CLOSE_ISSUE, {"id": gid("Issue", other)}, as_=owner)

    # then nothing is sent
    assert await deliver_all(dispatcher) == 0
    assert receiver.requests == []


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


# --- the delivery log and redelivery ------------------------------------------------------------


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
    assert redeliver["data"] is None
    assert error_codes(log) == ["NOT_FOUND"]
    assert await deliver_all(dispatcher) == 0
    assert len(receiver.requests) == 1


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
    text = mail.get_body(preferencelist=("plain",)).get_content()
    assert receiver.url in text
    assert "The receiver answered 500." in text


async def test_a_disabled_webhook_gets_no_events_until_reactivated(
    api: Api,
    owner: Person,
    member: Person,
    company,
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
    company,
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
    company,
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
