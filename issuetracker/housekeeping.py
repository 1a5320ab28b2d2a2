"""Work done now and then beside the dispatcher (in the server or in `worker`): today,
pruning the audit log past AUDIT_RETENTION_DAYS. Several processes may do it at once; a
delete of rows already gone deletes nothing."""

import asyncio
import contextlib
import logging
from collections.abc import Callable
from datetime import datetime, timedelta

from .db import database_unreachable
from .resolvers.audit.prune import prune_audit_log
from .settings import Settings

log = logging.getLogger("issuetracker.housekeeping")

INTERVAL_SECONDS = 3600.0


async def housekeep_once(settings: Settings, now: datetime) -> int:
    return await prune_audit_log(now, timedelta(days=settings.audit_retention_days))


async def housekeep(settings: Settings, clock: Callable[[], datetime], stop: asyncio.Event) -> None:
    while not stop.is_set():
        try:
            pruned = await housekeep_once(settings, clock())
            if pruned:
                log.info("audit log pruned", extra={"entries": pruned})
        except Exception as failure:
            if not database_unreachable(failure):
                log.exception("housekeeping failed")
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(stop.wait(), INTERVAL_SECONDS)
