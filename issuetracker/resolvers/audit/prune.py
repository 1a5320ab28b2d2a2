"""Entries older than AUDIT_RETENTION_DAYS go, oldest first, a batch at a time so no delete
holds its locks for long."""

from datetime import datetime, timedelta

from ...models import AuditEntry

BATCH = 5000


async def prune_audit_log(now: datetime, retention: timedelta) -> int:
    """How many entries were deleted."""
    cutoff = now - retention
    deleted = 0
    while True:
        ids = (
            await AuditEntry.filter(created_at__lt=cutoff)
            .order_by("created_at")
            .limit(BATCH)
            .values_list("id", flat=True)
        )
        if not ids:
            return deleted
        deleted += await AuditEntry.filter(id__in=list(ids)).delete()
