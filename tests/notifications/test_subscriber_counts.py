"""What the API shows of subscribers: a count of the confirmed ones, never an address."""

from aiohttp.test_utils import TestClient

from issuetracker.models import Company
from issuetracker.notifications.dispatcher import Dispatcher

from ..connectnow.helpers import get, post
from ..support import Api, Person, gid, make_category, make_issue
from .conftest import SmtpServer
from .mail_helpers import (
    ADDRESS,
    CATEGORY_SUBSCRIPTIONS,
    ISSUE_SUBSCRIPTIONS,
    contains,
    subscribe,
    subscribe_and_confirm,
    subscriber_count,
)

EVERYTHING_ABOUT_AN_ISSUE = """
query ($id: ID!) {
  issue(id: $id) {
    id databaseId guid name description severity status conclusion externalReferenceId
    closedAt createdAt updatedAt tags subscriberCount
    owner { name email }
    participants { name email }
    categories { nodes { id name company { name } } totalCount }
    events { nodes { kind description author { name email } } }
  }
  issues { nodes { id name subscriberCount } }
}
"""

EVERYTHING_ABOUT_A_CATEGORY = """
query ($id: ID!) {
  category(id: $id) {
    id databaseId name createdAt updatedAt company { name }
    issues { nodes { name subscriberCount } }
  }
  categories { nodes { id name } }
  node(id: $id) { id ... on Category { name } }
}
"""


async def test_subscriber_count_counts_confirmed_subscribers_only(
    api: Api,
    client: TestClient,
    owner: Person,
    company: Company,
    smtp: SmtpServer,
    dispatcher: Dispatcher,
) -> None:
    # given an issue with two confirmed subscribers and one pending
    issue = await make_issue(owner, await make_category(owner, company))
    await subscribe_and_confirm(api, client, smtp.mailbox, dispatcher, issue, "a@example.com")
    await subscribe_and_confirm(api, client, smtp.mailbox, dispatcher, issue, "b@example.com")
    await subscribe(api, issue, "pending@example.com")

    # when anyone reads the count
    count = await subscriber_count(api, issue)

    # then it is the confirmed ones
    assert count == 2


async def test_no_api_response_shows_a_subscriber_address(
    api: Api,
    client: TestClient,
    owner: Person,
    member: Person,
    company: Company,
    smtp: SmtpServer,
    dispatcher: Dispatcher,
) -> None:
    # given an address following an issue and its category, and another one pending
    category = await make_category(owner, company)
    issue = await make_issue(owner, category)
    await subscribe_and_confirm(api, client, smtp.mailbox, dispatcher, issue, ADDRESS)
    await subscribe_and_confirm(api, client, smtp.mailbox, dispatcher, category, ADDRESS)
    await subscribe(api, issue, "pending@example.com")
    issue_id, category_id = gid("Issue", issue), gid("Category", category)

    # when the owner, a member and anonymous read everything about the issue and the category
    replies = []
    for person in (owner, member, None):
        replies.append(await api.graphql(EVERYTHING_ABOUT_AN_ISSUE, {"id": issue_id}, as_=person))
        replies.append(
            await api.graphql(EVERYTHING_ABOUT_A_CATEGORY, {"id": category_id}, as_=person)
        )
        for url in (
            f"/api/issues/{issue.id}?with=categories.company,events",
            "/api/issues?with=categories,events",
            f"/api/categories/{category.id}",
            "/api/categories",
        ):
            replies.append((await get(client, url, as_=person)).body)
    subscribe_replies = [
        (await post(client, url.format(id_), json={"email": ADDRESS})).body
        for url, id_ in ((ISSUE_SUBSCRIPTIONS, issue.id), (CATEGORY_SUBSCRIPTIONS, category.id))
    ]

    # then the count is there, the addresses nowhere
    assert replies[0]["data"]["issue"]["subscriberCount"] == 1
    for reply in [*replies, *subscribe_replies]:
        assert "errors" not in reply, reply
        assert not contains(reply, ADDRESS), reply
        assert not contains(reply, "pending@example.com"), reply
        assert not contains(reply, "reader@"), reply
