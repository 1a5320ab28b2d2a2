"""Quiet WebSockets of tokens that stopped working: every LIVE_RECHECK_SECONDS one statement
checks the tokens of all the process's open sockets, and each socket whose token was revoked
or expired (or whose user was disabled) meanwhile is closed with 4403."""

import asyncio
import contextlib
import logging
from collections.abc import Callable
from datetime import datetime
from typing import Protocol

from ..resolvers.accounts.tokens import unusable_tokens

log = logging.getLogger("issuetracker.live")
REVOKED = 4403


class Closable(Protocol):
    async def close(self, code: int, reason: str) -> None: ...


class TokenSweep:
    def __init__(self, seconds: float, clock: Callable[[], datetime]) -> None:
        self.seconds = seconds
        self.clock = clock
        self.watched: dict[int, set[Closable]] = {}
        self._task: asyncio.Task[None] | None = None
        self._stopping = asyncio.Event()

    def watch(self, token_id: int | None, socket: Closable) -> None:
        if token_id is None:
            return
        self.watched.setdefault(token_id, set()).add(socket)
        if self._task is None:
            self._task = asyncio.create_task(self._run(), name="live token sweep")

    def forget(self, socket: Closable) -> None:
        for token_id, sockets in list(self.watched.items()):
            sockets.discard(socket)
            if not sockets:
                del self.watched[token_id]

    async def close(self) -> None:
        """Lets a check under way finish (a statement cut off mid-way would be left to its
        database's thread), then stops."""
        self._stopping.set()
        if self._task is not None:
            try:
                await asyncio.wait_for(asyncio.shield(self._task), 5.0)
            except Exception:  # a last check that failed, or took too long: moot now
                self._task.cancel()
            self._task = None

    async def _run(self) -> None:
        while self.watched and not self._stopping.is_set():
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self._stopping.wait(), self.seconds)
            if self._stopping.is_set():
                break
            try:
                gone = await unusable_tokens(set(self.watched), self.clock())
            except Exception as failure:  # the database is away: look again next time
                log.warning("tokens of live sockets could not be checked: %s", failure)
                continue
            for token_id in gone:
                for socket in self.watched.pop(token_id, set()):
                    await socket.close(REVOKED, "The token was revoked or has expired.")
        self._task = None
