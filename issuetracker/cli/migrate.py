"""`migrate`: the database's schema brought up to date, or `--check`ed."""

from .. import db, encryption
from ..settings import Settings


async def migrate(settings: Settings, *, check: bool) -> int:
    if check:
        pending = await db.pending_migrations(settings.database_url)
        for name in pending:
            print(f"pending {name}")
        print(f"{len(pending)} migrations pending" if pending else "the database is up to date")
        return 1 if pending else 0
    encryption.install_for(settings)
    applied = await db.apply_migrations(settings.database_url, say=print)
    print(f"applied {len(applied)} migrations" if applied else "the database is up to date")
    return 0
