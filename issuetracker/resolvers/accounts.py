"""Accounts: registering, verifying the address, signing in and out, and choosing a new password
through an e-mailed link.

No answer tells whether an address has an account: registering a taken address answers as a
new one (and e-mails the owner instead), a wrong password and an unknown address fail alike,
and a reset request always answers the same."""

import hmac
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import Enum

from tortoise.transactions import in_transaction

from ..models import ApiToken, User, UserStatus
from ..notifications.account_links import Purpose, read_token
from ..notifications.signing import LinkState
from ..settings import Settings
from . import account_mail
from .actor import Actor, require_user
from .errors import Conflict, FieldError, Unauthenticated, ValidationFailed
from .passwords import check_new_password, hash_password, needs_rehash, verify_password
from .ratelimits import Limit, forget, take, try_take
from .tokens import IssuedToken, issue_token, revoke_api_token
from .validation import Collector

DEFAULT_TOKEN_NAME = "Signed in"  # noqa: S105 (a label, not a secret)


@dataclass(frozen=True, slots=True)
class Caller:
    """Where a request comes from (the client address limits are counted by) and when."""

    client: str
    now: datetime


class TokenProblem(Enum):
    INVALID = ("The link is not valid.", "INVALID_TOKEN")
    EXPIRED = ("The link has expired; ask for a new one.", "EXPIRED_TOKEN")
    USED = ("The link was already used.", "USED_TOKEN")

    def __init__(self, message: str, code: str) -> None:
        self.message = message
        self.code = code


class BadToken(ValidationFailed):
    """A refused link token: a payload error on GraphQL, a clear page on the pages."""

    def __init__(self, problem: TokenProblem) -> None:
        self.problem = problem
        super().__init__([FieldError("token", problem.message, problem.code)])


class AlreadyVerified(Conflict):
    code = "ALREADY_VERIFIED"
    default_message = "Your e-mail address is already verified."


def _invalid_credentials() -> ValidationFailed:
    """One answer for an unknown address, a wrong password and an account without one."""
    return ValidationFailed.single(
        "email", "The e-mail address or the password is incorrect.", "INVALID_CREDENTIALS"
    )


# --- limits -----------------------------------------------------------------------------------


def login_limits(settings: Settings, address: str, client: str) -> list[Limit]:
    window = timedelta(minutes=settings.login_failure_window_minutes)
    return [
        Limit(f"login:address:{address}", settings.login_failures_per_address, window),
        Limit(f"login:client:{client}", settings.login_failures_per_client, window),
    ]


def _request_limit(settings: Settings, client: str) -> Limit:
    """Registrations, reset requests and new verification e-mails from one client."""
    window = timedelta(minutes=settings.account_window_minutes)
    return Limit(f"account:client:{client}", settings.account_requests_per_client, window)


def _mail_limit(settings: Settings, address: str) -> Limit:
    """Account e-mails to one address, so nobody can flood a mailbox through us."""
    window = timedelta(minutes=settings.account_window_minutes)
    return Limit(f"account-mail:address:{address}", settings.account_emails_per_address, window)


def reset_link_lifetime(settings: Settings) -> timedelta:
    return timedelta(minutes=settings.password_reset_link_minutes)


# --- registering and verifying ----------------------------------------------------------------


async def register(
    email: str, name: str, password: str, settings: Settings, caller: Caller
) -> None:
    check = Collector()
    address = check.email("email", email) or ""
    cleaned_name = check.text("name", name) or ""
    check_new_password(check, "password", password, email=address, name=cleaned_name)
    check.raise_if_any()
    await take([_request_limit(settings, caller.client)], caller.now)
    password_hash = await hash_password(
        password
    )  # for a taken address too: both answers take as long
    async with in_transaction():
        user, created = await User.get_or_create(
            email=address,
            defaults={"guid": uuid.uuid4(), "name": cleaned_name, "password_hash": password_hash},
        )
        if user.status is not UserStatus.ACTIVE:
            return
        if not await try_take([_mail_limit(settings, address)], caller.now):
            return
        if created:
            await account_mail.verification(user)
        else:
            await account_mail.account_exists(user, reset_link_lifetime(settings))


async def resend_verification(actor: Actor, settings: Settings, caller: Caller) -> User:
    user = require_user(actor)
    if user.email_verified_at is not None:
        raise AlreadyVerified()
    limits = [_request_limit(settings, caller.client), _mail_limit(settings, user.email)]
    await take(limits, caller.now)
    await account_mail.verification(user)
    return user


async def _user_of_token(
    purpose: Purpose,
    token: str,
    secret_key: str,
    now: datetime,
    stamp_of: Callable[[User], str],
    changed: TokenProblem,
) -> User:
    """The user a valid token names; `changed` is the problem when its stamp no longer fits."""
    state, guid, stamp = read_token(secret_key, purpose, token, now)
    if state is LinkState.EXPIRED:
        raise BadToken(TokenProblem.EXPIRED)
    if state is not LinkState.VALID:
        raise BadToken(TokenProblem.INVALID)
    user = await User.get_or_none(guid=uuid.UUID(hex=guid))
    if user is None or user.status is not UserStatus.ACTIVE:
        raise BadToken(TokenProblem.INVALID)
    if not hmac.compare_digest(stamp_of(user), stamp):
        raise BadToken(changed)
    return user


async def check_verification_token(token: str, secret_key: str, now: datetime) -> User:
    return await _user_of_token(
        Purpose.VERIFY_EMAIL,
        token,
        secret_key,
        now,
        account_mail.email_stamp,
        TokenProblem.INVALID,
    )


async def verify_email(token: str, secret_key: str, now: datetime) -> bool:
    """True when this verified the address, False when it already was."""
    user = await check_verification_token(token, secret_key, now)
    verified = await User.filter(id=user.id, email_verified_at__isnull=True).update(
        email_verified_at=now
    )
    return bool(verified)


# --- signing in and out -----------------------------------------------------------------------


async def login(
    email: str, password: str, token_name: str | None, settings: Settings, caller: Caller
) -> IssuedToken:
    """Every attempt counts against the address and the client until it succeeds; while either
    limit is full, even the right password is refused."""
    address = email.strip().lower()
    check = Collector()
    name = check.text("token_name", token_name, required=False) or DEFAULT_TOKEN_NAME
    check.raise_if_any()
    limits = login_limits(settings, address, caller.client)
    taken = await take(limits, caller.now)
    user = await User.get_or_none(email=address) if address else None
    valid = await verify_password(user.password_hash if user else None, password)
    if user is None or not valid or user.status is not UserStatus.ACTIVE:
        raise _invalid_credentials()
    await taken.give_back()
    await forget(limits[0])  # a success clears the address's failures, not the client's
    if needs_rehash(user.password_hash):
        await User.filter(id=user.id, password_hash=user.password_hash).update(
            password_hash=await hash_password(password)
        )
    return await issue_token(user, name, timedelta(days=settings.token_lifetime_days))


async def logout(actor: Actor) -> ApiToken:
    require_user(actor)
    if actor.token_id is None:
        raise Unauthenticated()
    return await revoke_api_token(actor, actor.token_id)


# --- choosing a new password through a link ---------------------------------------------------


async def request_password_reset(email: str, settings: Settings, caller: Caller) -> None:
    check = Collector()
    address = check.email("email", email) or ""
    check.raise_if_any()
    await take([_request_limit(settings, caller.client)], caller.now)
    user = await User.get_or_none(email=address)
    # Counted for unknown addresses too, so the limit behaves the same for every address.
    allowed = await try_take([_mail_limit(settings, address)], caller.now)
    if user is not None and user.status is UserStatus.ACTIVE and allowed:
        await account_mail.password_reset(user, reset_link_lifetime(settings))


async def check_password_token(token: str, secret_key: str, now: datetime) -> User:
    """The user a set-password link is for, while the password is the one it was made for."""
    return await _user_of_token(
        Purpose.SET_PASSWORD,
        token,
        secret_key,
        now,
        account_mail.password_stamp,
        TokenProblem.USED,
    )


async def reset_password(token: str, password: str, secret_key: str, now: datetime) -> User:
    """Sets the password a link was sent for, verifies the address (the link proved it), and
    ends every sign-in of the user."""
    user = await check_password_token(token, secret_key, now)
    check = Collector()
    check_new_password(check, "password", password, email=user.email, name=user.name)
    check.raise_if_any()
    had_password = bool(user.password_hash)
    new_hash = await hash_password(password)
    async with in_transaction():
        # Conditional, so of two uses of one link at the same moment only one sets a password.
        changed = await User.filter(id=user.id, password_hash=user.password_hash).update(
            password_hash=new_hash, email_verified_at=user.email_verified_at or now
        )
        if not changed:
            raise BadToken(TokenProblem.USED)
        await ApiToken.filter(user_id=user.id, revoked_at__isnull=True).update(revoked_at=now)
        if had_password:
            await account_mail.password_changed(user)
    await user.refresh_from_db()
    return user


async def user_for_invitation(address: str) -> User:
    """The user with this address, or a new account for it: unverified and without a password
    until its owner follows the e-mailed link, named after the address until they choose."""
    defaults = {"guid": uuid.uuid4(), "name": address.partition("@")[0]}
    user, _ = await User.get_or_create(email=address, defaults=defaults)
    return user
