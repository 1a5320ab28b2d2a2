"""The SQLite engine Tortoise uses here: its own, with one fix for a database that cannot be
opened (a missing directory, an unmounted volume).

Tortoise opens its one connection lazily, under a lock, and when opening fails it keeps the lock
for ever (so does a transaction whose BEGIN fails): every later statement waits on it, so the
server hangs instead of answering 503 and never notices the file is back. Here a failed opening
gives the lock back and leaves no half-opened connection behind, so the next statement tries
again."""

import asyncio
import contextlib
import sqlite3
from typing import Any

import aiosqlite
from tortoise.backends.base.client import ConnectionWrapper, TransactionContext
from tortoise.backends.sqlite.client import (
    SqliteClient,
    SqliteTransactionContext,
    SqliteTransactionWrapper,
)
from tortoise.connection import get_connections

THREAD_JOIN_SECONDS = 5.0


class _ConnectionWrapper(ConnectionWrapper[Any]):
    async def __aenter__(self) -> Any:
        await self._lock.acquire()
        try:
            await self.ensure_connection()
        except BaseException:
            self._lock.release()
            raise
        return self.connection


class _TransactionContext(SqliteTransactionContext):
    async def __aenter__(self) -> Any:
        await self._trxlock.acquire()
        try:
            await self.ensure_connection()
            self.token = get_connections().set(self.connection_name, self.connection)
            try:
                await self.connection.begin()
            except BaseException:
                get_connections().reset(self.token)
                raise
        except BaseException:
            self._trxlock.release()
            raise
        return self.connection


class ReopeningSqliteClient(SqliteClient):
    async def create_connection(self, with_db: bool) -> None:
        """Tortoise's, but a failure leaves nothing open: no connection, and no worker thread
        that would finish its work after the event loop is gone."""
        if self._connection:
            return
        opening = aiosqlite.connect(self.filename, isolation_level=None)
        try:
            self._connection = await opening
            self._connection._conn.row_factory = sqlite3.Row
            for pragma, value in self.pragmas.items():
                cursor = await self._connection.execute(f"PRAGMA {pragma}={value}")
                await cursor.close()
            await self._post_connect()
        except BaseException:
            self._connection = None
            await asyncio.shield(_closed(opening))
            raise

    def acquire_connection(self) -> ConnectionWrapper[Any]:
        return _ConnectionWrapper(self._lock, self)

    def _in_transaction(self) -> TransactionContext:
        return _TransactionContext(SqliteTransactionWrapper(self), self._lock)


async def _closed(connection: aiosqlite.Connection) -> None:
    """Closes a connection that failed to open (or to set up), and waits for its thread."""
    with contextlib.suppress(Exception):
        await connection.close()  # stops the thread; a failed opening has stopped it already
    await asyncio.to_thread(connection._thread.join, THREAD_JOIN_SECONDS)


client_class = ReopeningSqliteClient
