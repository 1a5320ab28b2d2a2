"""E-mail subscriptions to issues and categories: asking for one over GraphQL and REST (anyone may,
for what they can see), the one confirmation e-mail, who hears about an issue afterwards, the
unsubscribe headers of every notification, addresses never shown, and the log without SMTP."""

import logging
from email.message import EmailMessage

import pytest
from aiohttp.test_utils import TestClient

from issuetracker.logs import JsonFormatter
from issuetracker.models import Category, Issue, Severity
from issuetracker.notifications.dispatcher import Dispatcher
from issuetracker.server import create_app
from issuetracker.settings import Settings

from ..rest.helpers import get, post
from ..support import Api, Person, error_codes, gid, make_category, make_issue
from .conftest import Clock, SmtpServer, deliver_all
from .mail_helpers import (
    CONFIRM_SUBJECT,
    SUBSCRIBE_TO_CATEGORY,
    SUBSCRIBE_TO_ISSUE,
    contains,
    html_of,
    link_for,
    path_of,
    subscribe,
    subscribe_and_confirm,
    subscriber_count,
    text_of,
)

ISSUE_SUBSCRIPTIONS = "/api/issues/{}/subscriptions"
CATEGORY_SUBSCRIPTIONS = "/api/categories/{}/subscriptions"

CREATE_ISSUE = """
mutation ($input: CreateIssueInput!) {
  createIssue(input: $input) { issue { databaseId } errors { code } }
}
"""

UPDATE_ISSUE = """
mutation ($input: UpdateIssueInput!) { updateIssue(input: $input) { errors { code } } }
"""

ADD_ISSUE_EVENT = """
mutation ($input: AddIssueEventInput!) { addIssueEvent(input: $input) { errors { code } } }
"""

CLOSE_ISSUE = """
mutation ($input: CloseIssueInput!) { closeIssue(input: $input) { errors { code } } }
"""

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

ADDRESS = "reader@example.com"


def only_email_to(smtp: SmtpServer, address: str) -> EmailMessage:
    """The one e-mail the address received; fails when it got none or several."""
    received = smtp.mailbox.to(address)
    assert len(received) == 1, [message["Subject"] for message in received]
    return received[0]


# --- asking for a subscription ------------------------------------------------------------------


@pytest.mark.parametrize("kind", ["issue", "category"])
async def test_anonymous_subscribes_over_graphql_and_gets_one_confirmation_email(
    api: Api, owner: Person, company, smtp: SmtpServer, dispatcher: Dispatcher, kind: str
) -> None:
    # given a public category with an issue in it
    category = await make_category(owner, company, "Network")
    issue = await make_issue(owner, category, name="Printer on fire")
    target: Issue | Category = issue if kind == "issue" else category

    # when someone without an account subscribes an address to it
    payload = await subscribe(api, target, ADDRESS)
    await deliver_all(dispatcher)

    # then the subscription is created and the address gets one confirmation e-mail
    assert payload == {"created": True, "errors": []}
    mail = only_email_to(smtp, ADDRESS)
    assert mail["Subject"] == CONFIRM_SUBJECT.format(target.name)
    assert link_for(mail, "confirm").startswith("http://testserver/subscriptions/")


@pytest.mark.parametrize("kind", ["issue", "category"])
async def test_anonymous_subscribes_over_rest_and_gets_201_and_one_confirmation_email(
    client: TestClient, owner: Person, company, smtp: SmtpServer, dispatcher: Dispatcher, kind: str
) -> None:
    # given a public category with an issue in it
    category = await make_category(owner, company, "Network")
    issue = await make_issue(owner, category, name="Printer on fire")
    target: Issue | Category = issue if kind == "issue" else category
    url = (ISSUE_SUBSCRIPTIONS if kind == "issue" else CATEGORY_SUBSCRIPTIONS).format(target.id)

    # when someone without an account posts an address
    reply = await post(client, url, json={"email": ADDRESS})
    await deliver_all(dispatcher)

    # then it is 201 Created and the address gets one confirmation e-mail
    assert reply.status == 201
    assert reply.body == {
        "message": "Subscription created. Follow the link in the e-mail to confirm it."
    }
    mail = only_email_to(smtp, ADDRESS)
    assert mail["Subject"] == CONFIRM_SUBJECT.format(target.name)


async def test_a_form_encoded_rest_subscription_is_accepted_too(
    client: TestClient, owner: Person, company, smtp: SmtpServer, dispatcher: Dispatcher
) -> None:
    # given a public category
    category = await make_category(owner, company, "Network")

    # when the address is posted as a form, as Laravel clients may
    reply = await post(client, CATEGORY_SUBSCRIPTIONS.format(category.id), data={"email": ADDRESS})
    await deliver_all(dispatcher)

    # then it is created like a JSON one
    assert reply.status == 201
    assert only_email_to(smtp, ADDRESS)["Subject"] == CONFIRM_SUBJECT.format("Network")


async def test_a_signed_in_outsider_may_subscribe_to_a_public_issue(
    api: Api, owner: Person, outsider: Person, company, smtp: SmtpServer, dispatcher: Dispatcher
) -> None:
    # given a public issue and someone who is not a member of its company
    issue = await make_issue(owner, await make_category(owner, company))

    # when they subscribe with their token
    data = await api.data(
        SUBSCRIBE_TO_ISSUE, {"id": gid("Issue", issue), "email": ADDRESS}, as_=outsider
    )
    await deliver_all(dispatcher)

    # then it works as for anyone
    assert data["subscribeToIssue"] == {"created": True, "errors": []}
    assert len(smtp.mailbox.to(ADDRESS)) == 1


async def test_a_member_may_subscribe_to_an_issue_of_their_private_company(
    api: Api, owner: Person, member: Person, private_company, smtp: SmtpServer, dispatcher
) -> None:
    # given an issue only the company's members can see
    issue = await make_issue(owner, await make_category(owner, private_company))

    # when a member subscribes
    data = await api.data(
        SUBSCRIBE_TO_ISSUE, {"id": gid("Issue", issue), "email": ADDRESS}, as_=member
    )
    await deliver_all(dispatcher)

    # then the subscription is created
    assert data["subscribeToIssue"] == {"created": True, "errors": []}
    assert len(smtp.mailbox.to(ADDRESS)) == 1


@pytest.mark.parametrize("kind", ["issue", "category"])
async def test_subscribing_a_pending_address_again_sends_nothing(
    api: Api,
    client: TestClient,
    owner: Person,
    company,
    smtp: SmtpServer,
    dispatcher: Dispatcher,
    kind: str,
) -> None:
    # given an address that asked once and has not confirmed yet
    category = await make_category(owner, company)
    issue = await make_issue(owner, category)
    target: Issue | Category = issue if kind == "issue" else category
    url = (ISSUE_SUBSCRIPTIONS if kind == "issue" else CATEGORY_SUBSCRIPTIONS).format(target.id)
    await subscribe(api, target, ADDRESS)
    await deliver_all(dispatcher)

    # when it asks again over GraphQL and over REST, once in capitals
    again = await subscribe(api, target, ADDRESS)
    reply = await post(client, url, json={"email": ADDRESS.upper()})
    sent = await deliver_all(dispatcher)

    # then nothing is created and no second e-mail is sent
    assert again == {"created": False, "errors": []}
    assert reply.status == 200
    assert reply.body == {"message": "The subscription already exists."}
    assert sent == 0
    assert len(smtp.mailbox.to(ADDRESS)) == 1


async def test_subscribing_a_confirmed_address_again_sends_nothing(
    api: Api, client: TestClient, owner: Person, company, smtp: SmtpServer, dispatcher: Dispatcher
) -> None:
    # given an address that subscribed to an issue and confirmed
    issue = await make_issue(owner, await make_category(owner, company))
    await subscribe_and_confirm(api, client, smtp.mailbox, dispatcher, issue, ADDRESS)

    # when it subscribes again
    payload = await subscribe(api, issue, ADDRESS)
    reply = await post(client, ISSUE_SUBSCRIPTIONS.format(issue.id), json={"email": ADDRESS})
    await deliver_all(dispatcher)

    # then nothing changes and nothing more is sent
    assert payload == {"created": False, "errors": []}
    assert reply.status == 200
    assert len(smtp.mailbox.to(ADDRESS)) == 1
    assert await subscriber_count(api, issue) == 1


async def test_the_same_address_may_follow_several_issues(
    api: Api, owner: Person, company, smtp: SmtpServer, dispatcher: Dispatcher
) -> None:
    # given an address following one issue
    category = await make_category(owner, company)
    first = await make_issue(owner, category, name="First")
    second = await make_issue(owner, category, name="Second")
    await subscribe(api, first, ADDRESS)

    # when it subscribes to another
    payload = await subscribe(api, second, ADDRESS)
    await deliver_all(dispatcher)

    # then that is a new subscription with its own confirmation
    assert payload == {"created": True, "errors": []}
    subjects = sorted(message["Subject"] for message in smtp.mailbox.to(ADDRESS))
    assert subjects == [CONFIRM_SUBJECT.format("First"), CONFIRM_SUBJECT.format("Second")]


@pytest.mark.parametrize(
    ("email", "code", "message"),
    [
        ("not-an-address", "INVALID_EMAIL", "The email must be a valid email address."),
        ("two@@example.com", "INVALID_EMAIL", "The email must be a valid email address."),
        ("no-domain@example", "INVALID_EMAIL", "The email must be a valid email address."),
        ("a b@example.com", "INVALID_EMAIL", "The email must be a valid email address."),
        ("a,b@example.com", "INVALID_EMAIL", "The email must be a valid email address."),
        ("a(b)@example.com", "INVALID_EMAIL", "The email must be a valid email address."),
        ("a<b>@example.com", "INVALID_EMAIL", "The email must be a valid email address."),
        ("x@example.com>", "INVALID_EMAIL", "The email must be a valid email address."),
        ("a..b@example.com", "INVALID_EMAIL", "The email must be a valid email address."),
        ("   ", "REQUIRED", "The email field is required."),
    ],
)
@pytest.mark.parametrize("kind", ["issue", "category"])
async def test_an_invalid_address_is_refused_and_nothing_is_sent(
    api: Api,
    client: TestClient,
    owner: Person,
    company,
    dispatcher: Dispatcher,
    kind: str,
    email: str,
    code: str,
    message: str,
) -> None:
    # given a public issue in a public category
    category = await make_category(owner, company)
    issue = await make_issue(owner, category)
    target: Issue | Category = issue if kind == "issue" else category
    url = (ISSUE_SUBSCRIPTIONS if kind == "issue" else CATEGORY_SUBSCRIPTIONS).format(target.id)

    # when an invalid address is given over GraphQL and REST
    payload = await subscribe(api, target, email)
    reply = await post(client, url, json={"email": email})

    # then both refuse it on the `email` field, and nothing is queued
    assert payload == {
        "created": None,
        "errors": [{"field": "email", "message": message, "code": code}],
    }
    assert reply.status == 422
    assert reply.body == {"message": message, "errors": {"email": [message]}}
    assert await deliver_all(dispatcher) == 0


@pytest.mark.parametrize(
    "email", ["first.last+tag@mail.example.co.uk", "o'brien@example.com", "x_y-z@example.org"]
)
async def test_unusual_but_valid_addresses_are_accepted_and_written_to_as_given(
    api: Api, owner: Person, company, smtp: SmtpServer, dispatcher: Dispatcher, email: str
) -> None:
    # given a public category
    category = await make_category(owner, company)

    # when an address with dots, plus signs or quotes subscribes
    payload = await subscribe(api, category, email)
    await deliver_all(dispatcher)

    # then it is accepted and the confirmation goes to that very address
    assert payload == {"created": True, "errors": []}
    assert [message["To"] for message in smtp.mailbox.messages] == [email]


async def test_rest_requires_an_email(
    client: TestClient, owner: Person, company, dispatcher: Dispatcher
) -> None:
    # given a public category
    category = await make_category(owner, company)

    # when the body has no address, or one that is not text
    missing = await post(client, CATEGORY_SUBSCRIPTIONS.format(category.id), json={})
    number = await post(client, CATEGORY_SUBSCRIPTIONS.format(category.id), json={"email": 42})

    # then both are 422 on `email`
    assert missing.status == 422
    assert missing.body["errors"] == {"email": ["The email field is required."]}
    assert number.status == 422
    assert number.body["errors"] == {"email": ["The email must be a string."]}
    assert await deliver_all(dispatcher) == 0


async def test_a_closed_issue_takes_no_new_subscribers(
    api: Api, client: TestClient, owner: Person, company, dispatcher: Dispatcher
) -> None:
    # given a closed issue
    issue = await make_issue(owner, await make_category(owner, company))
    closed = await api.data(
        CLOSE_ISSUE, {"input": {"id": gid("Issue", issue), "description": "Fixed."}}, as_=owner
    )
    assert closed["closeIssue"]["errors"] == []
    await deliver_all(dispatcher)

    # when someone subscribes to it over GraphQL and REST
    payload = await subscribe(api, issue, ADDRESS)
    reply = await post(client, ISSUE_SUBSCRIPTIONS.format(issue.id), json={"email": ADDRESS})

    # then both refuse, and no e-mail is queued
    assert payload == {
        "created": None,
        "errors": [
            {
                "field": None,
                "message": "A closed issue takes no new subscribers.",
                "code": "ISSUE_CLOSED",
            }
        ],
    }
    assert reply.status == 403
    assert reply.body == {"message": "A closed issue takes no new subscribers."}
    assert await deliver_all(dispatcher) == 0


async def test_a_hidden_issue_cannot_be_subscribed_to_and_looks_missing(
    api: Api,
    client: TestClient,
    owner: Person,
    outsider: Person,
    private_company,
    dispatcher: Dispatcher,
) -> None:
    # given an issue of a private company
    issue = await make_issue(owner, await make_category(owner, private_company))
    variables = {"id": gid("Issue", issue), "email": ADDRESS}

    # when an anonymous caller and a signed-in outsider try to subscribe
    anonymous = await api.graphql(SUBSCRIBE_TO_ISSUE, variables)
    signed_in = await api.graphql(SUBSCRIBE_TO_ISSUE, variables, as_=outsider)
    reply = await post(client, ISSUE_SUBSCRIPTIONS.format(issue.id), json={"email": ADDRESS})
    missing = await post(
        client, ISSUE_SUBSCRIPTIONS.format(issue.id + 100), json={"email": ADDRESS}
    )

    # then it is not found, exactly like an issue that does not exist, and nothing is sent
    assert error_codes(anonymous) == ["NOT_FOUND"]
    assert anonymous["data"] is None
    assert error_codes(signed_in) == ["NOT_FOUND"]
    assert (reply.status, reply.body) == (404, {"message": "Issue not found."})
    assert (missing.status, missing.body) == (reply.status, reply.body)
    assert await deliver_all(dispatcher) == 0


async def test_a_hidden_category_cannot_be_subscribed_to_and_looks_missing(
    api: Api,
    client: TestClient,
    owner: Person,
    outsider: Person,
    private_company,
    dispatcher: Dispatcher,
) -> None:
    # given a category of a private company
    category = await make_category(owner, private_company)
    variables = {"id": gid("Category", category), "email": ADDRESS}

    # when an anonymous caller and a signed-in outsider try to subscribe
    anonymous = await api.graphql(SUBSCRIBE_TO_CATEGORY, variables)
    signed_in = await api.graphql(SUBSCRIBE_TO_CATEGORY, variables, as_=outsider)
    reply = await post(client, CATEGORY_SUBSCRIPTIONS.format(category.id), json={"email": ADDRESS})
    missing = await post(
        client, CATEGORY_SUBSCRIPTIONS.format(category.id + 100), json={"email": ADDRESS}
    )

    # then it is not found, exactly like a category that does not exist, and nothing is sent
    assert error_codes(anonymous) == ["NOT_FOUND"]
    assert error_codes(signed_in) == ["NOT_FOUND"]
    assert (reply.status, reply.body) == (404, {"message": "Category not found."})
    assert (missing.status, missing.body) == (reply.status, reply.body)
    assert await deliver_all(dispatcher) == 0


# --- who hears about an issue -------------------------------------------------------------------


async def test_a_category_follower_hears_of_a_new_issue_in_it(
    api: Api, client: TestClient, owner: Person, company, smtp: SmtpServer, dispatcher: Dispatcher
) -> None:
    # given a confirmed follower of a category
    category = await make_category(owner, company, "Network")
    await subscribe_and_confirm(api, client, smtp.mailbox, dispatcher, category, ADDRESS)
    smtp.mailbox.messages.clear()

    # when an issue is created in it
    created = await api.data(
        CREATE_ISSUE,
        {
            "input": {
                "name": "Switch down",
                "description": "Floor 2 has no network.",
                "severity": "CRITICAL",
                "categoryIds": [gid("Category", category)],
            }
        },
        as_=owner,
    )
    await deliver_all(dispatcher)

    # then the follower gets one e-mail about it, in text and HTML
    assert created["createIssue"]["errors"] == []
    mail = only_email_to(smtp, ADDRESS)
    assert mail["Subject"] == "[CRITICAL] New issue: Switch down"
    text = text_of(mail)
    assert "A new critical issue was opened in Network:" in text
    assert "Switch down" in text
    assert "Floor 2 has no network." in text
    html = html_of(mail)
    assert "<h2>Switch down</h2>" in html
    assert "Floor 2 has no network." in html


async def test_a_category_follower_does_not_hear_of_issues_in_other_categories(
    api: Api, client: TestClient, owner: Person, company, smtp: SmtpServer, dispatcher: Dispatcher
) -> None:
    # given a confirmed follower of one category
    followed = await make_category(owner, company, "Network")
    other = await make_category(owner, company, "Printers")
    await subscribe_and_confirm(api, client, smtp.mailbox, dispatcher, followed, ADDRESS)
    smtp.mailbox.messages.clear()

    # when an issue is created in another category
    await make_issue(owner, other, name="Paper jam")
    await deliver_all(dispatcher)

    # then the follower hears nothing
    assert smtp.mailbox.to(ADDRESS) == []


@pytest.mark.parametrize("followed", ["issue", "category"])
async def test_a_follower_hears_of_a_new_event_on_the_issue(
    api: Api,
    client: TestClient,
    owner: Person,
    company,
    smtp: SmtpServer,
    dispatcher: Dispatcher,
    followed: str,
) -> None:
    # given a confirmed follower of an issue, directly or through its category
    category = await make_category(owner, company)
    issue = await make_issue(owner, category, name="Switch down", severity=Severity.IMPORTANT)
    target: Issue | Category = issue if followed == "issue" else category
    await subscribe_and_confirm(api, client, smtp.mailbox, dispatcher, target, ADDRESS)
    smtp.mailbox.messages.clear()

    # when the owner adds an event to the issue
    added = await api.data(
        ADD_ISSUE_EVENT,
        {"input": {"issueId": gid("Issue", issue), "description": "A new switch is on its way."}},
        as_=owner,
    )
    await deliver_all(dispatcher)

    # then the follower gets one e-mail with the event
    assert added["addIssueEvent"]["errors"] == []
    mail = only_email_to(smtp, ADDRESS)
    assert mail["Subject"] == "[IMPORTANT] Update: Switch down"
    assert "A new switch is on its way." in text_of(mail)
    assert "A new switch is on its way." in html_of(mail)


@pytest.mark.parametrize("followed", ["issue", "category"])
async def test_a_follower_hears_of_an_update_with_a_description(
    api: Api,
    client: TestClient,
    owner: Person,
    company,
    smtp: SmtpServer,
    dispatcher: Dispatcher,
    followed: str,
) -> None:
    # given a confirmed follower of an issue, directly or through its category
    category = await make_category(owner, company)
    issue = await make_issue(owner, category, name="Switch down")
    target: Issue | Category = issue if followed == "issue" else category
    await subscribe_and_confirm(api, client, smtp.mailbox, dispatcher, target, ADDRESS)
    smtp.mailbox.messages.clear()

    # when the owner updates the issue with a description
    updated = await api.data(
        UPDATE_ISSUE,
        {"input": {"id": gid("Issue", issue), "description": "Replaced; watching it."}},
        as_=owner,
    )
    await deliver_all(dispatcher)

    # then the follower gets one e-mail with it
    assert updated["updateIssue"]["errors"] == []
    mail = only_email_to(smtp, ADDRESS)
    assert mail["Subject"] == "[INFO] Update: Switch down"
    assert "Replaced; watching it." in text_of(mail)


async def test_a_follower_hears_of_an_update_without_a_description(
    api: Api, client: TestClient, owner: Person, company, smtp: SmtpServer, dispatcher: Dispatcher
) -> None:
    # given a confirmed follower of an issue
    issue = await make_issue(owner, await make_category(owner, company), name="Switch down")
    await subscribe_and_confirm(api, client, smtp.mailbox, dispatcher, issue, ADDRESS)
    smtp.mailbox.messages.clear()

    # when the owner renames it and raises its severity, with no description
    updated = await api.data(
        UPDATE_ISSUE,
        {"input": {"id": gid("Issue", issue), "name": "Core switch down", "severity": "CRITICAL"}},
        as_=owner,
    )
    await deliver_all(dispatcher)

    # then the follower gets one e-mail saying what the issue is now
    assert updated["updateIssue"]["errors"] == []
    mail = only_email_to(smtp, ADDRESS)
    assert mail["Subject"] == "[CRITICAL] Update: Core switch down"
    assert "Core switch down was changed" in text_of(mail)
    assert "<h2>Core switch down</h2>" in html_of(mail)
    assert mail["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"


async def test_an_issue_name_that_is_not_plain_text_still_reaches_followers(
    api: Api, client: TestClient, owner: Person, company, smtp: SmtpServer, dispatcher: Dispatcher
) -> None:
    # given a confirmed follower of a category
    category = await make_category(owner, company)
    await subscribe_and_confirm(api, client, smtp.mailbox, dispatcher, category, ADDRESS)
    smtp.mailbox.messages.clear()

    # when an issue is created whose name has a line break, a header and markup in it
    await make_issue(owner, category, name="Switch\r\nBcc: spy@example.com\n<b>down</b>")
    await deliver_all(dispatcher)

    # then the follower gets it with the name on one subject line, no extra header or
    # recipient, and the markup shown as text in the HTML part
    mail = only_email_to(smtp, ADDRESS)
    assert mail["Subject"] == "[INFO] New issue: Switch Bcc: spy@example.com <b>down</b>"
    assert mail["Bcc"] is None
    assert smtp.mailbox.to("spy@example.com") == []
    assert "&lt;b&gt;down&lt;/b&gt;" in html_of(mail)
    assert "<b>down</b>" not in html_of(mail)


@pytest.mark.parametrize("followed", ["issue", "category"])
async def test_a_follower_hears_that_the_issue_was_closed(
    api: Api,
    client: TestClient,
    owner: Person,
    company,
    smtp: SmtpServer,
    dispatcher: Dispatcher,
    followed: str,
) -> None:
    # given a confirmed follower of an issue, directly or through its category
    category = await make_category(owner, company)
    issue = await make_issue(owner, category, name="Switch down")
    target: Issue | Category = issue if followed == "issue" else category
    await subscribe_and_confirm(api, client, smtp.mailbox, dispatcher, target, ADDRESS)
    smtp.mailbox.messages.clear()

    # when the owner closes the issue
    closed = await api.data(
        CLOSE_ISSUE,
        {"input": {"id": gid("Issue", issue), "description": "The switch was replaced."}},
        as_=owner,
    )
    await deliver_all(dispatcher)

    # then the follower gets one e-mail with the conclusion
    assert closed["closeIssue"]["errors"] == []
    mail = only_email_to(smtp, ADDRESS)
    assert mail["Subject"] == "Resolved: Switch down"
    assert "Switch down was resolved:" in text_of(mail)
    assert "The switch was replaced." in text_of(mail)
    assert "The switch was replaced." in html_of(mail)


async def test_pending_subscribers_hear_nothing(
    api: Api, owner: Person, company, smtp: SmtpServer, dispatcher: Dispatcher
) -> None:
    # given addresses that subscribed to a category and to an issue but never confirmed
    category = await make_category(owner, company)
    issue = await make_issue(owner, category)
    await subscribe(api, category, "category-reader@example.com")
    await subscribe(api, issue, "issue-reader@example.com")
    await deliver_all(dispatcher)
    smtp.mailbox.messages.clear()

    # when issues are created, changed and closed
    await make_issue(owner, category)
    await api.data(
        ADD_ISSUE_EVENT,
        {"input": {"issueId": gid("Issue", issue), "description": "Hm."}},
        as_=owner,
    )
    await api.data(
        CLOSE_ISSUE, {"input": {"id": gid("Issue", issue), "description": "Done."}}, as_=owner
    )
    await deliver_all(dispatcher)

    # then neither address gets anything
    assert smtp.mailbox.messages == []


async def test_an_address_following_an_issue_and_its_category_gets_one_email(
    api: Api, client: TestClient, owner: Person, company, smtp: SmtpServer, dispatcher: Dispatcher
) -> None:
    # given an address following an issue, and both of the categories it is in
    network = await make_category(owner, company, "Network")
    printers = await make_category(owner, company, "Printers")
    issue = await make_issue(owner, network, printers, name="Switch down")
    for target in (issue, network, printers):
        await subscribe_and_confirm(api, client, smtp.mailbox, dispatcher, target, ADDRESS)
    smtp.mailbox.messages.clear()

    # when the issue gets an event, and an issue is created in both categories
    await api.data(
        ADD_ISSUE_EVENT,
        {"input": {"issueId": gid("Issue", issue), "description": "Still down."}},
        as_=owner,
    )
    await make_issue(owner, network, printers, name="Cable cut")
    await deliver_all(dispatcher)

    # then each change reaches the address once
    subjects = sorted(message["Subject"] for message in smtp.mailbox.to(ADDRESS))
    assert subjects == ["[INFO] New issue: Cable cut", "[INFO] Update: Switch down"]


async def test_every_follower_hears_once(
    api: Api, client: TestClient, owner: Person, company, smtp: SmtpServer, dispatcher: Dispatcher
) -> None:
    # given one follower of the issue and another of its category
    category = await make_category(owner, company)
    issue = await make_issue(owner, category, name="Switch down")
    await subscribe_and_confirm(api, client, smtp.mailbox, dispatcher, issue, "a@example.com")
    await subscribe_and_confirm(api, client, smtp.mailbox, dispatcher, category, "b@example.com")
    smtp.mailbox.messages.clear()

    # when the issue gets an event
    await api.data(
        ADD_ISSUE_EVENT,
        {"input": {"issueId": gid("Issue", issue), "description": "Still down."}},
        as_=owner,
    )
    await deliver_all(dispatcher)

    # then each gets one e-mail, addressed to them alone
    assert sorted(message["To"] for message in smtp.mailbox.messages) == [
        "a@example.com",
        "b@example.com",
    ]


# --- unsubscribe headers and links --------------------------------------------------------------


@pytest.mark.parametrize("event", ["issue_created", "issue_updated", "issue_closed"])
async def test_every_notification_carries_a_signed_one_click_unsubscribe(
    api: Api,
    client: TestClient,
    owner: Person,
    company,
    smtp: SmtpServer,
    dispatcher: Dispatcher,
    event: str,
) -> None:
    # given a confirmed follower of a category with an issue in it
    category = await make_category(owner, company)
    issue = await make_issue(owner, category)
    await subscribe_and_confirm(api, client, smtp.mailbox, dispatcher, category, ADDRESS)
    smtp.mailbox.messages.clear()

    # when an issue is created, updated or closed
    if event == "issue_created":
        await make_issue(owner, category)
    else:
        mutation = ADD_ISSUE_EVENT if event == "issue_updated" else CLOSE_ISSUE
        key = "issueId" if event == "issue_updated" else "id"
        await api.data(
            mutation, {"input": {key: gid("Issue", issue), "description": "News."}}, as_=owner
        )
    await deliver_all(dispatcher)

    # then the e-mail has the one-click headers, and the same signed link in text and HTML
    mail = only_email_to(smtp, ADDRESS)
    link = link_for(mail, "unsubscribe")
    assert "signature=" in link
    assert "expires=" in link
    assert mail["List-Unsubscribe"] == f"<{link}>"
    assert mail["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    assert link.replace("&", "&amp;") in html_of(mail)


async def test_after_a_one_click_unsubscribe_nothing_more_is_sent_about_the_issue(
    api: Api, client: TestClient, owner: Person, company, smtp: SmtpServer, dispatcher: Dispatcher
) -> None:
    # given a confirmed follower of an issue who got an update
    issue = await make_issue(owner, await make_category(owner, company))
    await subscribe_and_confirm(api, client, smtp.mailbox, dispatcher, issue, ADDRESS)
    smtp.mailbox.messages.clear()
    await api.data(
        ADD_ISSUE_EVENT, {"input": {"issueId": gid("Issue", issue), "description": "1"}}, as_=owner
    )
    await deliver_all(dispatcher)
    header = only_email_to(smtp, ADDRESS)["List-Unsubscribe"]
    smtp.mailbox.messages.clear()

    # when the mail client posts the one-click unsubscribe
    response = await client.post(
        path_of(header.strip("<>")),
        data="List-Unsubscribe=One-Click",
        headers={"Content-Type": "application/x-www-form-urlencoded"},
    )
    await api.data(
        ADD_ISSUE_EVENT, {"input": {"issueId": gid("Issue", issue), "description": "2"}}, as_=owner
    )
    await api.data(
        CLOSE_ISSUE, {"input": {"id": gid("Issue", issue), "description": "3"}}, as_=owner
    )
    await deliver_all(dispatcher)

    # then the address is unsubscribed and hears nothing more
    assert response.status == 200
    assert "You are unsubscribed." in await response.text()
    assert await subscriber_count(api, issue) == 0
    assert smtp.mailbox.to(ADDRESS) == []


async def test_after_unsubscribing_from_a_category_nothing_more_is_sent_about_it(
    api: Api, client: TestClient, owner: Person, company, smtp: SmtpServer, dispatcher: Dispatcher
) -> None:
    # given a confirmed follower of a category who heard of a new issue in it
    category = await make_category(owner, company)
    await subscribe_and_confirm(api, client, smtp.mailbox, dispatcher, category, ADDRESS)
    smtp.mailbox.messages.clear()
    issue = await make_issue(owner, category)
    await deliver_all(dispatcher)
    link = link_for(only_email_to(smtp, ADDRESS), "unsubscribe")
    smtp.mailbox.messages.clear()

    # when they press the button of the unsubscribe link in the e-mail
    response = await client.post(path_of(link))
    await make_issue(owner, category)
    await api.data(
        ADD_ISSUE_EVENT, {"input": {"issueId": gid("Issue", issue), "description": "2"}}, as_=owner
    )
    await deliver_all(dispatcher)

    # then nothing more is sent about the category or its issues
    assert response.status == 200
    assert "You are unsubscribed." in await response.text()
    assert smtp.mailbox.to(ADDRESS) == []


async def test_unsubscribing_from_one_issue_leaves_other_subscriptions_alone(
    api: Api, client: TestClient, owner: Person, company, smtp: SmtpServer, dispatcher: Dispatcher
) -> None:
    # given an address following two issues
    category = await make_category(owner, company)
    left = await make_issue(owner, category, name="Left")
    kept = await make_issue(owner, category, name="Kept")
    for issue in (left, kept):
        await subscribe_and_confirm(api, client, smtp.mailbox, dispatcher, issue, ADDRESS)
    smtp.mailbox.messages.clear()
    await api.data(
        ADD_ISSUE_EVENT, {"input": {"issueId": gid("Issue", left), "description": "1"}}, as_=owner
    )
    await deliver_all(dispatcher)
    link = link_for(only_email_to(smtp, ADDRESS), "unsubscribe")
    smtp.mailbox.messages.clear()

    # when it unsubscribes from the first, and both issues change
    await client.post(path_of(link))
    for issue in (left, kept):
        await api.data(
            ADD_ISSUE_EVENT,
            {"input": {"issueId": gid("Issue", issue), "description": "2"}},
            as_=owner,
        )
    await deliver_all(dispatcher)

    # then only the issue it still follows writes to it
    assert [message["Subject"] for message in smtp.mailbox.to(ADDRESS)] == ["[INFO] Update: Kept"]
    assert (await subscriber_count(api, left), await subscriber_count(api, kept)) == (0, 1)


# --- counts, never addresses --------------------------------------------------------------------


async def test_subscriber_count_counts_confirmed_subscribers_only(
    api: Api, client: TestClient, owner: Person, company, smtp: SmtpServer, dispatcher: Dispatcher
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
    company,
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


# --- without an SMTP server ---------------------------------------------------------------------


async def test_without_smtp_the_email_is_logged_with_its_links(
    aiohttp_client,
    database: None,
    owner: Person,
    company,
    clock: Clock,
    caplog: pytest.LogCaptureFixture,
) -> None:
    # given a server and a dispatcher with no SMTP_URL
    settings = Settings(
        environment="test",
        database_url="sqlite://:memory:",
        public_url="http://testserver",
        smtp_url=None,
        _env_file=None,
    )
    client = await aiohttp_client(create_app(settings, manage_database=False))
    dispatcher = Dispatcher(settings, clock=clock)
    category = await make_category(owner, company, "Network")
    caplog.set_level(logging.INFO, logger="issuetracker.mail")

    # when someone subscribes and the dispatcher runs
    reply = await post(client, CATEGORY_SUBSCRIPTIONS.format(category.id), json={"email": ADDRESS})
    try:
        sent = await deliver_all(dispatcher)
    finally:
        await dispatcher.close()

    # then the e-mail is in the log, with a confirm link that works
    assert reply.status == 201
    assert sent == 1
    [record] = [r for r in caplog.records if r.name == "issuetracker.mail"]
    line = JsonFormatter().format(record)
    assert ADDRESS in line
    assert CONFIRM_SUBJECT.format("Network") in line
    [link] = [word for word in record.text.split() if word.startswith("http://testserver/")]
    assert link in line
    assert "/subscriptions/" in link
    assert "signature=" in link
    confirmed = await client.post(path_of(link))
    assert confirmed.status == 200
    assert "Your subscription is confirmed." in await confirmed.text()
