"""The PostgreSQL engine Tortoise uses here: its own, with pooled connections that skip the
session reset asyncpg runs each time a connection goes back to the pool, and transactions that
give their connection back when they cannot begin.

That reset (`SELECT pg_advisory_unlock_all(); CLOSE ALL; UNLISTEN *; RESET ALL`) costs a
round trip on every request. Nothing here leaves such state on a pooled connection: no `SET`,
no cursors outside transactions, advisory locks only for a transaction
(`pg_advisory_xact_lock`, released by its end), and whatever takes session locks or listens does
so on a connection of its own. Open transactions are still always rolled back (asyncpg does that
whatever the reset query).

Tortoise takes a connection from the pool and then sends BEGIN; when BEGIN fails (the
connection dropped while it sat in the pool, the server restarts) the connection is never given
back, and after a few such failures the pool is empty for good: every request waits for ever.
Here it goes back to the pool (which reconnects it when next taken)."""

from typing import Any

from asyncpg.connection import Connection
from tortoise.backends.asyncpg.client import AsyncpgDBClient, TransactionWrapper
from tortoise.backends.base.client import TransactionContext, TransactionContextPooled
from tortoise.connection import get_connections


class PooledConnection(Connection):  # type: ignore[misc]
    def get_reset_query(self) -> str:
        return ""


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

    def _in_transaction(self) -> TransactionContext:
        return _TransactionContext(TransactionWrapper(self), self._pool_init_lock)


client_class = PostgresClient
