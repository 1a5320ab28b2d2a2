"""Where a subscriber's results go: a WebSocket, or an HTTP stream (server-sent events,
`multipart/mixed`). A sink is written to at once while its reader keeps up; past that its
frames wait in a backlog of at most LIVE_QUEUE_SIZE, written by a task of its own, and a
reader that falls further behind is disconnected (4429) rather than waited for: the hub that
writes to every sink never waits on one."""

import asyncio
from collections import deque
from typing import Any

from aiohttp import web

from ...sqljson.text import as_ascii_json, dumps
from ..http.streams import StreamWriter

ROOM_BYTES = 32 * 1024
"""What a connection's own buffer may hold before its frames wait: below the transport's
high-water mark, so a write never waits for the reader."""
TOO_SLOW = 4429


class Sink:
    """A connection the hub writes results to, each once, in order."""

    def __init__(self, request: web.Request, most: int) -> None:
        self.request = request
        self.most = most
        self.backlog: deque[str] | None = None
        self.closed = False
        self._drainer: asyncio.Task[None] | None = None

    async def next(self, number: str, payload: str) -> None:
        """A result of the subscription whose id is `number` (as JSON text)."""
        raise NotImplementedError

    async def write(self, text: str) -> None:
        if self.closed:
            return
        if self.backlog is None and self._has_room(len(text)):
            try:
                await self._send(text)
            except ConnectionError:
                self.close(1006, "The connection was lost.")
            return
        if self.backlog is None:
            self.backlog = deque()
            self._drainer = asyncio.ensure_future(self._drain())
        if len(self.backlog) >= self.most:
            self.close(TOO_SLOW, "Events came faster than they were read.")
            return
        self.backlog.append(text)

    def close(self, code: int, reason: str) -> None:
        """Ends the connection (at once: nothing waiting is written)."""
        raise NotImplementedError

    def _has_room(self, size: int) -> bool:
        transport = self.request.transport
        return transport is not None and transport.get_write_buffer_size() + size <= ROOM_BYTES

    async def _send(self, text: str) -> None:
        raise NotImplementedError

    async def _drain(self) -> None:
        try:
            while self.backlog and not self.closed:
                await self._send(self.backlog.popleft())
        except ConnectionError:
            self.close(1006, "The connection was lost.")
        finally:
            self.backlog = None
            self._drainer = None


class SocketSink(Sink):
    """A graphql-transport-ws WebSocket."""

    def __init__(self, request: web.Request, socket: web.WebSocketResponse, most: int) -> None:
        super().__init__(request, most)
        self.socket = socket
        self._closing: set[asyncio.Future[Any]] = set()

    async def next(self, number: str, payload: str) -> None:
        await self.write('{"id":' + number + ',"type":"next","payload":' + payload + "}")

    async def message(self, message: dict[str, Any]) -> None:
        """A protocol message, in order with the results."""
        await self.write(as_ascii_json(dumps(message)))

    def close(self, code: int, reason: str) -> None:
        if self.closed:
            return
        self.closed = True
        if self.backlog is not None:
            self.backlog.clear()
        closing = asyncio.ensure_future(self.socket.close(code=code, message=reason.encode()))
        self._closing.add(closing)
        closing.add_done_callback(self._closing.discard)

    async def _send(self, text: str) -> None:
        await self.socket.send_str(text)


class StreamSink(Sink):
    """An HTTP answer streamed as server-sent events or `multipart/mixed` parts."""

    def __init__(self, request: web.Request, writer: StreamWriter, most: int) -> None:
        super().__init__(request, most)
        self.writer = writer
        self.ended = asyncio.Event()
        self.code = 1000

    async def next(self, number: str, payload: str) -> None:
        await self.write(payload)

    def close(self, code: int, reason: str) -> None:
        self.closed = True
        self.code = code
        self.ended.set()

    async def _send(self, text: str) -> None:
        await self.writer.result(text)

    async def heartbeat(self) -> None:
        """A comment (or an empty part) while nothing else comes: a client that left is found
        out so."""
        if self.backlog is None and not self.closed:
            try:
                await self.writer.heartbeat()
            except ConnectionError:
                self.close(1006, "The client left.")
