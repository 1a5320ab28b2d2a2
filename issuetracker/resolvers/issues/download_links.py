"""Signed download URLs for an issue's files: what a browser puts in an `<img src>` or a link,
where it can send no `Authorization` header.

Only someone who may see the issue is handed one (the GraphQL and REST faces build it for the
uploads they show), and it works for a short while for anyone who holds it: an HMAC-SHA256,
under SECRET_KEY, of the file's path and an expiry (the signed links of `notifications/
signing.py`). The expiry is rounded up to a step of UPLOAD_LINK_MINUTES, so the URL stays the
same for a while and browsers can cache the file; it works for at least UPLOAD_LINK_MINUTES and
less than twice that."""

import uuid
from datetime import UTC, datetime, timedelta

from tortoise.expressions import Subquery

from ...models import Issue, Upload
from ...notifications.signing import LinkState, check_link, signed_url
from ...settings import Settings
from ..core.errors import Forbidden, NotFound
from .uploads import download_path


def signed_download_url(settings: Settings, guid: uuid.UUID, now: datetime) -> str:
    """The file's URL under PUBLIC_URL, downloadable without a token until it expires."""
    step = timedelta(minutes=settings.upload_link_minutes)
    start = _step_start(now, step)
    return signed_url(
        settings.public_url, settings.secret_key, download_path(guid), start, 2 * step
    )


def _step_start(now: datetime, step: timedelta) -> datetime:
    seconds = int(step.total_seconds())
    return datetime.fromtimestamp(int(now.timestamp()) // seconds * seconds, UTC)


async def upload_of_link(
    secret_key: str, guid: uuid.UUID, expires: str | None, signature: str | None, now: datetime
) -> Upload:
    """The file a signed URL names, while the URL is valid and its issue is not deleted."""
    state = check_link(secret_key, download_path(guid), expires, signature, now)
    if state is LinkState.EXPIRED:
        raise Forbidden("The download link has expired; ask for the file again.")
    if state is not LinkState.VALID:
        raise Forbidden("The download link is not valid.")
    live_issues = Issue.filter(deleted_at__isnull=True).values_list("id", flat=True)
    upload = await Upload.get_or_none(guid=guid, issue_id__in=Subquery(live_issues))
    if upload is None:
        raise NotFound("File not found.")
    return upload


def seconds_left(expires: str, now: datetime) -> int:
    """How long a valid link's expiry (its `expires` parameter) is away."""
    return max(0, int(expires) - int(now.timestamp()))
