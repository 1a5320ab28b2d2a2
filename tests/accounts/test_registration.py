"""Registering: the account is created unverified and a verification link e-mailed; invalid
fields and weak passwords refused; a taken address answers exactly as a new one (and its owner
is told); and registrations and e-mails limited per client and per address."""

from datetime import UTC, datetime, timedelta

import pytest
from aiohttp.test_utils import TestClient

from issuetracker.models import User
from issuetracker.notifications.dispatcher import Dispatcher

from ..notifications.conftest import Clock, SmtpServer
from ..notifications.mail_helpers import html_of, text_of
from .helpers import (
    PASSWORD,
    REGISTER,
    VERIFY_SUBJECT,
    account_link,
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
)

EXISTS_SUBJECT = "You already have an account"


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
