"""A process's short memory of the tokens it has looked up, so a burst of requests with one
token costs one lookup, not one a request.

A token (with its user, and every column either has) is kept `seconds` at most, and at most
`size` of them. A token revoked, or a user changed, by this process is forgotten at once (see
`forget_signed_in`); by another process, within `seconds`: then the next lookup reads the
database again, on every face. The requests that miss a token at the same time (a burst, when
its time is up) wait for one lookup together, not one each."""

import asyncio
import time
import weakref
from collections import OrderedDict
from collections.abc import Awaitable, Callable
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
        self._reading: dict[str, asyncio.Future[ApiToken | None]] = {}
        """The lookups under way, by digest: a request that misses joins the one under way."""
        self._generation = 0
        """Counts `clear`s: a lookup begun before one is not kept."""
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

    async def look_up(
        self, digest: str, read: Callable[[], Awaitable[ApiToken | None]]
    ) -> ApiToken | None:
        """A copy of the token `read` finds for `digest`, kept; one `read` for all the
        requests that ask meanwhile."""
        if self.seconds <= 0:
            return await read()
        reading = self._reading.get(digest)
        if reading is None:
            reading = asyncio.ensure_future(self._read(digest, read, self._generation))
            reading.add_done_callback(_retrieved)
            self._reading[digest] = reading
        found = await asyncio.shield(reading)  # a request that leaves stops no other's lookup
        return None if found is None else _copied(found)

    async def _read(
        self, digest: str, read: Callable[[], Awaitable[ApiToken | None]], generation: int
    ) -> ApiToken | None:
        try:
            token = await read()
            if token is not None and generation == self._generation:
                self.keep(digest, token)
            return token
        finally:
            if self._reading.get(digest) is asyncio.current_task():
                del self._reading[digest]

    def keep(self, digest: str, token: ApiToken) -> None:
        if self.seconds <= 0:
            return
        self._tokens[digest] = (self.clock(), _copied(token))
        self._tokens.move_to_end(digest)
        while len(self._tokens) > self.size:
            self._tokens.popitem(last=False)

    def clear(self) -> None:
        """Forgets every token; a lookup under way is neither kept nor joined any more."""
        self._tokens.clear()
        self._reading.clear()
        self._generation += 1


def _retrieved(reading: "asyncio.Future[ApiToken | None]") -> None:
    """A failed lookup fails its requests; one whose requests all left is not reported."""
    if not reading.cancelled():
        reading.exception()


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
