"""One-statement writes sent together. While batches of a statement are on their way to
PostgreSQL (two at most, so that one slow commit does not hold up every write), later calls of
the same statement wait, and then go as one batch by asyncpg's pipelined `fetchmany`:
one round trip and one commit for all of them (the commit's flush to disk is most of a small
write's cost). The statements of a batch run in turn, each as if alone (a later one sees what the
earlier ones wrote), in one transaction: when any of them fails, none is written, and each is
sent again alone, so that each gets its own answer or its own error. A call that finds nothing
on its way is sent at once, alone: a quiet server waits for nothing.

For statements that answer exactly one row each and lock at most one existing row: each call
names it (`lock_order`), and a batch runs its statements in that order, so that two batches
lock rows in one order and never wait on each other in a circle.

Each statement takes one parameter more than its call gives: whether it is its batch's last
(a lone statement is its own batch's last). What a batch needs done once before its commit (the
status pages' stamps and the NOTIFY of the issues' writes) its last statement does."""

import asyncio
import weakref
from collections.abc import Sequence

from asyncpg.exceptions import PostgresError

from .statements import fetch_each, fetch_row

Row = tuple[object, ...]

MAX_BATCH = 64
"""Calls sent in one batch at most: a batch's locks are held until its last statement ran."""
LANES = 2
"""Batches of one statement on their way at once."""


class _Call:
    __slots__ = ("answer", "lock_order", "params")

    def __init__(self, params: Sequence[object], lock_order: int) -> None:
        self.params = params
        self.lock_order = lock_order
        self.answer: asyncio.Future[Row] = asyncio.get_running_loop().create_future()


class _Line:
    """The calls of one statement: those waiting, and how many batches are on their way."""

    def __init__(self, sql: str) -> None:
        self.sql = sql
        self.waiting: list[_Call] = []
        self.sending = 0

    async def row(self, params: Sequence[object], lock_order: int) -> Row:
        call = _Call(params, lock_order)
        self.waiting.append(call)
        if self.sending < LANES:
            self.sending += 1
            asyncio.get_running_loop().create_task(self._send(), name="batched writes")
        # The write goes on if the caller goes away: it may already be committed.
        return await asyncio.shield(call.answer)

    async def _send(self) -> None:
        try:
            while self.waiting:
                batch, self.waiting = self.waiting[:MAX_BATCH], self.waiting[MAX_BATCH:]
                await self._answer(sorted(batch, key=_lock_order))
        finally:
            self.sending -= 1

    async def _answer(self, batch: list[_Call]) -> None:
        try:
            rows = await _rows(self.sql, batch)
        except PostgresError as refused:
            if len(batch) == 1:
                _settle(batch[0], refused)
                return
            for call in batch:  # nothing of the batch was written: each alone, for its answer
                await self._answer([call])
            return
        except asyncio.CancelledError:  # the server stops
            for call in batch:
                call.answer.cancel()
            raise
        except Exception as failed:  # the connection broke: whether it committed is unknown
            for call in batch:
                _settle(call, failed)
            return
        for call, row in zip(batch, rows, strict=True):
            _settle(call, row)


async def _rows(sql: str, batch: list[_Call]) -> list[Row]:
    """The batch's rows: pipelined, or one statement sent as every lone write is."""
    if len(batch) > 1:
        last = len(batch) - 1
        return await fetch_each(sql, [[*call.params, n == last] for n, call in enumerate(batch)])
    row = await fetch_row(sql, [*batch[0].params, True])
    if row is None:
        raise ValueError("a batched statement answered no row")
    return [row]


def _lock_order(call: _Call) -> int:
    return call.lock_order


def _settle(call: _Call, outcome: Row | Exception) -> None:
    if call.answer.done():
        return
    if isinstance(outcome, Exception):
        call.answer.set_exception(outcome)
    else:
        call.answer.set_result(outcome)


_lines: "weakref.WeakKeyDictionary[asyncio.AbstractEventLoop, dict[str, _Line]]" = (
    weakref.WeakKeyDictionary()
)


async def write_row(sql: str, params: Sequence[object], lock_order: int = 0) -> Row:
    """The statement's one row, the statement sent alone or with others of its kind (above).
    `lock_order`: the id of the existing row the statement locks, if any. The statement's
    last parameter, after `params`, says whether it closes its batch."""
    lines = _lines.setdefault(asyncio.get_running_loop(), {})
    line = lines.get(sql)
    if line is None:
        line = lines[sql] = _Line(sql)
    return await line.row(params, lock_order)
