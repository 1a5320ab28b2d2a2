"""Hourly budgets of cost points, one per API token (per address for anonymous clients),
counted in the database so that every process sees what the others spent.

Checking a budget costs no statement on most requests: each process adds up what its clients
spend and writes its additions in one statement at most every `sync_seconds`, reading back
the totals; a client's first request in an hour in a process writes at once, to learn what
the others spent. A client can so overspend by what it spends in one sync interval, in each
process at most."""

import asyncio
import hashlib
import time
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from tortoise import connections

from ...sqljson.statements import current_dialect
from ..core.errors import RateLimited
from ..core.scope import Scope

HOUR = timedelta(hours=1)
KEPT_WINDOWS = timedelta(days=1)


class BudgetSpent(RateLimited):
    def __init__(self, limit: int, reset_at: datetime, spent: int) -> None:
        self.limit = limit
        self.reset_at = reset_at
        self.spent = spent
        """What the client had spent of this hour's budget when refused."""
        super().__init__(
            f"The hourly budget of {limit} cost points is spent; "
            f"it resets at {reset_at.isoformat()}."
        )


@dataclass(frozen=True, slots=True)
class Usage:
    limit: int
    remaining: int
    reset_at: datetime


def client_key(scope: Scope) -> str:
    """Whom a request's points count against, hashed: its token, or its client's address."""
    actor = scope.actor
    who = f"token:{actor.token_id}" if actor.token_id is not None else f"address:{scope.client}"
    return hashlib.sha256(who.encode()).hexdigest()


@dataclass
class HourlyBudgets:
    limit: int
    """Points a client may spend an hour; 0 for no budget."""
    sync_seconds: float
    _window: datetime | None = None
    _known: dict[str, int] = field(default_factory=dict)
    """Each client's total in the database when this process last wrote or read it."""
    _pending: dict[str, int] = field(default_factory=dict)
    """What clients spent here since, not yet written."""
    _synced_at: float = 0.0
    _old_windows_left: bool = True
    _lock: asyncio.Lock = field(default_factory=asyncio.Lock)

    async def spend(self, scope: Scope, points: int) -> Usage | None:
        """Counts the points against the request's client; raises BudgetSpent when they do
        not fit in what is left of its hour. Nothing gives points back: what is left never
        rises above the limit."""
        if self.limit == 0:
            return None
        points = max(points, 0)
        window = scope.now.replace(minute=0, second=0, microsecond=0)
        key = client_key(scope)
        if window != self._window:
            self._window, self._known, self._pending = window, {}, {}
            self._old_windows_left = True
        self._pending.setdefault(key, 0)  # written, or read back, at the next sync
        if self._needs_sync(key):
            await self._sync(window, key)
        spent = self._known.get(key, 0) + self._pending.get(key, 0)
        if spent + points > self.limit:
            raise BudgetSpent(self.limit, window + HOUR, spent)
        self._pending[key] = self._pending.get(key, 0) + points
        return Usage(self.limit, min(self.limit, self.limit - spent - points), window + HOUR)

    async def flush(self) -> None:
        """Writes what is pending (at shutdown)."""
        if self._window is not None and self._pending:
            await self._sync(self._window)

    def _needs_sync(self, key: str) -> bool:
        return key not in self._known or time.monotonic() - self._synced_at >= self.sync_seconds

    async def _sync(self, window: datetime, key: str | None = None) -> None:
        async with self._lock:
            if not self._pending or window != self._window:
                return
            if key is not None and not self._needs_sync(key):
                return  # a sync while this one waited for the lock brought what it needed
            written = dict(self._pending)
            self._synced_at = time.monotonic()
            totals = await _add_spent(window, written)
            for key, added in written.items():
                left = self._pending.get(key, 0) - added
                if left > 0:
                    self._pending[key] = left
                else:
                    self._pending.pop(key, None)
            self._known.update(totals)
            if self._old_windows_left:
                self._old_windows_left = False
                await _forget_before(window - KEPT_WINDOWS)


async def _add_spent(window: datetime, added: dict[str, int]) -> dict[str, int]:
    client = connections.get("default")
    dialect = current_dialect()
    rows: list[str] = []
    params: list[object] = []
    for key, points in added.items():
        start = len(params)
        marks = [dialect.param(start + n) for n in (1, 2, 3)]
        rows.append(f"({', '.join(marks)})")
        params += [key, dialect.datetime_value(window), points]
    sql = (
        "INSERT INTO client_budgets (key, window_start, spent) VALUES "
        + ", ".join(rows)
        + " ON CONFLICT (key, window_start) DO UPDATE"
        " SET spent = client_budgets.spent + excluded.spent RETURNING key, spent"
    )
    results = await client.execute_query_dict(sql, params)
    return {str(row["key"]): int(row["spent"]) for row in results}


async def _forget_before(moment: datetime) -> None:
    dialect = current_dialect()
    sql = f"DELETE FROM client_budgets WHERE window_start < {dialect.param(1)}"
    await connections.get("default").execute_query(sql, [dialect.datetime_value(moment)])
