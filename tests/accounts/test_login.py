"""Signing in and out over GraphQL: a named, expiring token; one answer for an unknown address
and a wrong password; the limits on failed attempts per address from one client, per address
from all clients (a larger ceiling) and per client address, kept in the database; the client
address behind a trusted proxy only; and rehashing old hashes."""

import asyncio
import uuid
from datetime import datetime, timedelta

from aiohttp.test_utils import TestClient
from argon2 import PasswordHasher
from pytest_aiohttp import AiohttpClient

from issuetracker.models import ApiToken, User
from issuetracker.server import create_app
from issuetracker.settings import Settings

from ..notifications.conftest import Clock, SmtpServer
from .conftest import account_settings
from .helpers import (
    LOGIN,
    LOGOUT,
    PASSWORD,
    VIEWER,
    WRONG_PASSWORD,
    graphql,
    login,
    make_account,
    new_address,
    payload,
    signed_in_token,
    signs_in,
    top_level_error,
    viewer,
    whole_response,
)

INVALID_CREDENTIALS = {
    "field": "email",
    "message": "The e-mail address or the password is incorrect.",
    "code": "INVALID_CREDENTIALS",
}
RATE_LIMITED = ("RATE_LIMITED", "Too many attempts; try again later.")


def refused(body: dict) -> bool:
    return payload(body, "login") == {"apiToken": None, "errors": [INVALID_CREDENTIALS]}


# --- signing in -------------------------------------------------------------------------------


async def test_signing_in_returns_a_named_token_that_expires_after_the_set_lifetime(
    client: TestClient, settings: Settings, clock: Clock
) -> None:
    # given an account
    account = await make_account("Sid Signer")

    # when it signs in, naming the token
    body = await login(client, account.email, token_name="My laptop")

    # then a new token, named and expiring after TOKEN_LIFETIME_DAYS, is returned, and it works
    result = payload(body, "login")
    assert result["errors"] == []
    token = result["apiToken"]
    assert token["token"]["name"] == "My laptop"
    assert token["token"]["revokedAt"] is None
    assert token["secret"].startswith(token["token"]["prefix"])
    expires = datetime.fromisoformat(token["token"]["expiresAt"])
    expected = clock.now + timedelta(days=settings.token_lifetime_days)
    assert abs(expires - expected) < timedelta(minutes=2)
    me = await viewer(client, token["secret"])
    assert me is not None
    assert me["name"] == "Sid Signer"


async def test_an_unnamed_token_is_called_signed_in(client: TestClient) -> None:
    account = await make_account()

    result = payload(await login(client, account.email), "login")

    assert result["apiToken"]["token"]["name"] == "Signed in"


async def test_the_address_is_matched_whatever_its_case_and_spaces(client: TestClient) -> None:
    account = await make_account()

    result = payload(await login(client, f"  {account.email.upper()} "), "login")

    assert result["errors"] == []


async def test_each_sign_in_gets_a_token_of_its_own(client: TestClient) -> None:
    # given an account
    account = await make_account()

    # when it signs in twice
    first = await signed_in_token(client, account.email)
    second = await signed_in_token(client, account.email)

    # then there are two tokens, both working
    assert first != second
    assert await viewer(client, first) == await viewer(client, second)
    assert await ApiToken.filter(user_id=account.user.id).count() == 3


async def test_a_wrong_password_and_an_unknown_address_answer_exactly_alike(
    client: TestClient,
) -> None:
    # given an account
    account = await make_account()

    # when it signs in with a wrong password, and an unknown address signs in
    wrong = await whole_response(
        client, LOGIN, {"input": {"email": account.email, "password": WRONG_PASSWORD}}
    )
    unknown = await whole_response(
        client, LOGIN, {"input": {"email": new_address(), "password": WRONG_PASSWORD}}
    )

    # then the two responses are identical, and say the address or the password is wrong
    assert wrong == unknown
    assert wrong[0] == 200
    assert "INVALID_CREDENTIALS" in wrong[2]


async def test_an_account_without_a_password_cannot_sign_in(client: TestClient) -> None:
    # given an account made without a password (as an invitation makes one)
    user = await User.create(guid=uuid.uuid4(), email=new_address("invited"), name="Invited")

    # when it signs in with an empty or any password
    empty = await login(client, user.email, "")
    some = await login(client, user.email, PASSWORD)

    # then both are refused as any wrong password is
    assert refused(empty)
    assert refused(some)


async def test_a_disabled_account_cannot_sign_in(client: TestClient) -> None:
    # given a disabled account
    account = await make_account()
    await User.filter(id=account.user.id).update(status="disabled")

    # when it signs in with the right password
    body = await login(client, account.email)

    # then it is refused as a wrong password is
    assert refused(body)


async def test_an_old_hash_is_replaced_at_sign_in(
    aiohttp_client: AiohttpClient, database: None, smtp: SmtpServer, clock: Clock
) -> None:
    # given a server hashing with today's default parameters (the suite's hash cheaply), and
    # an account whose hash was made with weaker ones
    settings = account_settings(smtp, password_hashing="rfc_9106_low_memory")
    client = await aiohttp_client(create_app(settings, manage_database=False, clock=clock))
    account = await make_account()
    old = PasswordHasher(time_cost=1, memory_cost=8192, parallelism=1).hash(PASSWORD)
    await User.filter(id=account.user.id).update(password_hash=old)

    # when it signs in
    token = await signed_in_token(client, account.email)

    # then the hash is replaced by one with today's parameters, which the password still opens
    new_hash = (await User.get(id=account.user.id)).password_hash
    assert new_hash != old
    assert new_hash.startswith("$argon2id$")
    assert not PasswordHasher().check_needs_rehash(new_hash)
    assert await viewer(client, token) is not None
    assert await signed_in_token(client, account.email)


async def test_a_current_hash_is_kept_at_sign_in(client: TestClient) -> None:
    account = await make_account()
    before = (await User.get(id=account.user.id)).password_hash

    await signed_in_token(client, account.email)

    assert (await User.get(id=account.user.id)).password_hash == before


# --- signing out ------------------------------------------------------------------------------


async def test_signing_out_revokes_the_token_used_and_no_other(client: TestClient) -> None:
    # given an account signed in on two devices
    account = await make_account()
    laptop = await signed_in_token(client, account.email)
    phone = await signed_in_token(client, account.email)

    # when the laptop signs out
    body = await graphql(client, LOGOUT, token=laptop)

    # then the laptop's token is revoked and refused; the phone's and the older one still work
    result = payload(body, "logout")
    assert result["errors"] == []
    assert result["apiToken"]["name"] == "Signed in"
    assert result["apiToken"]["revokedAt"] is not None
    again = await graphql(client, VIEWER, token=laptop)
    assert top_level_error(again) == ("UNAUTHENTICATED", "Unauthenticated.")
    assert again["status"] == 401
    assert await viewer(client, phone) is not None
    assert await viewer(client, account.token) is not None


async def test_anonymous_cannot_sign_out(client: TestClient) -> None:
    body = await graphql(client, LOGOUT)

    assert top_level_error(body) == ("UNAUTHENTICATED", "Unauthenticated.")


# --- limits on failed attempts ----------------------------------------------------------------


async def test_a_guessers_failures_do_not_lock_the_owner_out(
    client: TestClient, clock: Clock
) -> None:
    # given three failed attempts on an address (the limit in these tests) from one client
    account = await make_account()
    for _ in range(3):
        assert refused(await login(client, account.email, WRONG_PASSWORD, from_address="10.0.0.1"))

    # when the owner gives the right password from their own client
    body = await login(client, account.email, from_address="10.0.0.99")

    # then they sign in: only the client that was failing is held back
    assert payload(body, "login")["errors"] == []


async def test_a_client_failing_on_an_address_is_limited_on_it(
    client: TestClient, clock: Clock
) -> None:
    # given three failed attempts on an address from one client
    account = await make_account()
    for _ in range(3):
        assert refused(await login(client, account.email, WRONG_PASSWORD, from_address="10.0.1.1"))

    # when that client gives the right password
    body = await login(client, account.email, from_address="10.0.1.1")

    # then it is refused with RATE_LIMITED; the same client signs in to another address
    assert top_level_error(body) == RATE_LIMITED
    other = await make_account()
    assert await signs_in(client, other.email, from_address="10.0.1.1")

    # and once the window has passed, the right password works from it again
    clock.advance(minutes=16)
    assert await signs_in(client, account.email, from_address="10.0.1.1")


async def test_guessing_spread_over_many_clients_stops_at_the_addresses_ceiling(
    client: TestClient, clock: Clock
) -> None:
    # given six failed attempts on an address (the ceiling in these tests), from six clients
    account = await make_account()
    for n in range(6):
        assert refused(
            await login(client, account.email, WRONG_PASSWORD, from_address=f"10.0.2.{n}")
        )

    # when the right password is given from a client that never failed
    body = await login(client, account.email, from_address="10.0.2.99")

    # then it is refused with RATE_LIMITED, until the window has passed
    assert top_level_error(body) == RATE_LIMITED
    clock.advance(minutes=16)
    assert await signs_in(client, account.email, from_address="10.0.2.99")


async def test_failures_from_one_client_are_limited_whichever_address_it_tries(
    client: TestClient, clock: Clock
) -> None:
    # given a client that failed five times (the limit in these tests) on five addresses
    for _ in range(5):
        assert refused(await login(client, new_address(), WRONG_PASSWORD, from_address="10.9.9.9"))

    # when it signs in to a real account with the right password
    account = await make_account()
    body = await login(client, account.email, from_address="10.9.9.9")

    # then it is refused with RATE_LIMITED, while another client signs in to that account
    assert top_level_error(body) == RATE_LIMITED
    assert await signs_in(client, account.email, from_address="10.1.1.1")
    clock.advance(minutes=16)
    assert await signs_in(client, account.email, from_address="10.9.9.9")


async def test_a_limited_address_answers_exactly_as_a_limited_unknown_one(
    client: TestClient,
) -> None:
    # given an account and an unknown address, each with three failed attempts from a client
    account = await make_account()
    unknown = new_address()
    for _ in range(3):
        await login(client, account.email, WRONG_PASSWORD, from_address="10.2.0.1")
        await login(client, unknown, WRONG_PASSWORD, from_address="10.3.0.1")

    # when each is tried again from its client
    known_answer = await whole_response(
        client,
        LOGIN,
        {"input": {"email": account.email, "password": PASSWORD}},
        from_address="10.2.0.1",
    )
    unknown_answer = await whole_response(
        client, LOGIN, {"input": {"email": unknown, "password": PASSWORD}}, from_address="10.3.0.1"
    )

    # then the two responses are identical
    assert known_answer == unknown_answer
    assert "RATE_LIMITED" in known_answer[2]


async def test_a_success_clears_the_clients_failures_on_the_address(client: TestClient) -> None:
    # given two failed attempts on an account from a client, then a success from it
    account = await make_account()
    for _ in range(2):
        await login(client, account.email, WRONG_PASSWORD, from_address="10.4.0.1")
    assert await signs_in(client, account.email, from_address="10.4.0.1")

    # when the owner mistypes twice more there
    for _ in range(2):
        assert refused(await login(client, account.email, WRONG_PASSWORD, from_address="10.4.0.1"))

    # then the right password still works from it
    assert await signs_in(client, account.email, from_address="10.4.0.1")


async def test_refused_attempts_do_not_extend_the_wait(client: TestClient, clock: Clock) -> None:
    # given a client locked out of an address by three failures
    account = await make_account()
    for _ in range(3):
        await login(client, account.email, WRONG_PASSWORD, from_address="10.6.0.1")

    # when it tries again and again while locked, up to the end of the window
    for _ in range(3):
        clock.advance(minutes=4)
        assert top_level_error(await login(client, account.email, from_address="10.6.0.1"))[0] == (
            "RATE_LIMITED"
        )
    clock.advance(minutes=4)

    # then the window counts from the failures, not from the refusals
    assert await signs_in(client, account.email, from_address="10.6.0.1")


async def test_the_limits_hold_across_server_processes(
    aiohttp_client: AiohttpClient, client: TestClient, smtp: SmtpServer, clock: Clock
) -> None:
    # given a second server on the same database (as another worker process would be)
    other_server = await aiohttp_client(
        create_app(account_settings(smtp), manage_database=False, clock=clock)
    )
    account = await make_account()

    # when a client fails on the address on one server, then on the other
    await login(client, account.email, WRONG_PASSWORD, from_address="10.8.0.1")
    await login(other_server, account.email, WRONG_PASSWORD, from_address="10.8.0.1")
    await login(client, account.email, WRONG_PASSWORD, from_address="10.8.0.1")

    # then both servers refuse its next attempt
    again = await login(other_server, account.email, from_address="10.8.0.1")
    assert top_level_error(again)[0] == "RATE_LIMITED"
    again = await login(client, account.email, from_address="10.8.0.1")
    assert top_level_error(again)[0] == "RATE_LIMITED"


async def test_the_forwarded_address_is_ignored_without_a_trusted_proxy(
    aiohttp_client: AiohttpClient, smtp: SmtpServer, database: None, clock: Clock
) -> None:
    # given a server that trusts no proxy
    direct = await aiohttp_client(
        create_app(
            account_settings(smtp, trusted_proxy_count=0), manage_database=False, clock=clock
        )
    )

    # when one client fails five times, claiming a different address each time
    for n in range(5):
        await login(direct, new_address(), WRONG_PASSWORD, from_address=f"10.10.0.{n}")

    # then it is limited as the one client it is
    account = await make_account()
    body = await login(direct, account.email, from_address="10.10.0.200")
    assert top_level_error(body) == RATE_LIMITED


async def test_behind_two_proxies_the_address_the_outer_proxy_saw_counts(
    aiohttp_client: AiohttpClient, smtp: SmtpServer, database: None, clock: Clock
) -> None:
    # given a server behind two proxies
    proxied = await aiohttp_client(
        create_app(
            account_settings(smtp, trusted_proxy_count=2), manage_database=False, clock=clock
        )
    )

    # when one client fails five times, putting a different address before the proxies' each time
    for n in range(5):
        forged = f"192.0.2.{n}, 10.11.0.1, 10.0.0.254"
        await login(proxied, new_address(), WRONG_PASSWORD, from_address=forged)

    # then it is limited by the address the outer proxy saw, and another client is not
    account = await make_account()
    limited = await login(proxied, account.email, from_address="192.0.2.77, 10.11.0.1, 10.0.0.254")
    assert top_level_error(limited) == RATE_LIMITED
    free = await login(proxied, account.email, from_address="10.11.0.2, 10.0.0.254")
    assert payload(free, "login")["errors"] == []


async def test_ipv6_clients_are_counted_by_their_64_bit_prefix(client: TestClient) -> None:
    # given one IPv6 client failing five times from five addresses of its /64
    for n in range(5):
        await login(client, new_address(), WRONG_PASSWORD, from_address=f"2001:db8:1:2::{n + 1}")

    # when it signs in from yet another address of that /64, and another /64 does
    account = await make_account()
    same = await login(client, account.email, from_address="2001:db8:1:2:ffff::1")
    other = await login(client, account.email, from_address="2001:db8:1:3::1")

    # then the first is limited and the second is not
    assert top_level_error(same) == RATE_LIMITED
    assert payload(other, "login")["errors"] == []


# --- bursts: counted one at a time --------------------------------------------------------------


def outcome(body: dict) -> str:
    """WRONG (tried, and the password was wrong), SIGNED_IN, or the top-level error's code."""
    if "errors" in body:
        return top_level_error(body)[0]
    return "WRONG" if refused(body) else "SIGNED_IN"


async def test_of_a_burst_of_wrong_passwords_exactly_the_limit_is_tried(
    client: TestClient, clock: Clock
) -> None:
    # given ten wrong passwords for one address, sent at once from one client
    account = await make_account()
    burst = [
        login(client, account.email, WRONG_PASSWORD, from_address="10.12.0.1") for _ in range(10)
    ]

    # when they are answered
    outcomes = [outcome(body) for body in await asyncio.gather(*burst)]

    # then three (the limit in these tests) are tried, and only the other seven are refused
    assert sorted(outcomes) == ["RATE_LIMITED"] * 7 + ["WRONG"] * 3

    # and once the window has passed, the right password signs in: the refusals left no trace
    clock.advance(minutes=16)
    assert await signs_in(client, account.email, from_address="10.12.0.1")


async def test_of_a_burst_from_many_clients_exactly_the_ceiling_is_tried(
    client: TestClient,
) -> None:
    # given ten wrong passwords for one address, sent at once from ten clients
    account = await make_account()
    burst = [
        login(client, account.email, WRONG_PASSWORD, from_address=f"10.12.2.{n}") for n in range(10)
    ]

    # when they are answered
    outcomes = [outcome(body) for body in await asyncio.gather(*burst)]

    # then six (the ceiling in these tests) are tried, and only the other four are refused
    assert sorted(outcomes) == ["RATE_LIMITED"] * 4 + ["WRONG"] * 6


async def test_of_a_burst_from_one_client_exactly_the_limit_is_tried(client: TestClient) -> None:
    # given one client sending wrong passwords for ten addresses at once
    burst = [
        login(client, new_address(), WRONG_PASSWORD, from_address="10.13.0.1") for _ in range(10)
    ]

    # when they are answered
    outcomes = [outcome(body) for body in await asyncio.gather(*burst)]

    # then five (the client limit in these tests) are tried, and only the other five refused
    assert sorted(outcomes) == ["RATE_LIMITED"] * 5 + ["WRONG"] * 5


async def test_a_burst_within_the_limit_refuses_nobody(client: TestClient) -> None:
    # given two wrong passwords and the right one for one address, sent at once
    account = await make_account()
    burst = [
        login(client, account.email, WRONG_PASSWORD, from_address="10.14.0.1"),
        login(client, account.email, PASSWORD, from_address="10.14.0.2"),
        login(client, account.email, WRONG_PASSWORD, from_address="10.14.0.3"),
    ]

    # when they are answered
    outcomes = [outcome(body) for body in await asyncio.gather(*burst)]

    # then each is tried: the wrong ones are refused as wrong, the right one signs in
    assert outcomes == ["WRONG", "SIGNED_IN", "WRONG"]
