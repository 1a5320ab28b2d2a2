"""Verifying the address: the e-mailed link followed as a person would (a GET that shows a button,
the POST that verifies) or its token given to `verifyEmail`; expired and altered links; what an
unverified user may not do until then; and asking for a new link."""

import pytest
from aiohttp.test_utils import TestClient

from issuetracker.models import Company, Membership, Role, User
from issuetracker.notifications.dispatcher import Dispatcher

from ..notifications.conftest import Clock, SmtpServer
from ..notifications.mail_helpers import assert_refused, path_of
from ..support import Person, gid, make_category
from .helpers import (
    RESEND_VERIFICATION,
    VERIFY_EMAIL,
    VERIFY_SUBJECT,
    account_link,
    altered,
    graphql,
    mails_to,
    make_account,
    new_address,
    payload,
    register,
    signed_in_token,
    the_mail,
    token_of,
    top_level_error,
    viewer,
    with_token,
)

CREATE_COMPANY = """
mutation ($name: String!) {
  createCompany(input: {name: $name}) { company { name } errors { code } }
}
"""

CREATE_ISSUE = """
mutation ($input: CreateIssueInput!) {
  createIssue(input: $input) { issue { name } errors { code } }
}
"""

NOT_VERIFIED = (
    "Verify your e-mail address first: follow the link in the e-mail we sent "
    "(resendVerificationEmail sends a new one)."
)


async def registered(
    client: TestClient, smtp: SmtpServer, dispatcher: Dispatcher, name: str = "Newcomer"
) -> tuple[str, str]:
    """A new unverified account; its address and the verification link it was e-mailed."""
    address = new_address(name.lower())
    assert await register(client, address, name=name) == {"errors": []}
    mail = await the_mail(smtp, dispatcher, address, VERIFY_SUBJECT)
    return address, account_link(mail)


async def verified_at(client: TestClient, address: str) -> object:
    token = await signed_in_token(client, address)
    me = await viewer(client, token)
    assert me is not None
    return me["emailVerifiedAt"]


# --- following the link -----------------------------------------------------------------------


async def test_opening_the_link_shows_a_button_and_changes_nothing(
    client: TestClient, smtp: SmtpServer, dispatcher: Dispatcher
) -> None:
    # given a new account and its e-mailed link
    address, link = await registered(client, smtp, dispatcher)

    # when the link is opened, twice, as a mail scanner would
    first = await client.get(path_of(link))
    second = await client.get(path_of(link))

    # then a page with a button that posts to the same link is shown, and nothing is verified
    page = await first.text()
    assert first.status == 200
    assert first.content_type == "text/html"
    assert first.headers["Cache-Control"] == "no-store"
    assert "<h1>Verify your e-mail address</h1>" in page
    assert f'<form method="post" action="{path_of(link).replace("&", "&amp;")}">' in page
    assert '<button type="submit">Verify your e-mail address</button>' in page
    assert second.status == 200
    assert await verified_at(client, address) is None


async def test_pressing_the_button_verifies_the_address(
    client: TestClient, smtp: SmtpServer, dispatcher: Dispatcher
) -> None:
    # given a new account and its e-mailed link
    address, link = await registered(client, smtp, dispatcher)

    # when the button posts the form
    response = await client.post(path_of(link))

    # then the address is verified
    assert response.status == 200
    assert "Your e-mail address is verified." in await response.text()
    assert await verified_at(client, address) is not None


async def test_a_used_link_says_the_address_was_already_verified(
    client: TestClient, smtp: SmtpServer, dispatcher: Dispatcher
) -> None:
    # given an address verified through its link
    address, link = await registered(client, smtp, dispatcher)
    await client.post(path_of(link))
    first_verified_at = await verified_at(client, address)

    # when the link is used again
    response = await client.post(path_of(link))

    # then it says so, and the time of verification stays
    page = await response.text()
    assert response.status == 200
    assert "Your e-mail address was already verified." in page
    assert await verified_at(client, address) == first_verified_at


async def test_verify_email_takes_the_token_of_the_link(
    client: TestClient, smtp: SmtpServer, dispatcher: Dispatcher
) -> None:
    # given a new account and its e-mailed link
    address, link = await registered(client, smtp, dispatcher)

    # when a frontend gives the link's token to verifyEmail, twice
    first = await graphql(client, VERIFY_EMAIL, {"token": token_of(link)})
    second = await graphql(client, VERIFY_EMAIL, {"token": token_of(link)})

    # then the address is verified, and doing it again is harmless
    assert payload(first, "verifyEmail") == {"errors": []}
    assert payload(second, "verifyEmail") == {"errors": []}
    assert await verified_at(client, address) is not None


@pytest.mark.parametrize("method", ["GET", "POST"])
async def test_an_expired_link_shows_a_clear_page_and_changes_nothing(
    client: TestClient, smtp: SmtpServer, dispatcher: Dispatcher, clock: Clock, method: str
) -> None:
    # given a verification link, and two days and a minute gone by
    address, link = await registered(client, smtp, dispatcher)
    clock.advance(days=2, minutes=1)

    # when it is opened or posted
    response = await client.request(method, path_of(link))

    # then the page says it expired and how to get another, and the address stays unverified
    await assert_refused(response, 410, "This link has expired")
    assert "resendVerificationEmail" in await response.text()
    assert await verified_at(client, address) is None


async def test_an_expired_token_is_refused_by_verify_email(
    client: TestClient, smtp: SmtpServer, dispatcher: Dispatcher, clock: Clock
) -> None:
    # given a verification link, two days and a minute old
    address, link = await registered(client, smtp, dispatcher)
    clock.advance(days=2, minutes=1)

    # when its token is given to verifyEmail
    body = await graphql(client, VERIFY_EMAIL, {"token": token_of(link)})

    # then the payload says it expired
    assert payload(body, "verifyEmail")["errors"] == [
        {
            "field": "token",
            "message": "The link has expired; ask for a new one.",
            "code": "EXPIRED_TOKEN",
        }
    ]
    assert await verified_at(client, address) is None


async def test_a_link_still_works_a_minute_before_it_expires(
    client: TestClient, smtp: SmtpServer, dispatcher: Dispatcher, clock: Clock
) -> None:
    # given a verification link, almost two days old
    address, link = await registered(client, smtp, dispatcher)
    clock.advance(days=2, minutes=-1)

    # when it is posted
    response = await client.post(path_of(link))

    # then it verifies
    assert response.status == 200
    assert await verified_at(client, address) is not None


@pytest.mark.parametrize(
    "how", ["signature", "user", "stamp", "later expiry", "truncated", "empty"]
)
async def test_an_altered_link_shows_a_clear_page_and_verifies_nobody(
    client: TestClient, smtp: SmtpServer, dispatcher: Dispatcher, how: str
) -> None:
    # given two new accounts, and the first one's link, altered
    address, link = await registered(client, smtp, dispatcher, "First")
    other, _ = await registered(client, smtp, dispatcher, "Second")
    other_guid = (await User.get(email=other)).guid.hex
    bad_token = altered(token_of(link), how, other_guid)
    spoiled = with_token(link, bad_token)

    # when it is opened, posted, or its token given to verifyEmail
    opened = await client.get(path_of(spoiled))
    posted = await client.post(path_of(spoiled))
    body = await graphql(client, VERIFY_EMAIL, {"token": bad_token})

    # then each says the link is not valid, and neither address is verified
    await assert_refused(opened, 403, "This link is not valid")
    await assert_refused(posted, 403, "This link is not valid")
    assert payload(body, "verifyEmail")["errors"] == [
        {"field": "token", "message": "The link is not valid.", "code": "INVALID_TOKEN"}
    ]
    assert await verified_at(client, address) is None
    assert await verified_at(client, other) is None


async def test_a_link_without_a_token_is_not_valid(client: TestClient) -> None:
    # when the page is opened without its token
    response = await client.get("/account/verify-email")

    # then it says so
    await assert_refused(response, 403, "This link is not valid")


# --- until verified ---------------------------------------------------------------------------


async def test_an_unverified_user_may_not_create_companies_or_issues(
    client: TestClient, smtp: SmtpServer, dispatcher: Dispatcher
) -> None:
    # given a signed-in user who has not verified the address
    address, _ = await registered(client, smtp, dispatcher)
    token = await signed_in_token(client, address)

    # when they create a company, and an issue of their own
    company = await graphql(client, CREATE_COMPANY, {"name": "Acme"}, token=token)
    issue = await graphql(
        client,
        CREATE_ISSUE,
        {"input": {"name": "Printer", "description": "On fire.", "severity": "INFO"}},
        token=token,
    )

    # then each is forbidden, saying why
    assert top_level_error(company) == ("FORBIDDEN", NOT_VERIFIED)
    assert top_level_error(issue) == ("FORBIDDEN", NOT_VERIFIED)


async def test_an_unverified_member_may_not_create_an_issue_on_either_face(
    client: TestClient, smtp: SmtpServer, dispatcher: Dispatcher, owner: Person, company: Company
) -> None:
    # given an unverified user who is a member of a company with a category
    address, _ = await registered(client, smtp, dispatcher)
    token = await signed_in_token(client, address)
    category = await make_category(owner, company)
    await Membership.create(user=await User.get(email=address), company=company, role=Role.MEMBER)

    # when they create an issue in it over GraphQL and over REST
    body = await graphql(
        client,
        CREATE_ISSUE,
        {
            "input": {
                "name": "Printer",
                "description": "On fire.",
                "severity": "INFO",
                "categoryIds": [gid("Category", category)],
            }
        },
        token=token,
    )
    rest = await client.post(
        "/api/issues",
        json={
            "name": "Printer",
            "description": "On fire.",
            "severity": "info",
            "category_ids": [category.id],
        },
        headers={"Authorization": f"Bearer {token}"},
    )

    # then both are forbidden, saying why
    assert top_level_error(body) == ("FORBIDDEN", NOT_VERIFIED)
    assert rest.status == 403
    assert (await rest.json())["message"] == NOT_VERIFIED


async def test_once_verified_the_user_creates_companies_and_issues(
    client: TestClient, smtp: SmtpServer, dispatcher: Dispatcher
) -> None:
    # given a user who signed in before verifying, then followed the link
    address, link = await registered(client, smtp, dispatcher)
    token = await signed_in_token(client, address)
    await client.post(path_of(link))

    # when they create a company and an issue with the same token
    company = await graphql(client, CREATE_COMPANY, {"name": "Acme"}, token=token)
    issue = await graphql(
        client,
        CREATE_ISSUE,
        {"input": {"name": "Printer", "description": "On fire.", "severity": "INFO"}},
        token=token,
    )

    # then both are created
    assert payload(company, "createCompany") == {"company": {"name": "Acme"}, "errors": []}
    assert payload(issue, "createIssue") == {"issue": {"name": "Printer"}, "errors": []}


# --- a new link -------------------------------------------------------------------------------


async def test_an_unverified_user_asks_for_a_new_link_that_works(
    client: TestClient, smtp: SmtpServer, dispatcher: Dispatcher, clock: Clock
) -> None:
    # given a user whose verification link has expired
    address, old_link = await registered(client, smtp, dispatcher)
    token = await signed_in_token(client, address)
    clock.advance(days=3)

    # when they ask for a new one
    body = await graphql(client, RESEND_VERIFICATION, token=token)

    # then a second e-mail brings a link that verifies
    assert payload(body, "resendVerificationEmail") == {"errors": []}
    mails = [m for m in await mails_to(smtp, dispatcher, address) if m["Subject"] == VERIFY_SUBJECT]
    assert len(mails) == 2
    new_link = account_link(mails[1])
    assert new_link != old_link
    assert (await client.post(path_of(new_link))).status == 200
    assert await verified_at(client, address) is not None


async def test_a_verified_user_asking_for_a_link_is_told_there_is_no_need(
    client: TestClient, smtp: SmtpServer, dispatcher: Dispatcher
) -> None:
    # given a verified user
    account = await make_account()

    # when they ask for a verification link
    body = await graphql(client, RESEND_VERIFICATION, token=account.token)

    # then the payload says it is done already, and nothing is sent
    assert payload(body, "resendVerificationEmail")["errors"] == [
        {
            "field": None,
            "message": "Your e-mail address is already verified.",
            "code": "ALREADY_VERIFIED",
        }
    ]
    assert await mails_to(smtp, dispatcher, account.email) == []


async def test_anonymous_cannot_ask_for_a_verification_link(client: TestClient) -> None:
    body = await graphql(client, RESEND_VERIFICATION)

    assert top_level_error(body) == ("UNAUTHENTICATED", "Unauthenticated.")
