"""Choosing a new password through an e-mailed link. A reset request always answers the same,
and only an account's own address gets a link."""

from tortoise.transactions import in_transaction

from ...models import ApiToken, User, UserStatus
from ..core.scope import Scope
from ..core.validation import Collector
from . import account_emails
from .limits import mail_limit, request_limit
from .link_token_checks import BadToken, TokenProblem, check_password_token
from .passwords import check_new_password, hash_password
from .ratelimits import take, try_take
from .token_cache import forget_signed_in


async def request_password_reset(scope: Scope, email: str) -> None:
    check = Collector()
    address = check.email("email", email) or ""
    check.raise_if_any()
    await take([request_limit(scope)], scope.now)
    user = await User.get_or_none(email=address)
    # Counted for unknown addresses too, so the limit behaves the same for every address.
    allowed = await try_take([mail_limit(scope, address)], scope.now)
    if user is not None and user.status is UserStatus.ACTIVE and allowed:
        await account_emails.password_reset(scope, user)


async def reset_password(scope: Scope, token: str, password: str) -> User:
    """Sets the password a link was sent for, verifies the address (the link proved it), and
    ends every sign-in of the user."""
    now = scope.now
    user = await check_password_token(token, scope.policy.secret_key, now)
    check = Collector()
    check_new_password(check, "password", password, email=user.email, name=user.name)
    check.raise_if_any()
    had_password = bool(user.password_hash)
    new_hash = await hash_password(scope.policy.password_hashing, password)
    async with in_transaction():
        # Conditional, so of two uses of one link at the same moment only one sets a password.
        changed = await User.filter(id=user.id, password_hash=user.password_hash).update(
            password_hash=new_hash, email_verified_at=user.email_verified_at or now
        )
        if not changed:
            raise BadToken(TokenProblem.USED)
        await ApiToken.filter(user_id=user.id, revoked_at__isnull=True).update(revoked_at=now)
        if had_password:
            await account_emails.password_changed(scope, user)
    forget_signed_in()
    await user.refresh_from_db()
    return user
