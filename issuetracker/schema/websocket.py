"""Live subscriptions over a WebSocket at /graphql, in the graphql-transport-ws protocol (the
`graphql-ws` library's, which Apollo Client, urql and GraphiQL speak).

The socket signs in with `connection_init`'s `authorization` (browsers cannot set the upgrade
request's header; a header is read too). Each `subscribe` goes through the same checks as an
HTTP request (its document found and validated, introspection control, persisted-only mode, its
cost and the client's budget), with the token checked again first. A malformed frame closes the
socket with the protocol's code (4400); a token revoked or expired closes it (4403) at the next
change it would hear, or within LIVE_RECHECK_SECONDS while it is quiet."""

import asyncio
import json
import logging
from collections import Counter
from collections.abc import Callable, Hashable
from datetime import datetime
from typing import Any

from aiohttp import WSMsgType, web

from ..db import database_unreachable
from ..logs import describe_failure
from ..resolvers.accounts.tokens import authenticate, still_signed_in
from ..resolvers.core.errors import DomainError, Unauthenticated
from ..resolvers.core.scope import Scope
from ..settings import Settings
from ..web import REQUEST_ID, SCOPE, bearer_secret
from .live.hub import LiveHub, Subscriber
from .live.plans import start_error
from .live.sinks import SocketSink
from .pipeline.checks import Checked, Checks
from .pipeline.refusals import Refusal
from .pipeline.requests import Transport, request_of
from .socket_sweep import TokenSweep

log = logging.getLogger("issuetracker.live")

PROTOCOL = "graphql-transport-ws"
INIT_SECONDS = 10
HEARTBEAT_SECONDS = 30.0
"""WebSocket pings, so proxies keep an idle subscription's connection open."""
MAX_FRAME_BYTES = 256 * 1024
BAD_MESSAGE, UNAUTHORIZED, FORBIDDEN, SUBPROTOCOL = 4400, 4401, 4403, 4406
INIT_TIMEOUT, DUPLICATE, TOO_MANY = 4408, 4409, 4429
TRY_AGAIN_LATER, INTERNAL_ERROR = 1013, 1011


class Closed(Exception):
    """The connection was closed with this code and reason."""

    def __init__(self, code: int, reason: str) -> None:
        self.code = code
        self.reason = reason


class LiveSockets:
    """The process's WebSockets: how many each user (or anonymous address) holds, and the
    sweep that closes those whose tokens stopped working."""

    def __init__(
        self,
        checks: Checks,
        hub: LiveHub,
        settings: Settings,
        clock: Callable[[], datetime],
    ) -> None:
        self.checks = checks
        self.hub = hub
        self.settings = settings
        self.clock = clock
        self.held: Counter[Hashable] = Counter()
        self.sweep = TokenSweep(settings.live_recheck_seconds, clock)

    async def handle(self, request: web.Request) -> web.WebSocketResponse:
        socket = web.WebSocketResponse(
            protocols=[PROTOCOL], heartbeat=HEARTBEAT_SECONDS, max_msg_size=MAX_FRAME_BYTES
        )
        await socket.prepare(request)
        if socket.ws_protocol != PROTOCOL:
            await socket.close(code=SUBPROTOCOL, message=b"Subprotocol not acceptable")
            return socket
        await LiveConnection(self, request, socket).serve()
        return socket

    def hold(self, scope: Scope) -> Hashable | None:
        """Counts the connection against its user (or anonymous address); None when they
        already hold as many as they may."""
        user_id = scope.actor.user_id
        if user_id is not None:
            owner: Hashable = ("user", user_id)
            most = self.settings.live_connections_per_user
        else:
            owner, most = ("address", scope.client), self.settings.live_connections_per_address
        if self.held[owner] >= most:
            return None
        self.held[owner] += 1
        return owner

    def release(self, owner: Hashable) -> None:
        # `-=` would keep a zero for every owner ever connected; subtraction drops it.
        self.held -= Counter({owner: 1})


class LiveConnection:
    def __init__(self, sockets: LiveSockets, request: web.Request, socket: web.WebSocketResponse):
        self.sockets = sockets
        self.request = request
        self.socket = socket
        self.scope: Scope = request[SCOPE]
        self.owner: Hashable | None = None
        self.sink = SocketSink(request, socket, sockets.settings.live_queue_size)
        self.operations: dict[str, Subscriber | None] = {}
        """The connection's subscriptions by their ids (None while one starts)."""
        self._closing: asyncio.Future[None] | None = None

    @property
    def settings(self) -> Settings:
        return self.sockets.settings

    async def serve(self) -> None:
        deadline = asyncio.get_running_loop().call_later(INIT_SECONDS, self._init_timed_out)
        try:
            async for message in self.socket:
                if message.type is WSMsgType.TEXT:
                    await self._handle(message.data)
                elif message.type is WSMsgType.BINARY:
                    await self.close(BAD_MESSAGE, "Send text frames of JSON.")
        finally:
            deadline.cancel()
            await self._finish()

    async def close(self, code: int, reason: str) -> None:
        self.sink.closed = True
        await self.socket.close(code=code, message=reason.encode())

    async def _handle(self, text: str) -> None:
        try:
            message = _message(text)
            handle = getattr(self, "_on_" + message["type"].replace("-", "_"), None)
            if handle is None:
                raise Closed(BAD_MESSAGE, f"Unknown message type: {message['type'][:40]}")
            await handle(message)
        except Closed as closed:
            await self.close(closed.code, closed.reason)
        except Exception as failure:
            if not database_unreachable(failure):
                log.exception("live socket failed", extra={"request_id": self._request_id})
                await self.close(INTERNAL_ERROR, "Internal error.")
            else:
                cause = {"request_id": self._request_id, "error": describe_failure(failure)}
                log.warning("the database cannot be reached", extra=cause)
                await self.close(TRY_AGAIN_LATER, "The service is unavailable; try again.")

    async def _on_connection_init(self, message: dict[str, Any]) -> None:
        if self.owner is not None or self.socket.closed:
            raise Closed(TOO_MANY, "Too many initialisation requests")
        payload = message.get("payload") or {}
        if not isinstance(payload, dict):
            raise Closed(BAD_MESSAGE, "The connection_init payload must be an object.")
        header = payload.get("authorization") or payload.get("Authorization")
        if isinstance(header, str) and header:
            try:
                actor = await authenticate(bearer_secret(header), self.sockets.clock())
            except Unauthenticated:
                raise Closed(FORBIDDEN, "Forbidden") from None
            self.scope = self.scope.acting_as(actor)
        self.owner = self.sockets.hold(self.scope)
        if self.owner is None:
            who = "user" if self.scope.actor.is_authenticated else "address"
            raise Closed(TOO_MANY, f"Too many live connections for this {who}.")
        self.sockets.sweep.watch(self.scope.actor.token_id, self)
        await self.sink.message({"type": "connection_ack"})

    async def _on_ping(self, message: dict[str, Any]) -> None:
        await self.sink.message({"type": "pong"})

    async def _on_pong(self, message: dict[str, Any]) -> None:
        return

    async def _on_subscribe(self, message: dict[str, Any]) -> None:
        if self.owner is None:
            raise Closed(UNAUTHORIZED, "Unauthorized")
        number, payload = message.get("id"), message.get("payload")
        if not isinstance(number, str) or not number or not isinstance(payload, dict):
            raise Closed(BAD_MESSAGE, "A subscribe message needs an `id` and a `payload` object.")
        if number in self.operations:
            raise Closed(DUPLICATE, f"Subscriber for {number[:40]} already exists")
        if len(self.operations) >= self.settings.subscriptions_per_connection:
            await self._send(number, "error", [{"message": "Subscription limit reached"}])
            return
        self.operations[number] = None  # taken while it starts
        try:
            checked, scope = await self._checked(payload)
            subscriber = await self.sockets.hub.subscribe(checked, scope, self.sink, number)
        except (Refusal, DomainError) as refusal:
            self.operations.pop(number, None)
            await self._send(number, "error", _errors_of(refusal))
            return
        except BaseException:
            self.operations.pop(number, None)
            raise
        if number in self.operations:
            self.operations[number] = subscriber
        else:  # completed by the client while it started
            self.sockets.hub.unsubscribe(subscriber)

    async def _checked(self, payload: dict[str, Any]) -> tuple[Checked, Scope]:
        try:
            graphql = request_of(payload, Transport.WEBSOCKET, streamed=True)
        except Refusal as refusal:
            raise Closed(BAD_MESSAGE, refusal.errors[0].message) from None
        now = self.sockets.clock()
        try:
            actor = await still_signed_in(self.scope.actor, now)
        except Unauthenticated:
            raise Closed(FORBIDDEN, "The token was revoked or has expired.") from None
        scope = self.scope.acting_as(actor).at(now)
        return await self.sockets.checks.check(graphql, scope), scope

    async def _on_complete(self, message: dict[str, Any]) -> None:
        number = message.get("id")
        if not isinstance(number, str):
            raise Closed(BAD_MESSAGE, "A complete message needs an `id`.")
        subscriber = self.operations.pop(number, None)
        if subscriber is not None:
            self.sockets.hub.unsubscribe(subscriber)

    async def _send(self, number: str, kind: str, payload: Any = None) -> None:
        message: dict[str, Any] = {"id": number, "type": kind}
        if payload is not None:
            message["payload"] = payload
        await self.sink.message(message)

    def _init_timed_out(self) -> None:
        if self.owner is None and not self.socket.closed:
            reason = "Connection initialisation timeout"
            self._closing = asyncio.ensure_future(self.close(INIT_TIMEOUT, reason))

    async def _finish(self) -> None:
        self.sink.closed = True
        for subscriber in self.operations.values():
            if subscriber is not None:
                self.sockets.hub.unsubscribe(subscriber)
        self.operations.clear()
        if self.owner is not None:
            self.sockets.sweep.forget(self)
            self.sockets.release(self.owner)

    @property
    def _request_id(self) -> str:
        return str(self.request.get(REQUEST_ID, ""))


def _errors_of(refusal: Refusal | DomainError) -> list[dict[str, Any]]:
    if isinstance(refusal, Refusal):
        return [dict(error.formatted) for error in refusal.errors]
    return [start_error(refusal)]


def _message(text: str) -> dict[str, Any]:
    try:
        message = json.loads(text)
    except (ValueError, RecursionError):
        raise Closed(BAD_MESSAGE, "Invalid message received: not JSON.") from None
    if not isinstance(message, dict) or not isinstance(message.get("type"), str):
        raise Closed(BAD_MESSAGE, "Invalid message received: not an object with a `type`.")
    return message
