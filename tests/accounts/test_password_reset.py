"""Forgetting a password: one answer whether or not the address has an account, the e-mailed
link followed as a person would (a form on GET, the password set by the POST) or its token given
to `resetPassword`; a link that works once, for an hour; altered links; every sign-in ended."""

import pytest
from aiohttp import ClientResponse
from aiohttp.test_utils import TestClient

from issuetracker.models import User
from issuetracker.notifications.dispatcher import Dispatcher

from ..notifications.conftest import Clock, SmtpServer
from ..notifications.mail_helpers import assert_refused, html_of, path_of, text_of
from .helpers import (
    NEW_PASSWORD,
    REQUEST_PASSWORD_RESET,
    RESET_PASSWORD,
    VERIFY_EMAIL,
    Account,
    account_link,
    altered,
    graphql,
    mails_to,
    make_account,
    new_address,
    payload,
    register,
    signed_in_token,
    signs_in,
    the_mail,
    token_of,
    top_level_error,
    viewer,
    whole_response,
    with_token,
)

RESET_SUBJECT = "Choose a new password"
CHANGED_SUBJECT = "Your password was changed"


async def reset_link(
    client: TestClient, smtp: SmtpServer, dispatcher: Dispatcher, account: Account
) -> str:
    """Asks for a reset for the account; the link of the e-mail it got."""
    body = await graphql(client, REQUEST_PASSWORD_RESET, {"email": account.email})
    assert payload(body, "requestPasswordReset") == {"errors": []}
    return account_link(await the_mail(smtp, dispatcher, account.email, RESET_SUBJECT))


async def submit(
    client: TestClient, link: str, password: str = NEW_PASSWORD, again: str | None = None
) -> ClientResponse:
    """Fills in the page's form and presses its button."""
    form = {"password": password, "password_confirmation": password if again is None else again}
    return await client.post(path_of(link), data=form)


# --- asking -----------------------------------------------------------------------------------


async def test_asking_answers_exactly_alike_for_known_and_unknown_addresses(
    client: TestClient, smtp: SmtpServer, dispatcher: Dispatcher
) -> None:
    # given an account, and an address without one
    account = await make_account()
    unknown = new_address()

    # when a reset is asked for both
    known_answer = await whole_response(client, REQUEST_PASSWORD_RESET, {"email": account.email})
    unknown_answer = await whole_response(client, REQUEST_PASSWORD_RESET, {"email": unknown})

    # then the responses are identical; only the account's address gets an e-mail
    assert known_answer == unknown_answer
    assert known_answer[0] == 200
    assert len(await mails_to(smtp, dispatcher, account.email)) == 1
    assert smtp.mailbox.to(unknown) == []


async def test_the_e_mail_brings_a_link_that_works_once_for_an_hour(
    client: TestClient, smtp: SmtpServer, dispatcher: Dispatcher
) -> None:
    # given an account
    account = await make_account()

    # when a reset is asked for
    link = await reset_link(client, smtp, dispatcher, account)

    # then the e-mail is text and HTML with one link to the password page
    [mail] = smtp.mailbox.to(account.email)
    assert link.startswith("http://testserver/account/password?token=")
    assert "the link works once, for 1 hour" in text_of(mail)
    assert f'href="{link}"' in html_of(mail)


async def test_a_malformed_address_is_refused_whoever_asks(client: TestClient) -> None:
    body = await graphql(client, REQUEST_PASSWORD_RESET, {"email": "not an address"})

    assert payload(body, "requestPasswordReset")["errors"] == [
        {
            "field": "email",
            "message": "The email must be a valid email address.",
            "code": "INVALID_EMAIL",
        }
    ]


async def test_a_disabled_account_gets_no_link(
    client: TestClient, smtp: SmtpServer, dispatcher: Dispatcher
) -> None:
    account = await make_account()
    await User.filter(id=account.user.id).update(status="disabled")

    body = await graphql(client, REQUEST_PASSWORD_RESET, {"email": account.email})

    assert payload(body, "requestPasswordReset") == {"errors": []}
    assert await mails_to(smtp, dispatcher, account.email) == []


# --- the page ---------------------------------------------------------------------------------


async def test_opening_the_link_shows_a_form_and_changes_nothing(
    client: TestClient, smtp: SmtpServer, dispatcher: Dispatcher
) -> None:
    # given a reset link
    account = await make_account()
    link = await reset_link(client, smtp, dispatcher, account)

    # when it is opened, twice
    first = await client.get(path_of(link))
    second = await client.get(path_of(link))

    # then a form for the new password, posting to the same link, is shown; nothing changed
    page = await first.text()
    assert first.status == 200
    assert first.headers["Cache-Control"] == "no-store"
    assert "<h1>Choose a password</h1>" in page
    masked = f"{account.email[0]}***@example.com"
    assert f"For the account of <strong>{masked}</strong>" in page
    assert account.email not in page
    assert f'<form method="post" action="{path_of(link).replace("&", "&amp;")}">' in page
    assert 'name="password" autocomplete="new-password"' in page
    assert 'name="password_confirmation"' in page
    assert second.status == 200
    assert await signs_in(client, account.email, account.password)


async def test_the_form_sets_the_password_and_ends_every_sign_in(
    client: TestClient, smtp: SmtpServer, dispatcher: Dispatcher
) -> None:
    # given an account signed in on a device, and its reset link
    account = await make_account()
    device = await signed_in_token(client, account.email)
    link = await reset_link(client, smtp, dispatcher, account)

    # when the form is filled in with a new password
    response = await submit(client, link)

    # then the new password works and the old one does not, every earlier token is refused, and
    # the owner is told the password changed
    assert response.status == 200
    assert "Your password is set." in await response.text()
    assert await signs_in(client, account.email, NEW_PASSWORD)
    assert not await signs_in(client, account.email, account.password)
    for token in (device, account.token):
        assert top_level_error(await graphql(client, "{ viewer { name } }", token=token)) == (
            "UNAUTHENTICATED",
            "Unauthenticated.",
        )
    await the_mail(smtp, dispatcher, account.email, CHANGED_SUBJECT)


async def test_the_link_works_once(
    client: TestClient, smtp: SmtpServer, dispatcher: Dispatcher
) -> None:
    # given a password set through a reset link
    account = await make_account()
    link = await reset_link(client, smtp, dispatcher, account)
    assert (await submit(client, link)).status == 200

    # when the link is opened and posted again
    opened = await client.get(path_of(link))
    posted = await submit(client, link, "a third password here")

    # then both say it was used, and the password set the first time stays
    await assert_refused(opened, 410, "This link was already used")
    await assert_refused(posted, 410, "This link was already used")
    assert "requestPasswordReset" in await posted.text()
    assert await signs_in(client, account.email, NEW_PASSWORD)
    assert not await signs_in(client, account.email, "a third password here")


async def test_two_passwords_that_differ_are_refused_and_the_link_still_works(
    client: TestClient, smtp: SmtpServer, dispatcher: Dispatcher
) -> None:
    # given a reset link
    account = await make_account()
    link = await reset_link(client, smtp, dispatcher, account)

    # when the form's two passwords differ
    response = await submit(client, link, NEW_PASSWORD, "something else entirely")

    # then the form is shown again with the reason, and the password stays
    page = await response.text()
    assert response.status == 422
    assert "The two passwords are not the same." in page
    assert '<form method="post"' in page
    assert await signs_in(client, account.email, account.password)
    assert (await submit(client, link)).status == 200


async def test_a_weak_password_is_refused_on_the_page(
    client: TestClient, smtp: SmtpServer, dispatcher: Dispatcher
) -> None:
    # given a reset link
    account = await make_account()
    link = await reset_link(client, smtp, dispatcher, account)

    # when a common password is given
    response = await submit(client, link, "password123")

    # then the form says why, and the link still works
    assert response.status == 422
    assert "This password is too common; choose another." in await response.text()
    assert (await submit(client, link)).status == 200


@pytest.mark.parametrize("method", ["GET", "POST"])
async def test_an_expired_link_is_refused(
    client: TestClient, smtp: SmtpServer, dispatcher: Dispatcher, clock: Clock, method: str
) -> None:
    # given a reset link, and an hour and a minute gone by
    account = await make_account()
    link = await reset_link(client, smtp, dispatcher, account)
    clock.advance(minutes=61)

    # when it is opened or its form posted
    if method == "GET":
        response = await client.get(path_of(link))
    else:
        response = await submit(client, link)

    # then the page says it expired, and the password stays
    await assert_refused(response, 410, "This link has expired")
    assert await signs_in(client, account.email, account.password)


@pytest.mark.parametrize(
    "how", ["signature", "user", "stamp", "later expiry", "truncated", "empty"]
)
async def test_an_altered_link_is_refused_on_the_page_and_by_reset_password(
    client: TestClient, smtp: SmtpServer, dispatcher: Dispatcher, how: str
) -> None:
    # given two accounts, and the first one's reset link, altered
    account = await make_account()
    other = await make_account()
    link = await reset_link(client, smtp, dispatcher, account)
    bad_token = altered(token_of(link), how, other.user.guid.hex)
    spoiled = with_token(link, bad_token)

    # when it is opened, posted, or its token given to resetPassword
    opened = await client.get(path_of(spoiled))
    posted = await submit(client, spoiled)
    body = await graphql(client, RESET_PASSWORD, {"token": bad_token, "password": NEW_PASSWORD})

    # then each says the link is not valid, and neither password changed
    await assert_refused(opened, 403, "This link is not valid")
    await assert_refused(posted, 403, "This link is not valid")
    assert payload(body, "resetPassword")["errors"] == [
        {"field": "token", "message": "The link is not valid.", "code": "INVALID_TOKEN"}
    ]
    assert await signs_in(client, account.email, account.password)
    assert await signs_in(client, other.email, other.password)


async def test_a_verification_link_cannot_set_a_password(
    client: TestClient, smtp: SmtpServer, dispatcher: Dispatcher
) -> None:
    # given a new account's verification link
    address = new_address()
    await register(client, address)
    [mail] = await mails_to(smtp, dispatcher, address)
    verification = account_link(mail)

    # when its token is used on the password page, and by resetPassword
    posted = await submit(
        client, f"http://testserver/account/password?token={token_of(verification)}"
    )
    body = await graphql(
        client, RESET_PASSWORD, {"token": token_of(verification), "password": NEW_PASSWORD}
    )

    # then both refuse it
    await assert_refused(posted, 403, "This link is not valid")
    assert payload(body, "resetPassword")["errors"][0]["code"] == "INVALID_TOKEN"
    assert not await signs_in(client, address, NEW_PASSWORD)


async def test_a_reset_link_cannot_verify_an_address(
    client: TestClient, smtp: SmtpServer, dispatcher: Dispatcher
) -> None:
    account = await make_account()
    link = await reset_link(client, smtp, dispatcher, account)

    body = await graphql(client, VERIFY_EMAIL, {"token": token_of(link)})

    assert payload(body, "verifyEmail")["errors"][0]["code"] == "INVALID_TOKEN"


# --- over GraphQL -----------------------------------------------------------------------------


async def test_reset_password_takes_the_token_of_the_link_once(
    client: TestClient, smtp: SmtpServer, dispatcher: Dispatcher
) -> None:
    # given a reset link
    account = await make_account()
    link = await reset_link(client, smtp, dispatcher, account)

    # when a frontend gives its token and a new password to resetPassword, twice
    first = await graphql(
        client, RESET_PASSWORD, {"token": token_of(link), "password": NEW_PASSWORD}
    )
    second = await graphql(
        client, RESET_PASSWORD, {"token": token_of(link), "password": "a third password here"}
    )

    # then the first sets the password and the second is refused as used
    assert payload(first, "resetPassword") == {"errors": []}
    assert payload(second, "resetPassword")["errors"] == [
        {"field": "token", "message": "The link was already used.", "code": "USED_TOKEN"}
    ]
    assert await signs_in(client, account.email, NEW_PASSWORD)
    assert (
        top_level_error(await graphql(client, "{ viewer { name } }", token=account.token))[0]
        == "UNAUTHENTICATED"
    )


async def test_reset_password_refuses_an_expired_token_and_a_weak_password(
    client: TestClient, smtp: SmtpServer, dispatcher: Dispatcher, clock: Clock
) -> None:
    # given a reset link
    account = await make_account()
    link = await reset_link(client, smtp, dispatcher, account)

    # when it is given a weak password, then a good one after the hour
    weak = await graphql(client, RESET_PASSWORD, {"token": token_of(link), "password": "short"})
    clock.advance(minutes=61)
    late = await graphql(
        client, RESET_PASSWORD, {"token": token_of(link), "password": NEW_PASSWORD}
    )

    # then the first says why, the second that the link expired; the password stays
    assert payload(weak, "resetPassword")["errors"] == [
        {
            "field": "password",
            "message": "The password must be at least 10 characters.",
            "code": "TOO_SHORT",
        }
    ]
    assert payload(late, "resetPassword")["errors"][0]["code"] == "EXPIRED_TOKEN"
    assert await signs_in(client, account.email, account.password)


async def test_a_link_dies_when_the_password_changes_otherwise(
    client: TestClient, smtp: SmtpServer, dispatcher: Dispatcher
) -> None:
    # given two reset links, the second of which was used
    account = await make_account()
    first = await reset_link(client, smtp, dispatcher, account)
    await graphql(client, REQUEST_PASSWORD_RESET, {"email": account.email})
    await mails_to(smtp, dispatcher, account.email)
    second = account_link(smtp.mailbox.to(account.email)[-1])
    assert (await submit(client, second)).status == 200

    # when the first link is used
    response = await submit(client, first, "a third password here")

    # then it is refused as used: links are for the password they were sent for
    await assert_refused(response, 410, "This link was already used")
    assert await signs_in(client, account.email, NEW_PASSWORD)


async def test_resetting_verifies_an_unverified_address(
    client: TestClient, smtp: SmtpServer, dispatcher: Dispatcher
) -> None:
    # given a registered, unverified account that asks for a reset
    address = new_address()
    await register(client, address)
    await graphql(client, REQUEST_PASSWORD_RESET, {"email": address})
    mail = await the_mail(smtp, dispatcher, address, RESET_SUBJECT)

    # when the link sets a new password
    await submit(client, account_link(mail))

    # then the address is verified: the link proved it is theirs
    token = await signed_in_token(client, address, NEW_PASSWORD)
    me = await viewer(client, token)
    assert me is not None
    assert me["emailVerifiedAt"] is not None


# --- limits -----------------------------------------------------------------------------------


async def test_requests_from_one_client_are_limited_alike_for_every_address(
    client: TestClient, smtp: SmtpServer, dispatcher: Dispatcher
) -> None:
    # given a client that asked six times (the limit in these tests)
    account = await make_account()
    for _ in range(6):
        await graphql(
            client, REQUEST_PASSWORD_RESET, {"email": new_address()}, from_address="10.20.0.1"
        )

    # when it asks for an account's address and for an unknown one
    known = await whole_response(
        client, REQUEST_PASSWORD_RESET, {"email": account.email}, from_address="10.20.0.1"
    )
    unknown = await whole_response(
        client, REQUEST_PASSWORD_RESET, {"email": new_address()}, from_address="10.20.0.1"
    )

    # then both are refused alike, and nothing is sent
    assert known == unknown
    assert "RATE_LIMITED" in known[2]
    assert await mails_to(smtp, dispatcher, account.email) == []


async def test_links_to_one_address_are_limited_and_the_answer_stays_the_same(
    client: TestClient, smtp: SmtpServer, dispatcher: Dispatcher, clock: Clock
) -> None:
    # given an account for which five clients ask a reset
    account = await make_account()
    answers = [
        await whole_response(
            client, REQUEST_PASSWORD_RESET, {"email": account.email}, from_address=f"10.21.0.{n}"
        )
        for n in range(5)
    ]

    # then the answers are all the same, but three e-mails only were sent (the limit here)
    assert all(answer == answers[0] for answer in answers)
    assert len(await mails_to(smtp, dispatcher, account.email)) == 3

    # and an hour later the owner gets a link again
    clock.advance(minutes=61)
    await graphql(client, REQUEST_PASSWORD_RESET, {"email": account.email})
    assert len(await mails_to(smtp, dispatcher, account.email)) == 4
