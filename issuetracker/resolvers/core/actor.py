"""Who is acting: anonymous or a signed-in user."""

from dataclasses import dataclass

from ...models import User
from .errors import Forbidden, Unauthenticated


@dataclass(frozen=True, slots=True)
class Actor:
    user: User | None = None
    token_id: int | None = None
    """The API token the request was made with, so signing out can revoke that one."""
    read_only: bool = False
    """The token runs queries and subscriptions only: every write is refused."""
    companies: frozenset[int] | None = None
    """A token limited to these companies acts as if its user were a member of these only
    (of those the user still is a member of); None: not limited."""

    @property
    def is_authenticated(self) -> bool:
        return self.user is not None

    @property
    def user_id(self) -> int | None:
        return self.user.id if self.user else None

    def scope_text(self) -> str:
        """The token's scope in words, for the messages that refuse it."""
        parts = ["read-only"] if self.read_only else []
        if self.companies is not None:
            listed = ", ".join(str(number) for number in sorted(self.companies)) or "none"
            parts.append(f"limited to companies {listed}")
        return " and ".join(parts) or "unrestricted"


ANONYMOUS = Actor()


def require_writer(actor: Actor) -> None:
    """Writes are refused to a read-only token, whatever they write."""
    if actor.read_only:
        raise Forbidden(
            f"This token is {actor.scope_text()}: it may run queries and subscriptions, "
            "not changes."
        )


def require_unlimited(actor: Actor, what: str) -> None:
    """What reaches beyond companies (making one) is refused to a company-limited token."""
    if actor.companies is not None:
        raise Forbidden(f"This token is {actor.scope_text()}: it may not {what}.")


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
