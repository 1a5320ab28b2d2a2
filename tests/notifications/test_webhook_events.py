"""Which events reach a user's webhooks: webhook_created and webhook_deleted, the confirmation
links of subscriptions to the owner's address, and the issue events of followed issues and
categories, once confirmed.

As every webhook delivery test: through the app over HTTP, a real receiver on loopback and a
dispatcher driven by a test clock (no sleeps)."""

import re

from aiohttp.test_utils import TestClient
from yarl import URL

from issuetracker.models import Company, Subscription
from issuetracker.notifications.dispatcher import Dispatcher
from issuetracker.schema.relay import to_global_id

from ..support import Api, Person, gid, make_category, make_issue
from .conftest import Receiver, deliver_all
from .webhook_helpers import (
    CREATE_ISSUE,
    SUBSCRIBE_TO_CATEGORY,
    create_rest_webhook,
    create_webhook,
    event_types,
    follow_category,
    follow_issue,
    received,
    settle,
)

SUBSCRIBE_TO_ISSUE = """
mutation ($id: ID!, $email: String!) {
  subscribeToIssue(input: {issueId: $id, email: $email}) { created errors { code } }
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

DELETE_WEBHOOK = """
mutation ($id: ID!) { deleteWebhook(input: {id: $id}) { webhook { id } errors { code } } }
"""

CONFIRM_LINK = re.compile(r"^http://testserver/subscriptions/(?P<id>\d+)/confirm\?expires=\d+&")


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
    company: Company,
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
    confirmation = CONFIRM_LINK.match(link)
    assert confirmation is not None
    assert confirmation["id"] == str(subscription.id)
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
    company: Company,
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
    company: Company,
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
    confirmation = CONFIRM_LINK.match(request.data["confirmation_url"])
    assert confirmation is not None
    assert confirmation["id"] == str(subscription.id)


async def test_subscribing_another_address_sends_nothing_to_the_webhooks(
    api: Api,
    owner: Person,
    member: Person,
    company: Company,
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
    company: Company,
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
    company: Company,
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
    company: Company,
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
    company: Company,
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
    company: Company,
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
    company: Company,
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
    company: Company,
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
