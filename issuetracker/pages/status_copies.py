"""Rendered copies of status pages and feeds, kept per process and served while the company's
status version (`resolvers/status/stamps.py`, read in one statement per request) is the one
they were made from: most views cost that one statement and no rendering. The `ETag` is a
digest of the body, so every process gives the same copy the same tag, and a client that has
it gets `304 Not Modified`."""

import asyncio
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
BYTES_KEPT = 64 * 1024 * 1024
"""How much a process keeps of rendered copies, the least recently used dropped first (a
company's page of 200 open issues is about 100 KB)."""


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
    def __init__(self, max_bytes: int = BYTES_KEPT) -> None:
        self.max_bytes = max_bytes
        self._kept: OrderedDict[CopyKey, _Kept] = OrderedDict()
        self._bytes = 0
        self._rendering: dict[tuple[CopyKey, tuple[int, datetime]], asyncio.Task[_Kept]] = {}

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
        made = await asyncio.shield(self._render_once(key, made_from, render))
        return made.copy, made.etag

    def _render_once(
        self,
        key: CopyKey,
        made_from: tuple[int, datetime],
        render: Callable[[], Awaitable[RenderedCopy]],
    ) -> "asyncio.Task[_Kept]":
        """Views that come together after a change wait for one rendering, not one each."""
        task = self._rendering.get((key, made_from))
        if task is None:

            async def rendered() -> _Kept:
                try:
                    copy = await render()
                    made = _Kept(made_from, copy, copy.etag)
                    self._keep(key, made)
                    return made
                finally:
                    del self._rendering[(key, made_from)]

            task = asyncio.ensure_future(rendered())
            self._rendering[(key, made_from)] = task
        return task

    def _keep(self, key: CopyKey, kept: _Kept) -> None:
        if (old := self._kept.pop(key, None)) is not None:
            self._bytes -= len(old.copy.body)
        self._kept[key] = kept
        self._bytes += len(kept.copy.body)
        while self._bytes > self.max_bytes and len(self._kept) > 1:
            _, dropped = self._kept.popitem(last=False)
            self._bytes -= len(dropped.copy.body)


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
