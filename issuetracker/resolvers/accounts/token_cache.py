"""A process's short memory of the tokens it has looked up, so a burst of requests with one
token costs one lookup, not one a request.

A token (with its user, and every column either has) is kept `seconds` at most, and at most
`size` of them. A token revoked, or a user changed, by this process is forgotten at once (see
`forget_signed_in`); by another process, within `seconds`: then the next lookup reads the
database again, on every face."""

import time
import weakref
from collections import OrderedDict
from collections.abc import Callable
from typing import TypeVar

from ...models import ApiToken

T = TypeVar("T")

_caches: "weakref.WeakSet[TokenCache]" = weakref.WeakSet()


class TokenCache:
    def __init__(
        self, seconds: float, size: int = 4096, clock: Callable[[], float] = time.monotonic
    ) -> None:
        self.seconds = seconds
        self.size = size
        self.clock = clock
        self._tokens: OrderedDict[str, tuple[float, ApiToken]] = OrderedDict()
        _caches.add(self)

    def get(self, digest: str) -> ApiToken | None:
        """A copy of the token kept for `digest` (with a copy of its user), while fresh."""
        kept = self._tokens.get(digest)
        if kept is None:
            return None
        read_at, token = kept
        if self.clock() - read_at >= self.seconds:
            del self._tokens[digest]
            return None
        return _copied(token)

    def keep(self, digest: str, token: ApiToken) -> None:
        if self.seconds <= 0:
            return
        self._tokens[digest] = (self.clock(), _copied(token))
        self._tokens.move_to_end(digest)
        while len(self._tokens) > self.size:
            self._tokens.popitem(last=False)

    def clear(self) -> None:
        self._tokens.clear()


def _copied(token: ApiToken) -> ApiToken:
    """Requests may change the objects they are given: each gets its own (shallow copies, as
    `copy.copy` makes them, without its generic machinery: models keep their state in
    `__dict__`)."""
    token = _shallow(token)
    token.user = _shallow(token.user)
    return token


def _shallow(model: T) -> T:
    copied = object.__new__(type(model))
    copied.__dict__.update(model.__dict__)
    return copied


def forget_signed_in() -> None:
    """Every cache of this process forgets every token: called when a token is revoked or a
    user changed here, so this process never answers from what it knew before."""
    for cache in list(_caches):
        cache.clear()
