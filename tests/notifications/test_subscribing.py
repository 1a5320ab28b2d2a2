"""Asking for an e-mail subscription to an issue or a category, over GraphQL and REST: anyone may,
for what they can see; one confirmation e-mail, never a second; invalid addresses and hidden or
closed targets refused; and without SMTP, the e-mail logged with its links."""

import logging

import pytest
from aiohttp.test_utils import TestClient
from pytest_aiohttp import AiohttpClient

from issuetracker.logs import JsonFormatter
from issuetracker.models import Category, Company, Issue
from issuetracker.notifications.dispatcher import Dispatcher
from issuetracker.server import create_app
from issuetracker.settings import Settings

from ..connectnow.helpers import post
from ..support import Api, Person, error_codes, gid, make_category, make_issue, nothing_answered
from .conftest import Clock, SmtpServer, deliver_all
from .mail_helpers import (
    ADDRESS,
    CATEGORY_SUBSCRIPTIONS,
    CLOSE_ISSUE,
    CONFIRM_SUBJECT,
    ISSUE_SUBSCRIPTIONS,
    SUBSCRIBE_TO_CATEGORY,
    SUBSCRIBE_TO_ISSUE,
    link_for,
    only_email_to,
    path_of,
    subscribe,
    subscribe_and_confirm,
    subscriber_count,
)

# --- asking for a subscription ------------------------------------------------------------------


@pytest.mark.parametrize("kind", ["issue", "category"])
async def test_anonymous_subscribes_over_graphql_and_gets_one_confirmation_email(
    api: Api, owner: Person, company: Company, smtp: SmtpServer, dispatcher: Dispatcher, kind: str
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
    client: TestClient,
    owner: Person,
    company: Company,
    smtp: SmtpServer,
    dispatcher: Dispatcher,
    kind: str,
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
    client: TestClient, owner: Person, company: Company, smtp: SmtpServer, dispatcher: Dispatcher
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
    api: Api,
    owner: Person,
    outsider: Person,
    company: Company,
    smtp: SmtpServer,
    dispatcher: Dispatcher,
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
    api: Api,
    owner: Person,
    member: Person,
    private_company: Company,
    smtp: SmtpServer,
    dispatcher: Dispatcher,
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
    company: Company,
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
    api: Api,
    client: TestClient,
    owner: Person,
    company: Company,
    smtp: SmtpServer,
    dispatcher: Dispatcher,
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
    api: Api, owner: Person, company: Company, smtp: SmtpServer, dispatcher: Dispatcher
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
    company: Company,
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
    api: Api, owner: Person, company: Company, smtp: SmtpServer, dispatcher: Dispatcher, email: str
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
    client: TestClient, owner: Person, company: Company, dispatcher: Dispatcher
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
    api: Api, client: TestClient, owner: Person, company: Company, dispatcher: Dispatcher
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
    private_company: Company,
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
    assert nothing_answered(anonymous)
    assert error_codes(signed_in) == ["NOT_FOUND"]
    assert (reply.status, reply.body) == (404, {"message": "Issue not found."})
    assert (missing.status, missing.body) == (reply.status, reply.body)
    assert await deliver_all(dispatcher) == 0


async def test_a_hidden_category_cannot_be_subscribed_to_and_looks_missing(
    api: Api,
    client: TestClient,
    owner: Person,
    outsider: Person,
    private_company: Company,
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


# --- without an SMTP server ---------------------------------------------------------------------


async def test_without_smtp_the_email_is_logged_with_its_links(
    aiohttp_client: AiohttpClient,
    database: None,
    owner: Person,
    company: Company,
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
    [link] = [
        word for word in vars(record)["text"].split() if word.startswith("http://testserver/")
    ]
    assert link in line
    assert "/subscriptions/" in link
    assert "signature=" in link
    confirmed = await client.post(path_of(link))
    assert confirmed.status == 200
    assert "Your subscription is confirmed." in await confirmed.text()
