"""The PostgreSQL engine Tortoise uses here: its own, with pooled connections that skip the
session reset asyncpg runs each time a connection goes back to the pool, and transactions that
give their connection back when they cannot begin.

That reset (`SELECT pg_advisory_unlock_all(); CLOSE ALL; UNLISTEN *; RESET ALL`) costs a
round trip on every request. Nothing here leaves such state on a pooled connection: no `SET`,
no cursors outside transactions, advisory locks only for a transaction
(`pg_advisory_xact_lock`, released by its end), and whatever takes session locks or listens does
so on a connection of its own. Open transactions are still always rolled back (asyncpg does that
whatever the reset query).

Its pool hands connections out first come, first served (`FairPool`).

Tortoise takes a connection from the pool and then sends BEGIN; when BEGIN fails (the
connection dropped while it sat in the pool, the server restarts) the connection is never given
back, and after a few such failures the pool is empty for good: every request waits for ever.
Here it goes back to the pool (which reconnects it when next taken)."""

import asyncio
import inspect
from typing import Any

import asyncpg
from asyncpg.connection import Connection
from asyncpg.pool import PoolConnectionProxy
from tortoise.backends.asyncpg.client import AsyncpgDBClient, TransactionWrapper
from tortoise.backends.base.client import TransactionContext, TransactionContextPooled
from tortoise.connection import get_connections


class PooledConnection(Connection):  # type: ignore[misc]
    def get_reset_query(self) -> str:
        return ""


class FairPool(asyncpg.Pool):  # type: ignore[misc]
    """asyncpg's pool, its connections handed out in the order they were asked for. Its own
    queue lets a newcomer take a connection just given back before the request woken for it
    runs, and the woken one then queues again at the back: with more requests than connections
    some waited many turns (on uvloop, Q2's p99 with 32 clients was 51-56 ms with ten
    connections, 20 ms when no request waited)."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._turns = asyncio.Semaphore(kwargs["max_size"])  # waiters wake in order, no barging

    async def _acquire(self, timeout: float | None) -> Any:  # noqa: ASYNC109 (asyncpg's)
        await self._turns.acquire()
        try:
            return await super()._acquire(timeout)
        except BaseException:
            self._turns.release()
            raise

    async def release(
        self,
        connection: Any,
        *,
        timeout: float | None = None,  # noqa: ASYNC109 (asyncpg's signature)
    ) -> Any:
        ours = type(connection) is PoolConnectionProxy and connection._holder._pool is self
        if not ours or connection._con is None:  # refused, or given back already
            return await super().release(connection, timeout=timeout)
        try:
            return await super().release(connection, timeout=timeout)
        finally:
            self._turns.release()


_POOL_DEFAULTS = {
    name: parameter.default
    for name, parameter in inspect.signature(asyncpg.create_pool).parameters.items()
    if parameter.kind is parameter.KEYWORD_ONLY
}
"""`asyncpg.create_pool`'s defaults, for building a `FairPool` as it builds its pool."""


class _TransactionContext(TransactionContextPooled):
    async def __aenter__(self) -> Any:
        await self.ensure_connection()
        pool = self.client._parent._pool
        self.client._connection = await pool.acquire()
        self.token = get_connections().set(self.connection_name, self.client)
        try:
            await self.client.begin()
        except BaseException:
            get_connections().reset(self.token)
            await pool.release(self.client._connection)
            raise
        return self.client


class PostgresClient(AsyncpgDBClient):
    connection_class = PooledConnection

    async def create_pool(self, **settings: Any) -> asyncpg.Pool:
        return await FairPool(None, **{**_POOL_DEFAULTS, **settings})

    def _in_transaction(self) -> TransactionContext:
        return _TransactionContext(TransactionWrapper(self), self._pool_init_lock)


client_class = PostgresClient
