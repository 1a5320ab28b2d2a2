"""Every page behind an e-mailed link names what its button acts on (the issue, category or
company, who invites, the address, masked) and keeps the token in its URL to itself: it may not
be framed by another site, names no referrer, is not cached, and runs nothing but the server's
own stylesheet. The links are the ones the e-mails carry, followed over HTTP."""

from aiohttp import ClientResponse
from aiohttp.test_utils import TestClient

from issuetracker.models import Company
from issuetracker.notifications.dispatcher import Dispatcher

from ..accounts.helpers import REGISTER, REQUEST_PASSWORD_RESET, account_link, the_mail
from ..notifications.conftest import SmtpServer, deliver_all
from ..notifications.mail_helpers import (
    ADDRESS,
    confirmation_link,
    link_for,
    path_of,
    subscribe,
    subscribe_and_confirm,
    with_query,
)
from ..support import Api, Person, gid, make_category, make_issue

INVITE = """
mutation ($input: InviteToIssueInput!) {
  inviteToIssue(input: $input) { errors { field message code } }
}
"""

INVITE_TO_COMPANY = """
mutation ($input: InviteCompanyMemberInput!) {
  inviteCompanyMember(input: $input) { errors { field message code } }
}
"""

MASKED_ADDRESS = "r***@example.com"
"""ADDRESS, reader@example.com, as the pages show it."""

NEWCOMER = "newcomer@example.com"


async def invitation_link(
    api: Api, smtp: SmtpServer, dispatcher: Dispatcher, issue_id: str, by: Person
) -> str:
    data = await api.data(INVITE, {"input": {"issueId": issue_id, "email": ADDRESS}}, as_=by)
    assert data["inviteToIssue"]["errors"] == []
    await deliver_all(dispatcher)
    [mail] = smtp.mailbox.to(ADDRESS)
    return link_for(mail, "accept")


async def company_invitation_links(
    api: Api, smtp: SmtpServer, dispatcher: Dispatcher, company: Company, by: Person
) -> list[str]:
    """Invites ADDRESS into the company as an admin; the join and decline links it got."""
    variables = {"input": {"companyId": gid("Company", company), "email": ADDRESS, "role": "ADMIN"}}
    data = await api.data(INVITE_TO_COMPANY, variables, as_=by)
    assert data["inviteCompanyMember"]["errors"] == []
    await deliver_all(dispatcher)
    [mail] = [mail for mail in smtp.mailbox.to(ADDRESS) if "invites you to join" in mail["Subject"]]
    return [link_for(mail, "accept"), link_for(mail, "decline")]


async def verification_link(api: Api, smtp: SmtpServer, dispatcher: Dispatcher) -> str:
    variables = {"input": {"email": NEWCOMER, "name": "Newt", "password": "a long passphrase"}}
    assert (await api.data(REGISTER, variables))["register"]["errors"] == []
    return account_link(await the_mail(smtp, dispatcher, NEWCOMER, "Verify your e-mail address"))


async def password_link(api: Api, smtp: SmtpServer, dispatcher: Dispatcher) -> str:
    await api.data(REQUEST_PASSWORD_RESET, {"email": NEWCOMER})
    return account_link(await the_mail(smtp, dispatcher, NEWCOMER, "Choose a new password"))


async def category_unsubscribe_link(
    api: Api,
    client: TestClient,
    owner: Person,
    company: Company,
    smtp: SmtpServer,
    dispatcher: Dispatcher,
) -> str:
    """A confirmed follower of the category Networks; the unsubscribe link of the e-mail it got
    about a new issue there."""
    category = await make_category(owner, company, name="Networks")
    await subscribe_and_confirm(api, client, smtp.mailbox, dispatcher, category, ADDRESS)
    await make_issue(owner, category, name="Switch down")
    await deliver_all(dispatcher)
    [news] = [mail for mail in smtp.mailbox.to(ADDRESS) if mail["List-Unsubscribe"]]
    return link_for(news, "unsubscribe")


def assert_kept_to_itself(response: ClientResponse) -> None:
    headers = response.headers
    assert headers["X-Frame-Options"] == "DENY"
    policy = [part.strip() for part in headers["Content-Security-Policy"].split(";")]
    assert "frame-ancestors 'none'" in policy
    assert "default-src 'none'" in policy
    assert "style-src 'self'" in policy
    assert headers["Referrer-Policy"] == "no-referrer"
    assert headers["Cache-Control"] == "no-store"


# --- what the pages name ------------------------------------------------------------------------


async def test_the_confirm_page_names_the_issue_and_the_masked_address(
    api: Api,
    client: TestClient,
    owner: Person,
    company: Company,
    smtp: SmtpServer,
    dispatcher: Dispatcher,
) -> None:
    # given a pending subscription to an issue
    issue = await make_issue(owner, await make_category(owner, company), name="Printer down")
    await subscribe(api, issue, ADDRESS)
    link = await confirmation_link(smtp.mailbox, dispatcher, ADDRESS, issue.name)

    # when its link is opened
    response = await client.get(path_of(link))

    # then the page names the issue and the address, masked, above its button
    page = await response.text()
    assert response.status == 200
    expected = (
        "Updates on the issue <strong>Printer down</strong> will go to "
        f"<strong>{MASKED_ADDRESS}</strong>."
    )
    assert expected in page
    assert ADDRESS not in page


async def test_the_unsubscribe_page_names_the_category_and_the_masked_address(
    api: Api,
    client: TestClient,
    owner: Person,
    company: Company,
    smtp: SmtpServer,
    dispatcher: Dispatcher,
) -> None:
    # given a confirmed follower of a category, and the unsubscribe link of the next e-mail
    link = await category_unsubscribe_link(api, client, owner, company, smtp, dispatcher)

    # when it is opened
    response = await client.get(path_of(link))

    # then the page names the address, masked, and the category it will no longer hear of
    page = await response.text()
    assert response.status == 200
    expected = (
        f"<strong>{MASKED_ADDRESS}</strong> will hear no more of the category "
        "<strong>Networks</strong>."
    )
    assert expected in page
    assert '<button type="submit">Unsubscribe</button>' in page


async def test_the_page_of_a_subscription_that_is_gone_says_so_and_offers_no_button(
    api: Api,
    client: TestClient,
    owner: Person,
    company: Company,
    smtp: SmtpServer,
    dispatcher: Dispatcher,
) -> None:
    # given an unsubscribe link that was used
    link = await category_unsubscribe_link(api, client, owner, company, smtp, dispatcher)
    assert (await client.post(path_of(link))).status == 200

    # when it is opened again
    response = await client.get(path_of(link))

    # then the page says so, with nothing to press
    page = await response.text()
    assert response.status == 200
    assert "You were already unsubscribed." in page
    assert "<button" not in page


async def test_the_invitation_page_names_the_issue_who_invites_and_the_masked_address(
    api: Api,
    client: TestClient,
    owner: Person,
    company: Company,
    smtp: SmtpServer,
    dispatcher: Dispatcher,
) -> None:
    # given Olive Owner inviting an address to an issue
    issue = await make_issue(owner, await make_category(owner, company), name="Printer down")
    link = await invitation_link(api, smtp, dispatcher, gid("Issue", issue), owner)

    # when the invitation's link is opened
    response = await client.get(path_of(link))

    # then the page names who invites, whom (masked) and to which issue, above its button
    page = await response.text()
    assert response.status == 200
    expected = (
        f"<strong>Olive Owner</strong> invites <strong>{MASKED_ADDRESS}</strong> "
        "to take part in the issue <strong>Printer down</strong>."
    )
    assert expected in page
    assert '<button type="submit">Join the issue</button>' in page
    assert ADDRESS not in page


async def test_the_company_invitation_pages_name_the_company_the_role_and_the_masked_address(
    api: Api,
    client: TestClient,
    owner: Person,
    company: Company,
    smtp: SmtpServer,
    dispatcher: Dispatcher,
) -> None:
    # given Olive Owner inviting an address into a company as an admin
    links = await company_invitation_links(api, smtp, dispatcher, company, owner)

    # when its two links are opened
    pages = [await (await client.get(path_of(link))).text() for link in links]

    # then each names who invites, whom (masked), where and as what, above its button
    expected = (
        f"<strong>Olive Owner</strong> invites <strong>{MASKED_ADDRESS}</strong> "
        f"to join the company <strong>{company.name}</strong> as admin."
    )
    assert all(expected in page and ADDRESS not in page for page in pages)
    assert '<button type="submit">Join the company</button>' in pages[0]
    assert '<button type="submit">Decline the invitation</button>' in pages[1]


async def test_the_account_pages_name_the_masked_address(
    api: Api, client: TestClient, smtp: SmtpServer, dispatcher: Dispatcher
) -> None:
    # given a newcomer's verification link and password link
    verify = await verification_link(api, smtp, dispatcher)
    password = await password_link(api, smtp, dispatcher)

    # when each is opened
    verify_page = await (await client.get(path_of(verify))).text()
    password_page = await (await client.get(path_of(password))).text()

    # then each names the address, masked, and never whole
    assert "The address to verify: <strong>n***@example.com</strong>." in verify_page
    assert "For the account of <strong>n***@example.com</strong>." in password_page
    assert NEWCOMER not in verify_page
    assert NEWCOMER not in password_page


# --- how the pages are sent ---------------------------------------------------------------------


async def test_every_link_page_is_unframeable_sends_no_referrer_and_runs_nothing(
    api: Api,
    client: TestClient,
    owner: Person,
    company: Company,
    smtp: SmtpServer,
    dispatcher: Dispatcher,
) -> None:
    # given a link of every kind the e-mails carry, and one that was altered
    issue = await make_issue(owner, await make_category(owner, company))
    await subscribe(api, issue, "follower@example.com")
    confirm = await confirmation_link(smtp.mailbox, dispatcher, "follower@example.com", issue.name)
    links = [
        confirm,
        await invitation_link(api, smtp, dispatcher, gid("Issue", issue), owner),
        *await company_invitation_links(api, smtp, dispatcher, company, owner),
        await verification_link(api, smtp, dispatcher),
        await password_link(api, smtp, dispatcher),
        with_query(confirm, signature="0" * 64),
    ]

    # when each is opened, and the first one's button pressed
    opened = [await client.get(path_of(link)) for link in links]
    pressed = await client.post(path_of(confirm))

    # then every page, refusals and results included, keeps its link to itself
    assert [response.status for response in [*opened, pressed]] == [200] * 6 + [403, 200]
    for response in [*opened, pressed]:
        assert response.content_type == "text/html"
        assert_kept_to_itself(response)
        page = await response.text()
        assert "<script" not in page
        assert "<style" not in page
        assert 'style="' not in page

    # and the one stylesheet they load comes from the server itself
    page = await opened[0].text()
    stylesheet = page.split('<link rel="stylesheet" href="', 1)[1].split('"', 1)[0]
    assert stylesheet.startswith("/")
    css = await client.get(stylesheet)
    assert css.status == 200
    assert css.content_type == "text/css"
    assert "font-family" in await css.text()
