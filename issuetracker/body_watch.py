"""A request whose body stops arriving is ended: aiohttp waits for the rest of a body as long as
the connection stays open, so a client that sends its headers and then stalls (or trickles
nothing) would hold its handler, and its socket, for good. Like nginx's `client_body_timeout`,
the limit is on the silence between two reads of the client's bytes, not on the whole body, so
a large upload on a slow line goes through.

A body that had all arrived with the headers (a small JSON body, as most requests carry) is not
watched at all. What is watched is the bytes received, not those read: every handler reads a body
as it arrives (into memory, or a spooled temporary file for uploads) before it awaits anything
else, so a body that stops growing is the client's doing, never a handler's slowness."""

import asyncio

from aiohttp import StreamReader, web

STALLED_MESSAGE = "The request body stopped arriving."


class BodyStalled(web.HTTPRequestTimeout):
    """Raised by the handler's next read of a body that stopped arriving."""

    def __init__(self) -> None:
        super().__init__(text=STALLED_MESSAGE)


class _Watch:
    def __init__(self, content: StreamReader, seconds: float) -> None:
        self.content = content
        self.seconds = seconds
        self.received = -1
        self.timer: asyncio.TimerHandle | None = None
        self._check()

    def _check(self) -> None:
        content = self.content
        if content.is_eof() or content.exception() is not None:
            return
        received = content.total_bytes
        if received == self.received:
            content.set_exception(BodyStalled())
            return
        self.received = received
        self.timer = asyncio.get_running_loop().call_later(self.seconds, self._check)

    @property
    def stalled(self) -> bool:
        """Once it is, the answer closes the connection: the rest of the body is not waited
        for."""
        return isinstance(self.content.exception(), BodyStalled)

    def stop(self) -> None:
        if self.timer is not None:
            self.timer.cancel()


def watch_body(request: web.Request, seconds: float) -> _Watch | None:
    """Starts watching the request's body, when some of it is still to come: `stop` it once
    the request is answered."""
    if not request.can_read_body or request.content.is_eof():
        return None
    return _Watch(request.content, seconds)
