"""The pages behind the signed links of the e-mails: the confirmation e-mail and its link, a GET
that only shows a button, the POST that confirms or unsubscribes, and links that are expired,
altered or used twice, which change nothing."""

from datetime import UTC, datetime, timedelta

import pytest
from aiohttp.test_utils import TestClient

from issuetracker.models import Company, Issue, Subscription
from issuetracker.notifications.dispatcher import Dispatcher
from issuetracker.notifications.signing import signed_url
from issuetracker.web import SETTINGS

from ..notifications.conftest import Clock, SmtpServer, deliver_all
from ..notifications.mail_helpers import (
    ADD_ISSUE_EVENT,
    ADDRESS,
    CONFIRM_SUBJECT,
    assert_refused,
    confirmation_link,
    html_of,
    link_for,
    path_of,
    query_of,
    subscribe,
    subscribe_and_confirm,
    subscriber_count,
    text_of,
    with_query,
)
from ..support import Api, Person, gid, make_category, make_issue


async def pending_subscription(
    api: Api, smtp: SmtpServer, dispatcher: Dispatcher, issue: Issue, email: str = ADDRESS
) -> str:
    """Subscribes `email` to the issue; the confirm link of the e-mail it got."""
    await subscribe(api, issue, email)
    return await confirmation_link(smtp.mailbox, dispatcher, email, issue.name)


async def unsubscribe_link(
    api: Api,
    client: TestClient,
    owner: Person,
    smtp: SmtpServer,
    dispatcher: Dispatcher,
    issue: Issue,
) -> str:
    """A confirmed follower of the issue; the unsubscribe link of the next update it got."""
    await subscribe_and_confirm(api, client, smtp.mailbox, dispatcher, issue, ADDRESS)
    smtp.mailbox.messages.clear()
    await api.data(
        ADD_ISSUE_EVENT,
        {"input": {"issueId": gid("Issue", issue), "description": "News."}},
        as_=owner,
    )
    await deliver_all(dispatcher)
    [mail] = smtp.mailbox.to(ADDRESS)
    smtp.mailbox.messages.clear()
    return link_for(mail, "unsubscribe")


def subscription_path(subscription_id: int, action: str) -> str:
    return f"/subscriptions/{subscription_id}/{action}"


def signed_url_for(client: TestClient, path: str, now: datetime | None = None) -> str:
    """A link signed with the app's own key, as the dispatcher would sign it at `now`."""
    settings = client.app[SETTINGS]
    return signed_url(settings.public_url, settings.secret_key, path, now or datetime.now(UTC))


def id_in(link: str) -> int:
    return int(path_of(link).split("/")[2])


# --- the confirmation e-mail --------------------------------------------------------------------


async def test_the_confirmation_email_is_text_and_html_with_a_link_valid_two_days(
    api: Api,
    owner: Person,
    company: Company,
    smtp: SmtpServer,
    dispatcher: Dispatcher,
    clock: Clock,
) -> None:
    # given a public issue
    issue = await make_issue(owner, await make_category(owner, company), name="Switch down")

    # when an address subscribes and the e-mail is sent
    await subscribe(api, issue, ADDRESS)
    await deliver_all(dispatcher)

    # then it is multipart text + HTML, both with the same signed link, valid for two days
    [mail] = smtp.mailbox.to(ADDRESS)
    assert mail.get_content_type() == "multipart/alternative"
    assert [part.get_content_type() for part in mail.iter_parts()] == ["text/plain", "text/html"]
    assert mail["Subject"] == CONFIRM_SUBJECT.format("Switch down")
    assert mail["From"] == "Issue Tracker <issues@localhost>"
    assert mail["List-Unsubscribe"] is None
    link = link_for(mail, "confirm")
    assert link.startswith("http://testserver/subscriptions/")
    assert 'issue "Switch down"' in text_of(mail)
    assert "valid for two days" in text_of(mail)
    assert f'href="{link.replace("&", "&amp;")}"' in html_of(mail)
    query = query_of(link)
    assert len(query["signature"]) == 64
    expires = datetime.fromtimestamp(int(query["expires"]), UTC)
    assert abs(expires - (clock.now + timedelta(days=2))) < timedelta(seconds=2)


# --- confirming ---------------------------------------------------------------------------------


async def test_opening_the_confirm_link_shows_a_button_and_changes_nothing(
    api: Api,
    client: TestClient,
    owner: Person,
    company: Company,
    smtp: SmtpServer,
    dispatcher: Dispatcher,
) -> None:
    # given a pending subscription and its e-mailed link
    issue = await make_issue(owner, await make_category(owner, company))
    link = await pending_subscription(api, smtp, dispatcher, issue)

    # when the link is opened, twice, as a mail scanner would
    first = await client.get(path_of(link))
    second = await client.get(path_of(link))

    # then a page with a button that posts to the same link is shown, and nothing is confirmed
    page = await first.text()
    assert first.status == 200
    assert first.content_type == "text/html"
    assert "<h1>Confirm your subscription</h1>" in page
    assert f'<form method="post" action="{path_of(link).replace("&", "&amp;")}">' in page
    assert '<button type="submit">Confirm your subscription</button>' in page
    assert second.status == 200
    assert await subscriber_count(api, issue) == 0


async def test_pressing_the_button_confirms_the_subscription(
    api: Api,
    client: TestClient,
    owner: Person,
    company: Company,
    smtp: SmtpServer,
    dispatcher: Dispatcher,
) -> None:
    # given a pending subscription and its e-mailed link
    issue = await make_issue(owner, await make_category(owner, company))
    link = await pending_subscription(api, smtp, dispatcher, issue)

    # when the button posts the form
    response = await client.post(path_of(link))

    # then the subscription is confirmed
    assert response.status == 200
    assert response.content_type == "text/html"
    assert "Your subscription is confirmed." in await response.text()
    assert await subscriber_count(api, issue) == 1


async def test_a_used_confirm_link_says_it_was_already_done(
    api: Api,
    client: TestClient,
    owner: Person,
    company: Company,
    smtp: SmtpServer,
    dispatcher: Dispatcher,
) -> None:
    # given a subscription confirmed with its link
    issue = await make_issue(owner, await make_category(owner, company))
    link = await pending_subscription(api, smtp, dispatcher, issue)
    await client.post(path_of(link))

    # when the link is used again
    response = await client.post(path_of(link))

    # then it says so, and there is still one subscriber
    page = await response.text()
    assert response.status == 200
    assert "This subscription was already confirmed." in page
    assert "Your subscription is confirmed." not in page
    assert await subscriber_count(api, issue) == 1


async def test_a_confirm_link_of_a_subscription_that_was_left_says_it_is_gone(
    api: Api,
    client: TestClient,
    owner: Person,
    company: Company,
    smtp: SmtpServer,
    dispatcher: Dispatcher,
) -> None:
    # given a follower who confirmed and then unsubscribed
    issue = await make_issue(owner, await make_category(owner, company))
    confirm = await pending_subscription(api, smtp, dispatcher, issue)
    await client.post(path_of(confirm))
    leave = signed_url_for(client, subscription_path(id_in(confirm), "unsubscribe"))
    assert (await client.post(path_of(leave))).status == 200

    # when the old confirm link is used again
    response = await client.post(path_of(confirm))

    # then it says the subscription no longer exists, and does not bring it back
    assert response.status == 200
    assert "This subscription no longer exists." in await response.text()
    assert await subscriber_count(api, issue) == 0


# --- links that do not work ---------------------------------------------------------------------


@pytest.mark.parametrize("method", ["GET", "POST"])
async def test_an_expired_confirm_link_shows_a_clear_page_and_changes_nothing(
    api: Api,
    client: TestClient,
    owner: Person,
    company: Company,
    smtp: SmtpServer,
    dispatcher: Dispatcher,
    method: str,
) -> None:
    # given a pending subscription, and its confirm link as signed three days ago
    issue = await make_issue(owner, await make_category(owner, company))
    link = await pending_subscription(api, smtp, dispatcher, issue)
    three_days_ago = datetime.now(UTC) - timedelta(days=3)
    expired = signed_url_for(client, subscription_path(id_in(link), "confirm"), three_days_ago)

    # when it is opened or posted
    response = await client.request(method, path_of(expired))

    # then the page says it expired, and the subscription stays pending
    await assert_refused(response, 410, "This link has expired")
    assert await subscriber_count(api, issue) == 0


async def test_after_the_link_expired_subscribing_again_sends_a_new_one_that_works(
    api: Api,
    client: TestClient,
    owner: Person,
    company: Company,
    smtp: SmtpServer,
    dispatcher: Dispatcher,
) -> None:
    # given a subscription asked for three days ago and never confirmed: its link has expired
    issue = await make_issue(owner, await make_category(owner, company))
    old_link = await pending_subscription(api, smtp, dispatcher, issue)
    three_days_ago = datetime.now(UTC) - timedelta(days=3)
    await Subscription.filter(id=id_in(old_link)).update(created_at=three_days_ago)
    expired = signed_url_for(client, subscription_path(id_in(old_link), "confirm"), three_days_ago)
    assert (await client.post(path_of(expired))).status == 410

    # when the address subscribes again, as the expired-link page advises, and again at once
    again = await subscribe(api, issue, ADDRESS)
    await deliver_all(dispatcher)
    once_more = await subscribe(api, issue, ADDRESS)
    await deliver_all(dispatcher)

    # then one new confirmation e-mail is sent, and its link confirms
    assert again == {"created": True, "errors": []}
    assert once_more == {"created": False, "errors": []}
    _, second = smtp.mailbox.to(ADDRESS)
    new_link = link_for(second, "confirm")
    assert id_in(new_link) == id_in(old_link)
    assert (await client.post(path_of(new_link))).status == 200
    assert await subscriber_count(api, issue) == 1


@pytest.mark.parametrize("method", ["GET", "POST"])
@pytest.mark.parametrize(
    "alteration", ["signature", "id", "later expiry", "no signature", "no expiry"]
)
async def test_an_altered_confirm_link_shows_a_clear_page_and_changes_nothing(
    api: Api,
    client: TestClient,
    owner: Person,
    company: Company,
    smtp: SmtpServer,
    dispatcher: Dispatcher,
    method: str,
    alteration: str,
) -> None:
    # given two pending subscriptions, and the e-mailed link of the first, altered
    issue = await make_issue(owner, await make_category(owner, company))
    link = await pending_subscription(api, smtp, dispatcher, issue)
    await pending_subscription(api, smtp, dispatcher, issue, "other@example.com")
    query = query_of(link)
    if alteration == "signature":
        last = query["signature"][-1]
        altered = with_query(
            link, signature=query["signature"][:-1] + ("0" if last != "0" else "1")
        )
    elif alteration == "id":
        altered = link.replace(f"/{id_in(link)}/", f"/{id_in(link) + 1}/")
    elif alteration == "later expiry":
        altered = with_query(link, expires=str(int(query["expires"]) + 86400))
    elif alteration == "no signature":
        altered = link.split("&signature=")[0]
    else:
        altered = f"{link.split('?')[0]}?signature={query['signature']}"
    assert altered != link

    # when it is opened or posted
    response = await client.request(method, path_of(altered))

    # then the page says the link is not valid, and neither subscription is confirmed
    await assert_refused(response, 403, "This link is not valid")
    assert await subscriber_count(api, issue) == 0


async def test_a_confirm_link_cannot_be_used_to_unsubscribe(
    api: Api,
    client: TestClient,
    owner: Person,
    company: Company,
    smtp: SmtpServer,
    dispatcher: Dispatcher,
) -> None:
    # given a confirmed subscriber and the confirm link they got
    issue = await make_issue(owner, await make_category(owner, company))
    link = await pending_subscription(api, smtp, dispatcher, issue)
    await client.post(path_of(link))

    # when the action in the link is changed to unsubscribe
    response = await client.post(path_of(link.replace("/confirm?", "/unsubscribe?")))

    # then the signature does not match, and they stay subscribed
    assert response.status == 403
    assert await subscriber_count(api, issue) == 1


async def test_an_unknown_action_is_not_found(
    client: TestClient, owner: Person, company: Company, smtp: SmtpServer, dispatcher: Dispatcher
) -> None:
    # given a link signed for an action that does not exist
    link = signed_url_for(client, subscription_path(1, "delete"))

    # when it is opened
    response = await client.get(path_of(link))

    # then it is not found
    assert response.status == 404


# --- unsubscribing ------------------------------------------------------------------------------


async def test_opening_the_unsubscribe_link_shows_a_button_and_changes_nothing(
    api: Api,
    client: TestClient,
    owner: Person,
    company: Company,
    smtp: SmtpServer,
    dispatcher: Dispatcher,
) -> None:
    # given a follower's unsubscribe link
    issue = await make_issue(owner, await make_category(owner, company))
    link = await unsubscribe_link(api, client, owner, smtp, dispatcher, issue)

    # when it is opened
    response = await client.get(path_of(link))

    # then a page with an Unsubscribe button is shown, and they still follow the issue
    page = await response.text()
    assert response.status == 200
    assert "<h1>Unsubscribe</h1>" in page
    assert '<button type="submit">Unsubscribe</button>' in page
    assert f'action="{path_of(link).replace("&", "&amp;")}"' in page
    assert await subscriber_count(api, issue) == 1


async def test_unsubscribing_works_once_and_then_says_already_unsubscribed(
    api: Api,
    client: TestClient,
    owner: Person,
    company: Company,
    smtp: SmtpServer,
    dispatcher: Dispatcher,
) -> None:
    # given a follower's unsubscribe link
    issue = await make_issue(owner, await make_category(owner, company))
    link = await unsubscribe_link(api, client, owner, smtp, dispatcher, issue)

    # when the button is pressed twice
    first = await client.post(path_of(link))
    count_after_first = await subscriber_count(api, issue)
    second = await client.post(path_of(link))

    # then the first unsubscribes, the second says it was already done
    assert first.status == 200
    assert "You are unsubscribed. Nothing more will be sent." in await first.text()
    assert count_after_first == 0
    assert second.status == 200
    assert "You were already unsubscribed." in await second.text()
    assert await subscriber_count(api, issue) == 0


async def test_the_one_click_post_of_the_list_unsubscribe_header_unsubscribes(
    api: Api,
    client: TestClient,
    owner: Person,
    company: Company,
    smtp: SmtpServer,
    dispatcher: Dispatcher,
) -> None:
    # given a follower's e-mail with its List-Unsubscribe header
    issue = await make_issue(owner, await make_category(owner, company))
    await subscribe_and_confirm(api, client, smtp.mailbox, dispatcher, issue, ADDRESS)
    await api.data(
        ADD_ISSUE_EVENT, {"input": {"issueId": gid("Issue", issue), "description": "1"}}, as_=owner
    )
    await deliver_all(dispatcher)
    [update] = [mail for mail in smtp.mailbox.to(ADDRESS) if mail["List-Unsubscribe"]]
    url = update["List-Unsubscribe"].removeprefix("<").removesuffix(">")

    # when the mail client posts `List-Unsubscribe=One-Click` to it (RFC 8058)
    response = await client.post(
        path_of(url),
        data="List-Unsubscribe=One-Click",
        headers={"Content-Type": "application/x-www-form-urlencoded"},
    )

    # then the address is unsubscribed
    assert response.status == 200
    assert "You are unsubscribed." in await response.text()
    assert await subscriber_count(api, issue) == 0


@pytest.mark.parametrize("alteration", ["expired", "signature", "id"])
async def test_a_bad_unsubscribe_link_changes_nothing(
    api: Api,
    client: TestClient,
    owner: Person,
    company: Company,
    smtp: SmtpServer,
    dispatcher: Dispatcher,
    alteration: str,
) -> None:
    # given a follower and another one, and the first one's unsubscribe link, spoiled
    issue = await make_issue(owner, await make_category(owner, company))
    await subscribe_and_confirm(api, client, smtp.mailbox, dispatcher, issue, "b@example.com")
    link = await unsubscribe_link(api, client, owner, smtp, dispatcher, issue)
    subscription_id = id_in(link)
    if alteration == "expired":
        long_ago = datetime.now(UTC) - timedelta(days=3)
        bad = signed_url_for(client, subscription_path(subscription_id, "unsubscribe"), long_ago)
    elif alteration == "signature":
        signature = query_of(link)["signature"]
        bad = with_query(link, signature=signature[1:] + signature[0])
    else:
        bad = link.replace(f"/{subscription_id}/", f"/{subscription_id - 1}/")
    assert bad != link

    # when it is posted
    response = await client.post(path_of(bad))

    # then a clear page says why, and both still follow the issue
    page = await response.text()
    expected = (410, "This link has expired") if alteration == "expired" else (403, "not valid")
    assert response.status == expected[0]
    assert expected[1] in page
    assert "Nothing was changed." in page
    assert await subscriber_count(api, issue) == 2
