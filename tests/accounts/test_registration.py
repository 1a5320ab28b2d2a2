"""Registering and verifying the address: the verification e-mail and its link followed as a
person would (a GET that shows a button, the POST that verifies) or its token given to
`verifyEmail`; expired and altered links; what an unverified user may not do; and a taken
address that answers exactly as a new one."""

from datetime import UTC, datetime, timedelta

import pytest
from aiohttp.test_utils import TestClient

from issuetracker.models import Membership, Role, User
from issuetracker.notifications.dispatcher import Dispatcher

from ..notifications.conftest import Clock, SmtpServer
from ..notifications.mail_helpers import assert_refused, html_of, path_of, text_of
from ..support import Person, gid, make_category
from .helpers import (
    PASSWORD,
    REGISTER,
    RESEND_VERIFICATION,
    VERIFY_EMAIL,
    account_link,
    altered,
    graphql,
    login,
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
    whole_response,
    with_token,
)

VERIFY_SUBJECT = "Verify your e-mail address"
EXISTS_SUBJECT = "You already have an account"

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


# --- registering --------------------------------------------------------------------------------


async def test_registering_creates_an_unverified_account_and_e_mails_a_link(
    client: TestClient, smtp: SmtpServer, dispatcher: Dispatcher, clock: Clock
) -> None:
    # given an address without an account
    address = new_address()

    # when it registers
    result = await register(client, address, name="Nora Newcomer")

    # then the answer has no errors, the person may sign in, unverified, and a multipart
    # e-mail brings one signed link valid for two days
    assert result == {"errors": []}
    token = await signed_in_token(client, address)
    assert await viewer(client, token) == {
        "name": "Nora Newcomer",
        "email": address,
        "emailVerifiedAt": None,
        "timeZone": "UTC",
        "phone": None,
        "title": None,
        "avatarUrl": None,
    }
    mail = await the_mail(smtp, dispatcher, address, VERIFY_SUBJECT)
    assert [part.get_content_type() for part in mail.iter_parts()] == ["text/plain", "text/html"]
    link = account_link(mail)
    assert link.startswith("http://testserver/account/verify-email?token=")
    assert "Welcome, Nora Newcomer." in text_of(mail)
    assert "valid for 2 days" in text_of(mail)
    assert f'href="{link}"' in html_of(mail)
    expires = int(token_of(link).split(".")[2])
    expected = clock.now + timedelta(days=2)
    assert abs(datetime.fromtimestamp(expires, UTC) - expected) < timedelta(seconds=2)


async def test_the_address_is_stored_in_lower_case(
    client: TestClient, smtp: SmtpServer, dispatcher: Dispatcher
) -> None:
    # when an address registers in mixed case
    await register(client, "  Mixed.Case@Example.COM ")

    # then the account has it in lower case, and that is where the e-mail goes
    assert await User.exists(email="mixed.case@example.com")
    assert await mails_to(smtp, dispatcher, "mixed.case@example.com")


async def test_every_invalid_field_is_reported_at_once(client: TestClient) -> None:
    # when someone registers with nothing right
    body = await graphql(
        client, REGISTER, {"input": {"email": "not an address", "name": " ", "password": "short"}}
    )

    # then each field says what is wrong, and no account is made
    assert payload(body, "register")["errors"] == [
        {
            "field": "email",
            "message": "The email must be a valid email address.",
            "code": "INVALID_EMAIL",
        },
        {"field": "name", "message": "The name field is required.", "code": "REQUIRED"},
        {
            "field": "password",
            "message": "The password must be at least 10 characters.",
            "code": "TOO_SHORT",
        },
    ]
    assert await User.all().count() == 0


@pytest.mark.parametrize(
    ("password", "message", "code"),
    [
        ("123456789", "The password must be at least 10 characters.", "TOO_SHORT"),
        ("x" * 257, "The password may not be longer than 256 characters.", "TOO_LONG"),
        ("Password123", "This password is too common; choose another.", "TOO_COMMON"),
        ("qwertyuiop", "This password is too common; choose another.", "TOO_COMMON"),
        ("abababababab", "This password is too common; choose another.", "TOO_COMMON"),
        ("grace.hopper", "The password may not be your e-mail address or name.", "TOO_SIMILAR"),
        ("GraceHopper", "The password may not be your e-mail address or name.", "TOO_SIMILAR"),
    ],
)
async def test_a_weak_password_is_refused(
    client: TestClient, password: str, message: str, code: str
) -> None:
    # when Grace registers with a weak password
    body = await graphql(
        client,
        REGISTER,
        {
            "input": {
                "email": "grace.hopper@example.com",
                "name": "Grace Hopper",
                "password": password,
            }
        },
    )

    # then it is refused with a reason
    errors = payload(body, "register")["errors"]
    assert errors == [{"field": "password", "message": message, "code": code}]
    assert not await User.exists(email="grace.hopper@example.com")


# --- a taken address --------------------------------------------------------------------------


async def test_registering_a_taken_address_answers_exactly_as_a_new_one(
    client: TestClient, smtp: SmtpServer, dispatcher: Dispatcher
) -> None:
    # given an account, and an address without one
    account = await make_account("Olga Owner")
    free = new_address()

    # when both addresses register
    def attempt(email: str) -> dict:
        return {"input": {"email": email, "name": "Mallory", "password": "mallorys password"}}

    taken_answer = await whole_response(client, REGISTER, attempt(account.email))
    free_answer = await whole_response(client, REGISTER, attempt(free))

    # then the two responses are identical
    assert taken_answer == free_answer
    assert taken_answer[0] == 200


async def test_registering_a_taken_address_tells_its_owner_and_changes_nothing(
    client: TestClient, smtp: SmtpServer, dispatcher: Dispatcher
) -> None:
    # given an account
    account = await make_account("Olga Owner")

    # when someone registers its address with another name and password
    await register(client, account.email, password="mallorys password", name="Mallory")

    # then the owner is told, with a link to choose a new password; the account keeps its name
    # and password, and no verification e-mail is sent
    [mail] = await mails_to(smtp, dispatcher, account.email)
    assert mail["Subject"] == EXISTS_SUBJECT
    assert "already has an account" in text_of(mail)
    assert account_link(mail).startswith("http://testserver/account/password?token=")
    user = await User.get(id=account.user.id)
    assert user.name == "Olga Owner"
    assert await signed_in_token(client, account.email, account.password)
    refused = payload(await login(client, account.email, "mallorys password"), "login")
    assert refused["errors"][0]["code"] == "INVALID_CREDENTIALS"


async def test_an_invalid_registration_answers_the_same_for_a_taken_address(
    client: TestClient,
) -> None:
    # given an account
    account = await make_account()

    # when its address and a free one register with a common password
    def attempt(email: str) -> dict:
        return {"input": {"email": email, "name": "Mallory", "password": "password123"}}

    taken_answer = await whole_response(client, REGISTER, attempt(account.email))
    free_answer = await whole_response(client, REGISTER, attempt(new_address()))

    # then the refusals are identical
    assert taken_answer == free_answer
    assert "TOO_COMMON" in taken_answer[2]


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
    client: TestClient, smtp: SmtpServer, dispatcher: Dispatcher, owner: Person, company
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


# --- limits -----------------------------------------------------------------------------------


async def test_registrations_from_one_client_are_limited_and_others_still_register(
    client: TestClient, smtp: SmtpServer, dispatcher: Dispatcher, clock: Clock
) -> None:
    # given a client that registered as often as it may in an hour (6 in these tests)
    for _ in range(6):
        assert await register(client, new_address(), from_address="203.0.113.7") == {"errors": []}

    # when it registers again, and another client registers
    refused = await graphql(
        client,
        REGISTER,
        {"input": {"email": new_address(), "name": "Seventh", "password": PASSWORD}},
        from_address="203.0.113.7",
    )
    other = await register(client, new_address(), from_address="198.51.100.1")

    # then the first is refused with RATE_LIMITED and creates nothing, the other works; an
    # hour later the first client may register again
    assert top_level_error(refused) == ("RATE_LIMITED", "Too many attempts; try again later.")
    assert await User.all().count() == 7
    assert other == {"errors": []}
    clock.advance(minutes=61)
    assert await register(client, new_address(), from_address="203.0.113.7") == {"errors": []}


async def test_e_mails_to_one_address_are_limited_and_the_answer_stays_the_same(
    client: TestClient, smtp: SmtpServer, dispatcher: Dispatcher
) -> None:
    # given an account, whose address someone registers from several clients
    account = await make_account()
    answers = [
        await whole_response(
            client,
            REGISTER,
            {"input": {"email": account.email, "name": "M", "password": "mallorys password"}},
            from_address=f"203.0.113.{n}",
        )
        for n in range(5)
    ]

    # then every answer is the same, but the owner got 3 e-mails only (the limit in these tests)
    assert all(answer == answers[0] for answer in answers)
    assert len(await mails_to(smtp, dispatcher, account.email)) == 3
