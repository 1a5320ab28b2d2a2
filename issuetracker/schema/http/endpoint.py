"""/graphql over HTTP, as the GraphQL-over-HTTP specification has it: read the request (JSON,
GET parameters or a multipart upload), put it through the pipeline's checks, and answer in the
media type the client accepts (JSON, or a stream: server-sent events, `multipart/mixed`). A
WebSocket upgrade goes to the live sockets, a browser's plain GET to GraphiQL."""

import asyncio
import contextlib
from collections.abc import Awaitable, Callable
from dataclasses import replace

from aiohttp import web
from graphql import OperationType

from ... import metrics
from ...resolvers.clients.budgets import Usage
from ...resolvers.core.errors import DomainError, ErrorCode
from ...resolvers.core.scope import Scope
from ...settings import Settings
from ...sqljson.text import as_ascii_json, dumps
from ...web import GRAPHQL_OPERATION, SCOPE
from ..live.plans import start_error
from ..live.sinks import StreamSink
from ..pipeline.checks import Checked, Checks
from ..pipeline.execution import Execution
from ..pipeline.rate_limits import SPENT, usage_headers
from ..pipeline.refusals import Refusal
from ..websocket import LiveSockets
from .media import GRAPHQL_RESPONSE, JSON, STREAMS, Accepted
from .multipart import close_received_files
from .requests import Batch, read_request
from .streams import HEARTBEAT_SECONDS, StreamWriter

Handler = Callable[[web.Request], Awaitable[web.StreamResponse]]
NOT_ACCEPTABLE = (
    "Accept application/json or application/graphql-response+json (or, for subscriptions, "
    "text/event-stream or multipart/mixed)."
)
BATCH_AS_JSON = "A batch is answered as JSON: accept application/json."
VARY = "Accept, Authorization"
"""What else, beside the origin, chooses an answer: no shared cache mixes them up."""


class GraphQLEndpoint:
    def __init__(
        self,
        checks: Checks,
        execution: Execution,
        settings: Settings,
        *,
        sockets: LiveSockets,
        page: Handler,
    ) -> None:
        self.checks = checks
        self.execution = execution
        self.settings = settings
        self.sockets = sockets
        self.page = page

    async def handle(self, request: web.Request) -> web.StreamResponse:
        if request.headers.get("Upgrade", "").lower() == "websocket":
            return await self.sockets.handle(request)
        if _asks_for_page(request):
            return await self.page(request)
        try:
            response = await self._answer(request, Accepted.of(request.headers.get("Accept", "")))
        finally:
            close_received_files(request)
        if not response.prepared:
            response.headers["Vary"] = VARY
        return response

    async def _answer(self, request: web.Request, accepted: Accepted) -> web.StreamResponse:
        if not accepted.qualities:
            return _refused(Refusal.of(NOT_ACCEPTABLE, ErrorCode.BAD_REQUEST, 406), accepted)
        scope = request[SCOPE]
        try:
            graphql = await read_request(request, streamed=accepted.streams)
            if isinstance(graphql, Batch):
                return await self._batch(request, graphql, accepted)
            checked = await self.checks.check(graphql, scope)
        except Refusal as refusal:
            return _refused(refusal, accepted)
        subscription = checked.kind is OperationType.SUBSCRIPTION
        media = accepted.for_answer(subscription)
        assert media is not None  # a subscription without a stream was refused
        _record(request, checked)
        if subscription:
            return await self._stream(request, checked, media, accepted)
        response = web.Response(content_type=media)
        request[SPENT] = checked.spent
        response.headers.update(usage_headers(checked.usage))
        text = await self.execution.answer(
            checked, request, response, lambda data: self.checks.extensions(checked, data)
        )
        if media in STREAMS and response.status == 200:
            return await _one_event(request, text, media, accepted, checked)
        if media in STREAMS:
            response.content_type = accepted.for_refusal  # a 503: answered as JSON
        response.text = text
        if request.method == "GET":
            response.headers["Cache-Control"] = self._caching(scope)
        return response

    async def _batch(
        self, request: web.Request, batch: Batch, accepted: Accepted
    ) -> web.StreamResponse:
        """Each operation checked as if sent alone (its refusal is its entry), their costs
        charged together (a batch that does not fit is one 429), then answered in order."""
        if not {JSON, GRAPHQL_RESPONSE} & accepted.qualities.keys():
            return _refused(Refusal.of(BATCH_AS_JSON, ErrorCode.BAD_REQUEST, 406), accepted)
        scope = request[SCOPE]
        entries: list[Checked | Refusal] = []
        for graphql in batch.requests:
            try:
                entries.append(await self.checks.costed(graphql, scope))
            except Refusal as refusal:
                entries.append(refusal)
        costed = [entry for entry in entries if isinstance(entry, Checked)]
        points, cost = sum(c.charged for c in costed), sum(c.cost for c in costed)
        usage = await self.checks.spend(scope, points, cost) if costed else None
        response = web.Response(content_type=accepted.for_refusal)
        texts = [await self._entry(request, entry, usage, response) for entry in entries]
        response.text = "[" + ",".join(texts) + "]"
        response.headers.update(usage_headers(usage))
        return response

    async def _entry(
        self,
        request: web.Request,
        entry: Checked | Refusal,
        usage: Usage | None,
        response: web.Response,
    ) -> str:
        if isinstance(entry, Refusal):
            metrics.count_graphql_errors(entry.errors)
            return as_ascii_json(dumps(entry.body))
        checked = replace(entry, usage=usage)
        _record(request, checked)
        request[SPENT] = checked.spent
        return await self.execution.answer(
            checked, request, response, lambda data: self.checks.extensions(checked, data)
        )

    async def _stream(
        self, request: web.Request, checked: Checked, media: str, accepted: Accepted
    ) -> web.StreamResponse:
        """A subscription over HTTP: its results as they come, until it ends or the client
        leaves (found out by the heartbeats)."""
        hub = self.sockets.hub
        spent = usage_headers(checked.usage)
        writer = await StreamWriter.open(request, media, accepted.subscription_spec, spent)
        sink = StreamSink(request, writer, self.settings.live_queue_size)
        try:
            subscriber = await hub.subscribe(checked, request[SCOPE], sink, "")
        except DomainError as refused:
            await writer.result(as_ascii_json(dumps({"errors": [start_error(refused)]})))
            await writer.complete()
            return writer.response
        try:
            while not sink.closed:
                with contextlib.suppress(TimeoutError):
                    await asyncio.wait_for(sink.ended.wait(), HEARTBEAT_SECONDS)
                await sink.heartbeat()
        finally:
            hub.unsubscribe(subscriber)
        with contextlib.suppress(ConnectionError):
            await writer.complete()
        return writer.response

    def _caching(self, scope: Scope) -> str:
        """A GET's answer: public data for anonymous readers may be kept for a while by
        shared caches; a signed-in reader's never is."""
        seconds = self.settings.graphql_get_max_age_seconds
        if scope.actor.is_authenticated or seconds == 0:
            return "private, no-store"
        return f"public, max-age={seconds}"


def _asks_for_page(request: web.Request) -> bool:
    """A browser's GET of /graphql itself, with no query: GraphiQL."""
    accept = request.headers.get("Accept", "")
    asks = "text/html" in accept and not {"query", "extensions"} & set(request.query)
    return request.method == "GET" and asks


def _record(request: web.Request, checked: Checked) -> None:
    """The operation's type and name, for the request's log line and the metrics."""
    named = (checked.kind.value, checked.name or "")
    request[GRAPHQL_OPERATION] = named
    metrics.count_operation(*named)


async def _one_event(
    request: web.Request, text: str, media: str, accepted: Accepted, checked: Checked
) -> web.StreamResponse:
    spent = usage_headers(checked.usage)
    writer = await StreamWriter.open(request, media, accepted.subscription_spec, spent)
    await writer.result(text)
    await writer.complete()
    return writer.response


def _refused(refusal: Refusal, accepted: Accepted) -> web.Response:
    metrics.count_graphql_errors(refusal.errors)
    status = refusal.strict_status if accepted.strict else refusal.status
    response = web.Response(
        text=as_ascii_json(dumps(refusal.body)), status=status, content_type=accepted.for_refusal
    )
    response.headers.update(refusal.headers)
    response.headers["Cache-Control"] = "no-store"
    return response
