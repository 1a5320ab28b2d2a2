"""Registering and verifying the e-mail address.

No answer tells whether an address has an account: registering a taken address answers as a new
one, and e-mails the address's owner instead."""

import uuid

from tortoise.transactions import in_transaction

from ...models import User, UserStatus
from ..core.actor import require_user
from ..core.errors import AlreadyVerified
from ..core.scope import Scope
from ..core.validation import Collector
from . import account_emails
from .limits import mail_limit, request_limit
from .link_token_checks import check_verification_token
from .passwords import check_new_password, hash_password
from .ratelimits import take, try_take
from .token_cache import forget_signed_in
from .users import NAME_LENGTH


async def register(scope: Scope, email: str, name: str, password: str) -> None:
    check = Collector()
    address = check.email("email", email) or ""
    cleaned_name = check.text("name", name, max_length=NAME_LENGTH) or ""
    check_new_password(check, "password", password, email=address, name=cleaned_name)
    check.raise_if_any()
    await take([request_limit(scope)], scope.now)
    # Hashed for a taken address too, so both answers take as long.
    password_hash = await hash_password(scope.policy.password_hashing, password)
    async with in_transaction():
        user, created = await User.get_or_create(
            email=address,
            defaults={"guid": uuid.uuid4(), "name": cleaned_name, "password_hash": password_hash},
        )
        if user.status is not UserStatus.ACTIVE:
            return
        if not await try_take([mail_limit(scope, address)], scope.now):
            return
        if created:
            await account_emails.verification(scope, user)
        else:
            await account_emails.account_exists(scope, user)


async def resend_verification(scope: Scope) -> User:
    user = require_user(scope.actor)
    if user.email_verified_at is not None:
        raise AlreadyVerified()
    await take([request_limit(scope), mail_limit(scope, user.email)], scope.now)
    await account_emails.verification(scope, user)
    return user


async def verify_email(scope: Scope, token: str) -> bool:
    """True when this verified the address, False when it already was."""
    user = await check_verification_token(token, scope.policy.secret_key, scope.now)
    verified = await User.filter(id=user.id, email_verified_at__isnull=True).update(
        email_verified_at=scope.now
    )
    forget_signed_in()
    return bool(verified)
