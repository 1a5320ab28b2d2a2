"""Helpers for e-mail subscription tests: subscribing over GraphQL, reading the e-mails the SMTP
server received, and following their signed links over HTTP as a mail client would."""

import json
from email.message import EmailMessage
from typing import Any
from urllib.parse import parse_qsl, urlencode, urlsplit

from aiohttp import ClientResponse
from aiohttp.test_utils import TestClient
from aiosmtpd.smtp import Envelope

from issuetracker.models import Category, Issue
from issuetracker.notifications.dispatcher import Dispatcher

from ..support import Api, gid
from .conftest import Mailbox, SmtpServer, deliver_all, links_in

SUBSCRIBE_TO_ISSUE = """
mutation ($id: ID!, $email: String!) {
  subscribeToIssue(input: {issueId: $id, email: $email}) { created errors { field message code } }
}
"""

SUBSCRIBE_TO_CATEGORY = """
mutation ($id: ID!, $email: String!) {
  subscribeToCategory(input: {categoryId: $id, email: $email}) {
    created errors { field message code }
  }
}
"""

SUBSCRIBER_COUNT = """
query ($id: Int!) { issue(databaseId: $id) { subscriberCount } }
"""


class RawMailbox(Mailbox):
    """A mailbox that also keeps each message's bytes as they came over SMTP."""

    def __init__(self) -> None:
        super().__init__()
        self.raw: list[bytes] = []

    async def handle_DATA(self, server: object, session: object, envelope: Envelope) -> str:
        assert isinstance(envelope.content, bytes)
        self.raw.append(envelope.content)
        return await super().handle_DATA(server, session, envelope)


CONFIRM_SUBJECT = "Confirm your subscription to {}"

ISSUE_SUBSCRIPTIONS = "/api/issues/{}/subscriptions"

CATEGORY_SUBSCRIPTIONS = "/api/categories/{}/subscriptions"

ADD_ISSUE_EVENT = """
mutation ($input: AddIssueEventInput!) { addIssueEvent(input: $input) { errors { code } } }
"""

CLOSE_ISSUE = """
mutation ($input: CloseIssueInput!) { closeIssue(input: $input) { errors { code } } }
"""

ADDRESS = "reader@example.com"


async def subscribe(api: Api, target: Issue | Category, email: str) -> dict[str, Any]:
    """Anonymous GraphQL subscription to an issue or a category; the payload."""
    if isinstance(target, Issue):
        data = await api.data(SUBSCRIBE_TO_ISSUE, {"id": gid("Issue", target), "email": email})
        return data["subscribeToIssue"]
    data = await api.data(SUBSCRIBE_TO_CATEGORY, {"id": gid("Category", target), "email": email})
    return data["subscribeToCategory"]


async def subscriber_count(api: Api, issue: Issue) -> int:
    data = await api.data(SUBSCRIBER_COUNT, {"id": issue.id})
    return data["issue"]["subscriberCount"]


def link_for(message: EmailMessage, action: str) -> str:
    """The one link of the e-mail's text part that confirms or unsubscribes."""
    found = [link for link in links_in(message) if urlsplit(link).path.endswith(f"/{action}")]
    assert len(found) == 1, links_in(message)
    return found[0]


def path_of(link: str) -> str:
    """The path and query of an absolute link, to request it from the test server."""
    parts = urlsplit(link)
    return f"{parts.path}?{parts.query}"


def with_query(link: str, **changes: str) -> str:
    """The link with some query parameters replaced."""
    parts = urlsplit(link)
    query = {**dict(parse_qsl(parts.query)), **changes}
    return parts._replace(query=urlencode(query)).geturl()


def query_of(link: str) -> dict[str, str]:
    return dict(parse_qsl(urlsplit(link).query))


def text_of(message: EmailMessage) -> str:
    part = message.get_body(preferencelist=("plain",))
    assert part is not None
    return part.get_content()


def html_of(message: EmailMessage) -> str:
    part = message.get_body(preferencelist=("html",))
    assert part is not None
    return part.get_content()


def with_subject(messages: list[EmailMessage], subject: str) -> list[EmailMessage]:
    return [message for message in messages if message["Subject"] == subject]


async def confirmation_link(
    mailbox: Mailbox, dispatcher: Dispatcher, email: str, target_name: str
) -> str:
    """Sends what is due, then the confirm link of the one confirmation e-mail to `email`."""
    await deliver_all(dispatcher)
    [message] = with_subject(mailbox.to(email), CONFIRM_SUBJECT.format(target_name))
    return link_for(message, "confirm")


async def subscribe_and_confirm(
    api: Api,
    client: TestClient,
    mailbox: Mailbox,
    dispatcher: Dispatcher,
    target: Issue | Category,
    email: str,
) -> None:
    """A confirmed subscriber: subscribed, then the button of the e-mailed link pressed."""
    assert (await subscribe(api, target, email))["created"] is True
    link = await confirmation_link(mailbox, dispatcher, email, target.name)
    response = await client.post(path_of(link))
    assert response.status == 200, await response.text()


def contains(body: Any, text: str) -> bool:
    """Whether `text` occurs anywhere in a JSON body, keys and values alike, in any case."""
    return text.lower() in json.dumps(body).lower()


async def assert_refused(response: ClientResponse, status: int, headline: str) -> None:
    """A signed link that was refused: a clear page, no button, and nothing changed."""
    page = await response.text()
    assert response.status == status
    assert response.content_type == "text/html"
    assert headline in page
    assert "Nothing was changed." in page
    assert "<form" not in page


def only_email_to(smtp: SmtpServer, address: str) -> EmailMessage:
    """The one e-mail the address received; fails when it got none or several."""
    received = smtp.mailbox.to(address)
    assert len(received) == 1, [message["Subject"] for message in received]
    return received[0]
