"""Limits on attempts, counted in the database so that every process sees the same counts.

An attempt is recorded *before* it is tried and counted with the others over the limit's
window, so a burst of parallel guesses is counted too. Counting and recording are one atomic
step: attempts under the same key take turns (an advisory lock on PostgreSQL; on SQLite the
transaction's first statement is a write, and SQLite lets one writer in at a time), so of a
burst exactly as many get through as the limit holds, and the others are refused without
being recorded, so waiting out the window always works. Keys are hashed before they are
stored."""

import hashlib
from dataclasses import dataclass
from datetime import datetime, timedelta

from tortoise.backends.base.client import BaseDBAsyncClient
from tortoise.transactions import in_transaction

from ...models import RateLimitHit
from ..core.errors import RateLimited

LONGEST_WINDOW = timedelta(days=1)
"""Hits older than this are deleted as new ones arrive (settings allow no longer window)."""


@dataclass(frozen=True, slots=True)
class Limit:
    key: str
    most: int
    """How many attempts the window holds."""
    window: timedelta

    @property
    def digest(self) -> str:
        return hashlib.sha256(self.key.encode()).hexdigest()


@dataclass(frozen=True, slots=True)
class Taken:
    """Attempts recorded under some limits, to give back when they turn out not to count."""

    hit_ids: list[int]

    async def give_back(self) -> None:
        await RateLimitHit.filter(id__in=self.hit_ids).delete()


async def try_take(limits: list[Limit], now: datetime) -> Taken | None:
    """Records one attempt under every limit; None (recording nothing) if any limit is full."""
    async with in_transaction() as connection:
        await _take_turns(connection, limits)
        await RateLimitHit.filter(created_at__lt=now - LONGEST_WINDOW).delete()
        for limit in limits:
            window_start = now - limit.window
            count = await RateLimitHit.filter(key=limit.digest, created_at__gt=window_start).count()
            if count >= limit.most:
                return None
        hits = [await RateLimitHit.create(key=limit.digest, created_at=now) for limit in limits]
    return Taken([hit.id for hit in hits])


async def _take_turns(connection: BaseDBAsyncClient, limits: list[Limit]) -> None:
    """Until the transaction ends, no other attempt under these keys counts or records. On
    PostgreSQL a transaction's advisory lock per key, taken in one order, so two attempts never
    wait for each other crosswise; on SQLite the delete that follows takes the database's one
    write lock (and Tortoise's one connection is the transaction's meanwhile)."""
    if connection.capabilities.dialect != "postgres":
        return
    for digest in sorted({limit.digest for limit in limits}):
        lock_id = int.from_bytes(bytes.fromhex(digest[:16]), "big", signed=True)
        await connection.execute_query("SELECT pg_advisory_xact_lock($1)", [lock_id])


async def take(limits: list[Limit], now: datetime) -> Taken:
    """As `try_take`, raising RateLimited when a limit is full."""
    taken = await try_take(limits, now)
    if taken is None:
        raise RateLimited()
    return taken


async def forget(limit: Limit) -> None:
    """Forgets every attempt under the limit's key (e.g. a sign-in succeeded)."""
    await RateLimitHit.filter(key=limit.digest).delete()
