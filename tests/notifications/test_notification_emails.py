"""Who hears about an issue once subscribed: followers of the issue or its category hear of new
issues, events, updates and closing, once each; pending subscribers hear nothing."""

import pytest
from aiohttp.test_utils import TestClient

from issuetracker.models import Category, Company, Issue, Severity
from issuetracker.notifications.dispatcher import Dispatcher

from ..support import Api, Person, gid, make_category, make_issue
from .conftest import SmtpServer, deliver_all
from .mail_helpers import (
    ADD_ISSUE_EVENT,
    ADDRESS,
    CLOSE_ISSUE,
    html_of,
    only_email_to,
    subscribe,
    subscribe_and_confirm,
    text_of,
)

CREATE_ISSUE = """
mutation ($input: CreateIssueInput!) {
  createIssue(input: $input) { issue { databaseId } errors { code } }
}
"""

UPDATE_ISSUE = """
mutation ($input: UpdateIssueInput!) { updateIssue(input: $input) { errors { code } } }
"""


async def test_a_category_follower_hears_of_a_new_issue_in_it(
    api: Api,
    client: TestClient,
    owner: Person,
    company: Company,
    smtp: SmtpServer,
    dispatcher: Dispatcher,
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
    api: Api,
    client: TestClient,
    owner: Person,
    company: Company,
    smtp: SmtpServer,
    dispatcher: Dispatcher,
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
    company: Company,
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
    company: Company,
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
    api: Api,
    client: TestClient,
    owner: Person,
    company: Company,
    smtp: SmtpServer,
    dispatcher: Dispatcher,
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
    api: Api,
    client: TestClient,
    owner: Person,
    company: Company,
    smtp: SmtpServer,
    dispatcher: Dispatcher,
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
    company: Company,
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
    api: Api, owner: Person, company: Company, smtp: SmtpServer, dispatcher: Dispatcher
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
    api: Api,
    client: TestClient,
    owner: Person,
    company: Company,
    smtp: SmtpServer,
    dispatcher: Dispatcher,
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
    api: Api,
    client: TestClient,
    owner: Person,
    company: Company,
    smtp: SmtpServer,
    dispatcher: Dispatcher,
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
