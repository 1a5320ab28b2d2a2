"""Rendered copies of status pages and feeds, kept per process and served while the company's
status version (`resolvers/status/stamps.py`, read in one statement per request) is the one
they were made from: most views cost that one statement and no rendering. The `ETag` is a
digest of the body, so every process gives the same copy the same tag, and a client that has
it gets `304 Not Modified`."""

import hashlib
from collections import OrderedDict
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import datetime
from email.utils import format_datetime

from aiohttp import hdrs, web

from ..resolvers.status.stamps import Stamp

CopyKey = tuple[int, str, int]
"""(the company's id, what it is: "page", "issue", "feed", ..., the issue's or category's id)"""
COPIES_KEPT = 2000
"""Rendered copies a process keeps, the least recently used dropped first."""


@dataclass(frozen=True, slots=True)
class RenderedCopy:
    body: bytes
    """Empty for "nothing to show" (a 404)."""
    content_type: str
    last_modified: datetime
    good_until: datetime | None = None
    """When what it shows changes with no change to the company (None: never)."""

    @property
    def found(self) -> bool:
        return bool(self.body)

    @property
    def etag(self) -> str:
        return '"' + hashlib.sha256(self.body).hexdigest()[:32] + '"'


@dataclass(frozen=True, slots=True)
class _Kept:
    made_from: tuple[int, datetime]
    copy: RenderedCopy
    etag: str


class RenderedCopies:
    def __init__(self, size: int = COPIES_KEPT) -> None:
        self.size = size
        self._kept: OrderedDict[CopyKey, _Kept] = OrderedDict()

    async def get(
        self,
        key: CopyKey,
        stamp: Stamp,
        now: datetime,
        render: Callable[[], Awaitable[RenderedCopy]],
    ) -> tuple[RenderedCopy, str]:
        """The copy and its ETag: the kept one if still good, else a new one from `render`."""
        made_from = (stamp.version, stamp.changed_at)
        kept = self._kept.get(key)
        if kept is not None and kept.made_from == made_from and _still_good(kept.copy, now):
            self._kept.move_to_end(key)
            return kept.copy, kept.etag
        copy = await render()
        self._kept[key] = _Kept(made_from, copy, copy.etag)
        self._kept.move_to_end(key)
        while len(self._kept) > self.size:
            self._kept.popitem(last=False)
        return copy, self._kept[key].etag


def _still_good(copy: RenderedCopy, now: datetime) -> bool:
    return copy.good_until is None or now < copy.good_until


def _not_modified(request: web.Request, etag: str, last_modified: datetime) -> bool:
    """RFC 9110 13.2.2: If-None-Match decides when sent; else If-Modified-Since."""
    if_none_match = request.headers.get(hdrs.IF_NONE_MATCH)
    if if_none_match is not None:
        tags = {tag.strip().removeprefix("W/") for tag in if_none_match.split(",")}
        return "*" in tags or etag in tags
    since = request.if_modified_since
    return since is not None and last_modified.replace(microsecond=0) <= since


def answer(
    request: web.Request, copy: RenderedCopy, etag: str, headers: dict[str, str]
) -> web.Response:
    """The copy, or 304 when the client has it; `headers` are the page's own."""
    validators: dict[str, str] = {
        hdrs.ETAG: etag,
        hdrs.LAST_MODIFIED: format_datetime(copy.last_modified, usegmt=True),
    }
    if _not_modified(request, etag, copy.last_modified):
        return web.Response(status=304, headers={**headers, **validators})
    response = web.Response(body=copy.body, headers={**headers, **validators})
    response.content_type = copy.content_type
    response.charset = "utf-8"
    return response
