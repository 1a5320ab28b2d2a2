"""An issue's own `webhook_url` (the Kinetic field) hears the issue's events signed as Standard
Webhooks, with a secret of the issue's own: shown on the issue (Kinetic's `webhook_secret`,
GraphQL's `webhookSecret`) to those taking part in it, and to no one else.

As every webhook delivery test: through the app over HTTP, a real receiver on loopback and a
dispatcher driven by a test clock (no sleeps)."""

from typing import Any

import pytest
from aiohttp.test_utils import TestClient
from standardwebhooks.webhooks import Webhook as StandardWebhook
from standardwebhooks.webhooks import WebhookVerificationError

from issuetracker.models import Company
from issuetracker.notifications.dispatcher import Dispatcher

from ..kinetic.helpers import ISSUE, create, get
from ..support import Api, Person, gid, make_category
from .conftest import Receiver, deliver_all
from .webhook_helpers import is_base64, received

ISSUE_WEBHOOK = """
query ($guid: UUID!) { issue(guid: $guid) { webhookUrl webhookSecret } }
"""


async def _seen_by(client: TestClient, api: Api, guid: str, viewer: Person) -> dict[str, Any]:
    """The issue's webhook URL and secret as each face shows them to `viewer`."""
    kinetic = (await get(client, ISSUE.format(guid), as_=viewer)).body
    graphql = (await api.data(ISSUE_WEBHOOK, {"guid": guid}, as_=viewer))["issue"]
    return {
        "kinetic": (kinetic["webhook_url"], kinetic["webhook_secret"]),
        "graphql": (graphql["webhookUrl"], graphql["webhookSecret"]),
    }


async def test_a_delivery_to_the_issues_webhook_url_verifies_with_the_issues_secret(
    client: TestClient, owner: Person, receiver: Receiver, dispatcher: Dispatcher
) -> None:
    # given an issue created over Kinetic with a webhook URL, whose answer shows its secret
    issue = await create(client, owner, name="Printers", webhook_url=receiver.url)
    secret = issue["webhook_secret"]
    assert secret.startswith("whsec_")
    assert is_base64(secret.removeprefix("whsec_"))

    # when its creation event is sent
    await deliver_all(dispatcher)

    # then it carries Standard Webhooks headers, and verifies with that secret
    [request] = received(receiver)
    assert request.webhook_id is not None
    assert request.header("webhook-timestamp") is not None
    verified = StandardWebhook(secret).verify(request.body, request.headers)
    assert verified["type"] == "issue_created"
    assert verified["data"]["issue"]["guid"] == issue["guid"]


async def test_each_issue_signs_with_a_secret_of_its_own(
    client: TestClient, owner: Person, receiver: Receiver, dispatcher: Dispatcher
) -> None:
    # given two issues calling the same receiver
    first = await create(client, owner, name="First", webhook_url=receiver.url)
    second = await create(client, owner, name="Second", webhook_url=receiver.url)
    assert first["webhook_secret"] != second["webhook_secret"]

    # when their events are sent
    await deliver_all(dispatcher)

    # then each delivery verifies with its own issue's secret, and not with the other's
    by_guid = {request.data["issue"]["guid"]: request for request in received(receiver)}
    for mine, other in ((first, second), (second, first)):
        request = by_guid[mine["guid"]]
        StandardWebhook(mine["webhook_secret"]).verify(request.body, request.headers)
        with pytest.raises(WebhookVerificationError):
            StandardWebhook(other["webhook_secret"]).verify(request.body, request.headers)


CREATE_HOOKED_ISSUE = """
mutation ($category: ID!, $owner: ID!, $url: String!) {
  createIssue(input: {name: "Hooked", description: "It broke.", categoryIds: [$category],
                      ownerId: $owner, webhookUrl: $url}) {
    issue { guid webhookSecret }
  }
}
"""


async def test_the_secret_is_shown_to_those_taking_part_only(
    client: TestClient,
    api: Api,
    owner: Person,
    admin: Person,
    member: Person,
    outsider: Person,
    company: Company,
    receiver: Receiver,
) -> None:
    # given an issue with a webhook URL in a public category, which the member created for the
    # owner (both take part); the admin and the outsider see it without taking part
    category = await make_category(member, company)
    variables = {
        "category": gid("Category", category),
        "owner": owner.global_id,
        "url": receiver.url,
    }
    issue = (await api.data(CREATE_HOOKED_ISSUE, variables, as_=member))["createIssue"]["issue"]
    secret = issue["webhookSecret"]
    assert secret.startswith("whsec_")

    # then those taking part see the URL and the secret on both faces; the others do not
    shown = (receiver.url, secret)
    for viewer in (member, owner):
        seen = await _seen_by(client, api, issue["guid"], viewer)
        assert seen == {"kinetic": shown, "graphql": shown}
    for viewer in (admin, outsider):
        hidden = await _seen_by(client, api, issue["guid"], viewer)
        assert hidden == {"kinetic": ("", None), "graphql": (None, None)}
