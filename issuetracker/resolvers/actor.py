"""Who is acting: anonymous or a signed-in user."""

from dataclasses import dataclass

from ..models import User
from .errors import Unauthenticated


@dataclass(frozen=True, slots=True)
class Actor:
    user: User | None = None

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
