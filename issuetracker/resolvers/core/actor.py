"""Who is acting: anonymous or a signed-in user."""

from dataclasses import dataclass

from ...models import User
from .errors import Forbidden, Unauthenticated


@dataclass(frozen=True, slots=True)
class Actor:
    user: User | None = None
    token_id: int | None = None
    """The API token the request was made with, so signing out can revoke that one."""

    @property
    def is_authenticated(self) -> bool:
        return self.user is not None

    @property
    def user_id(self) -> int | None:
        return self.user.id if self.user else None


ANONYMOUS = Actor()


def require_user(actor: Actor) -> User:
    if actor.user is None:
        raise Unauthenticated()
    return actor.user


def require_verified_user(actor: Actor) -> User:
    """A signed-in user whose e-mail address is verified: creating companies and issues needs
    one, so unverified sign-ups cannot use the server to send e-mail to others."""
    user = require_user(actor)
    if user.email_verified_at is None:
        raise Forbidden(
            "Verify your e-mail address first: follow the link in the e-mail we sent "
            "(resendVerificationEmail sends a new one)."
        )
    return user
