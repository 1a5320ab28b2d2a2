"""The tokens in account e-mails' links: which user a token names, and why one is refused."""

import hmac
import uuid
from collections.abc import Callable
from datetime import datetime
from enum import Enum

from ...models import User, UserStatus
from ...notifications.link_tokens import Purpose, read_token
from ...notifications.signing import LinkState
from ..core.errors import ErrorCode, FieldError, ValidationFailed
from .account_emails import email_stamp, password_stamp


class TokenProblem(Enum):
    INVALID = ("The link is not valid.", ErrorCode.INVALID_TOKEN)
    EXPIRED = ("The link has expired; ask for a new one.", ErrorCode.EXPIRED_TOKEN)
    USED = ("The link was already used.", ErrorCode.USED_TOKEN)

    def __init__(self, message: str, code: ErrorCode) -> None:
        self.message = message
        self.code = code


class BadToken(ValidationFailed):
    """A refused link token: a payload error on GraphQL, a clear page on the pages."""

    def __init__(self, problem: TokenProblem) -> None:
        self.problem = problem
        super().__init__([FieldError("token", problem.message, problem.code)])


async def _user_of_token(
    purpose: Purpose,
    token: str,
    secret_key: str,
    now: datetime,
    stamp_of: Callable[[User], str],
    changed: TokenProblem,
) -> User:
    """The user a valid token names; `changed` is the problem when its stamp no longer fits.
    Tokens are ASCII: other text (a lone surrogate among it) is no token, never compared."""
    if not token.isascii():
        raise BadToken(TokenProblem.INVALID)
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
        Purpose.VERIFY_EMAIL, token, secret_key, now, email_stamp, TokenProblem.INVALID
    )


async def check_password_token(token: str, secret_key: str, now: datetime) -> User:
    """The user a set-password link is for, while the password is the one it was made for."""
    return await _user_of_token(
        Purpose.SET_PASSWORD, token, secret_key, now, password_stamp, TokenProblem.USED
    )
