"""The PostgreSQL engine Tortoise uses here: its own, with pooled connections that skip the
session reset asyncpg runs each time a connection goes back to the pool.

That reset (`SELECT pg_advisory_unlock_all(); CLOSE ALL; UNLISTEN *; RESET ALL`) costs a
round trip on every request. Nothing here leaves such state on a pooled connection: no `SET`,
no cursors outside transactions, and whatever takes advisory locks or listens does so on a
connection of its own. Open transactions are still always rolled back (asyncpg does that
whatever the reset query)."""

from asyncpg.connection import Connection
from tortoise.backends.asyncpg.client import AsyncpgDBClient


class PooledConnection(Connection):  # type: ignore[misc]
    def get_reset_query(self) -> str:
        return ""


class PostgresClient(AsyncpgDBClient):
    connection_class = PooledConnection


client_class = PostgresClient
