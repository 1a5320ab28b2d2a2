"""`rotate-encryption-key`: the secrets kept encrypted moved under the first key."""

from .. import db, encryption
from ..reencryption import reencrypt_all
from ..settings import Settings


async def rotate_encryption_key(settings: Settings) -> int:
    encryption.install_for(settings)
    if settings.should_migrate_on_start:
        await db.apply_migrations(settings.database_url)
    await db.open_database(settings.database_url)
    try:
        counts = await reencrypt_all(encryption.current())
    finally:
        await db.close_database()
    for purpose, count in counts.items():
        print(f"{purpose}: {count} re-encrypted")
    print("every secret is under the first key now; the other keys may be removed")
    return 0
