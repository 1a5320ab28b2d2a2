"""`rotate-encryption-key`: every encrypted secret re-encrypted under the first of
ENCRYPTION_KEYS, in batches by id, each batch in one transaction. Values already under the
first key are left alone, so a run cut short can simply run again; when it has finished, keys
after the first may be removed from the settings."""

from dataclasses import dataclass

from tortoise.connection import get_connection
from tortoise.transactions import in_transaction

from .encryption import Keyring
from .sqljson.statements import current_dialect

BATCH = 500


@dataclass(frozen=True, slots=True)
class EncryptedColumn:
    table: str
    column: str

    @property
    def purpose(self) -> str:
        """What the value is bound to (as `models.encrypted.EncryptedTextField` binds it)."""
        return f"{self.table}.{self.column}"


ENCRYPTED_COLUMNS = (
    EncryptedColumn("webhooks", "secret"),
    EncryptedColumn("webhooks", "previous_secret"),
    EncryptedColumn("issues", "webhook_secret"),
)


async def reencrypt_all(keyring: Keyring) -> dict[str, int]:
    """How many values of each column were re-encrypted."""
    return {column.purpose: await _reencrypt(keyring, column) for column in ENCRYPTED_COLUMNS}


async def _reencrypt(keyring: Keyring, column: EncryptedColumn) -> int:
    client = get_connection("default")
    dialect = current_dialect()
    # The names come from ENCRYPTED_COLUMNS, never from input.
    table, name = column.table, column.column
    update = f"UPDATE {table} SET {name} = {dialect.param(1)} WHERE id = {dialect.param(2)}"  # noqa: S608
    done, last = 0, 0
    while True:
        rows = await client.execute_query_dict(
            f"SELECT id, {name} AS stored FROM {table}"  # noqa: S608
            f" WHERE id > {int(last)} AND {name} IS NOT NULL ORDER BY id LIMIT {BATCH}"
        )
        if not rows:
            return done
        stale = [row for row in rows if not keyring.is_current(row["stored"])]
        if stale:
            values = [
                [
                    keyring.encrypt(keyring.decrypt(row["stored"], column.purpose), column.purpose),
                    row["id"],
                ]
                for row in stale
            ]
            async with in_transaction() as connection:
                await connection.execute_many(update, values)
            done += len(stale)
        last = rows[-1]["id"]
