"""Signing in and out. A wrong password, an unknown address and an account without a password
fail alike, after the same work."""

from tortoise.transactions import in_transaction

from ...models import ApiToken, User, UserStatus
from ..core.actor import require_user
from ..core.errors import ErrorCode, RateLimited, Unauthenticated, ValidationFailed
from ..core.scope import Scope
from ..core.validation import EMAIL_LENGTH, Collector
from .limits import login_limits
from .passwords import MAX_LENGTH, hash_password, needs_rehash, verify_password
from .ratelimits import forget, take
from .sign_in_audit import record_lock, record_sign_in
from .tokens import NAME_LENGTH, IssuedToken, issue_token, revoke_api_token

DEFAULT_TOKEN_NAME = "Signed in"  # noqa: S105 (a label, not a secret)


def _invalid_credentials() -> ValidationFailed:
    return ValidationFailed.single(
        "email",
        "The e-mail address or the password is incorrect.",
        ErrorCode.INVALID_CREDENTIALS,
    )


async def login(scope: Scope, email: str, password: str, token_name: str | None) -> IssuedToken:
    """Every attempt counts against the address from this client, the address and the client
    until it succeeds (`login_limits`); while one of those is full, even the right password is
    refused."""
    check = Collector()
    address = check.text("email", email.lower(), max_length=EMAIL_LENGTH, required=False) or ""
    check.secret("password", password, max_length=MAX_LENGTH)
    name = check.text("token_name", token_name, max_length=NAME_LENGTH, required=False)
    check.raise_if_any()
    name = name or DEFAULT_TOKEN_NAME
    limits = login_limits(scope, address)
    try:
        taken = await take(limits, scope.now)
    except RateLimited:
        await record_lock(scope, address)
        raise
    user = await User.get_or_none(email=address) if address else None
    hashing = scope.policy.password_hashing
    valid = await verify_password(hashing, user.password_hash if user else None, password)
    if user is None or not valid or user.status is not UserStatus.ACTIVE:
        raise _invalid_credentials()
    await taken.give_back()
    # A success clears this client's failures on the address, not the address's ceiling (a
    # guesser elsewhere keeps counting) nor the client's other failures.
    await forget(limits[0])
    if needs_rehash(hashing, user.password_hash):
        await User.filter(id=user.id, password_hash=user.password_hash).update(
            password_hash=await hash_password(hashing, password)
        )
    async with in_transaction():
        await record_sign_in(scope, user)
        return await issue_token(scope, user, name, scope.policy.token_lifetime)


async def logout(scope: Scope) -> ApiToken:
    require_user(scope.actor)
    if scope.actor.token_id is None:
        raise Unauthenticated()
    return await revoke_api_token(scope, scope.actor.token_id)
