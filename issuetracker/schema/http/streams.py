"""Answers written as streams: server-sent events as graphql-sse's distinct connections mode
has them (`next` events, then `complete`), or `multipart/mixed` parts (Apollo Client's
multipart subscriptions wrap each result as `{"payload": ...}` and take `{}` as a heartbeat).
A subscription streams until it ends or the client leaves; a query or mutation is one event."""

from aiohttp import web

from .media import EVENT_STREAM

HEARTBEAT_SECONDS = 15.0
"""A comment (or an empty part) this often, so proxies keep a quiet stream open."""
BOUNDARY = "graphql"


class StreamWriter:
    def __init__(self, response: web.StreamResponse, media: str, wrapped: bool) -> None:
        self.response = response
        self.media = media
        self.wrapped = wrapped

    @classmethod
    async def open(
        cls,
        request: web.Request,
        media: str,
        subscription_spec: bool,
        headers: dict[str, str] | None = None,
    ) -> "StreamWriter":
        """`headers`: the answer's own (what the request spent of the budget)."""
        response = web.StreamResponse(headers={"Cache-Control": "no-store", **(headers or {})})
        if media == EVENT_STREAM:
            response.content_type = EVENT_STREAM
            response.headers["X-Accel-Buffering"] = "no"  # nginx: pass each event on at once
        else:
            spec = ';subscriptionSpec="1.0"' if subscription_spec else ""
            response.headers["Content-Type"] = f'multipart/mixed;boundary="{BOUNDARY}"{spec}'
        await response.prepare(request)
        writer = cls(response, media, subscription_spec)
        if media != EVENT_STREAM:
            await writer._write(f"\r\n--{BOUNDARY}")
        return writer

    async def result(self, text: str) -> None:
        """One result, given as its JSON text."""
        if self.media == EVENT_STREAM:
            await self._write(f"event: next\ndata: {text}\n\n")
        else:
            await self._part('{"payload":' + text + "}" if self.wrapped else text)

    async def heartbeat(self) -> None:
        if self.media == EVENT_STREAM:
            await self._write(":\n\n")
        elif self.wrapped:
            await self._part("{}")

    async def complete(self) -> None:
        if self.media == EVENT_STREAM:
            await self._write("event: complete\ndata:\n\n")
        else:
            await self._write("--\r\n")
        await self.response.write_eof()

    async def _part(self, text: str) -> None:
        """A part, closed by the next boundary at once, so the client can read it now."""
        part = f"\r\ncontent-type: application/json\r\n\r\n{text}\r\n--{BOUNDARY}"
        await self._write(part)

    async def _write(self, text: str) -> None:
        await self.response.write(text.encode())
