"""GraphQL documents registered by their SHA-256 hash, so that every process finds them."""

import hashlib
from datetime import datetime

from ...models import RegisteredDocument


def sha256_of(document: str) -> str:
    return hashlib.sha256(document.encode()).hexdigest()


async def registered_document(sha256: str) -> str | None:
    row = await RegisteredDocument.get_or_none(sha256=sha256.lower())
    return row.document if row else None


async def register_document(document: str, name: str, now: datetime) -> str:
    """Registers the document (again: the same text gives the same hash); returns its hash."""
    sha256 = sha256_of(document)
    await RegisteredDocument.update_or_create(
        defaults={"document": document, "name": name[:255], "registered_at": now}, sha256=sha256
    )
    return sha256
