"""Leaving a subscription: every notification carries a signed one-click unsubscribe, and after it
nothing more is sent about that issue or category, while other subscriptions stay."""

import re
from collections.abc import Iterator

import pytest
from aiohttp.test_utils import TestClient

from issuetracker.models import Company
from issuetracker.notifications.dispatcher import Dispatcher

from ..support import Api, Person, gid, make_category, make_issue
from .conftest import SmtpServer, deliver_all, free_port
from .mail_helpers import (
    ADD_ISSUE_EVENT,
    ADDRESS,
    CLOSE_ISSUE,
    RawMailbox,
    html_of,
    link_for,
    only_email_to,
    path_of,
    subscribe_and_confirm,
    subscriber_count,
)


@pytest.fixture
def smtp() -> Iterator[SmtpServer]:
    """The SMTP server, keeping the bytes of each message too."""
    server = SmtpServer(free_port(), RawMailbox())
    server.start()
    yield server
    server.stop()


@pytest.mark.parametrize("event", ["issue_created", "issue_updated", "issue_closed"])
async def test_every_notification_carries_a_signed_one_click_unsubscribe(
    api: Api,
    client: TestClient,
    owner: Person,
    company: Company,
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
    api: Api,
    client: TestClient,
    owner: Person,
    company: Company,
    smtp: SmtpServer,
    dispatcher: Dispatcher,
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
    api: Api,
    client: TestClient,
    owner: Person,
    company: Company,
    smtp: SmtpServer,
    dispatcher: Dispatcher,
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
    api: Api,
    client: TestClient,
    owner: Person,
    company: Company,
    smtp: SmtpServer,
    dispatcher: Dispatcher,
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


async def test_the_unsubscribe_header_goes_out_as_the_literal_link_on_one_line(
    api: Api,
    client: TestClient,
    owner: Person,
    company: Company,
    smtp: SmtpServer,
    dispatcher: Dispatcher,
) -> None:
    # given a confirmed follower of an issue
    issue = await make_issue(owner, await make_category(owner, company))
    await subscribe_and_confirm(api, client, smtp.mailbox, dispatcher, issue, ADDRESS)
    assert isinstance(smtp.mailbox, RawMailbox)
    smtp.mailbox.raw.clear()
    smtp.mailbox.messages.clear()

    # when the issue gets an update
    await api.data(
        ADD_ISSUE_EVENT, {"input": {"issueId": gid("Issue", issue), "description": "1"}}, as_=owner
    )
    await deliver_all(dispatcher)

    # then the bytes on the wire hold `List-Unsubscribe: <https://...>` as RFC 8058's
    # one-click clients read it: one line, no encoded words
    [raw] = smtp.mailbox.raw
    link = link_for(only_email_to(smtp, ADDRESS), "unsubscribe")
    headers = raw.split(b"\r\n\r\n", 1)[0].decode("ascii")
    [line] = re.findall(r"^List-Unsubscribe:[^\r]*(?:\r\n[ \t][^\r]*)*", headers, re.MULTILINE)
    assert line == f"List-Unsubscribe: <{link}>"
    assert "List-Unsubscribe-Post: List-Unsubscribe=One-Click\r\n" in headers + "\r\n"
