"""`/metrics` in Prometheus's text format: requests by face, route and status, latencies,
GraphQL operations and their cost, errors by code, the database pool, the outbox, deliveries
and live subscriptions. Served from every process's own counters, or, when several processes
serve (`PROMETHEUS_MULTIPROC_DIR` set, as `serve --workers` does), from all of theirs."""

import hmac
import os
from collections.abc import Awaitable, Callable, Iterable
from datetime import datetime

from aiohttp import web
from graphql import GraphQLError
from prometheus_client import (
    CONTENT_TYPE_LATEST,
    REGISTRY,
    CollectorRegistry,
    Counter,
    Gauge,
    Histogram,
    generate_latest,
    multiprocess,
)
from tortoise import connections
from tortoise.functions import Count, Min

from .models import MessageKind, MessageStatus, OutboxMessage

Handler = Callable[[web.Request], Awaitable[web.Response]]

LATENCY_BUCKETS = (0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0)

REQUESTS = Counter("issuetracker_requests", "HTTP requests answered.", ["face", "route", "status"])
REQUEST_SECONDS = Histogram(
    "issuetracker_request_seconds",
    "Time to answer a request.",
    ["face", "route"],
    buckets=LATENCY_BUCKETS,
)
OPERATIONS = Counter("issuetracker_graphql_operations", "GraphQL operations run.", ["type", "name"])
COST = Histogram(
    "issuetracker_graphql_cost",
    "The static cost of GraphQL operations.",
    buckets=(1, 10, 100, 1_000, 10_000, 50_000),
)
ERRORS = Counter("issuetracker_errors", "Errors answered, by code.", ["face", "code"])
DELIVERIES = Counter(
    "issuetracker_deliveries", "Delivery attempts, by outcome.", ["kind", "outcome"]
)
DELIVERY_SECONDS = Histogram(
    "issuetracker_delivery_seconds",
    "Time a delivery attempt took.",
    ["kind"],
    buckets=LATENCY_BUCKETS,
)
LIVE_SUBSCRIPTIONS = Gauge(
    "issuetracker_live_subscriptions", "Live subscriptions open.", multiprocess_mode="livesum"
)
POOL_CONNECTIONS = Gauge(
    "issuetracker_database_connections",
    "Database pool connections, by state.",
    ["state"],
    multiprocess_mode="livesum",
)
OUTBOX_PENDING = Gauge(
    "issuetracker_outbox_pending",
    "Messages waiting to be sent.",
    ["kind"],
    multiprocess_mode="mostrecent",
)
OUTBOX_OLDEST_SECONDS = Gauge(
    "issuetracker_outbox_oldest_seconds",
    "Age of the oldest waiting message.",
    ["kind"],
    multiprocess_mode="mostrecent",
)


def count_graphql_errors(errors: Iterable[GraphQLError]) -> None:
    for error in errors:
        ERRORS.labels("/graphql", (error.extensions or {}).get("code", "")).inc()


def make_handler(token: str | None, clock: Callable[[], datetime]) -> Handler:
    async def metrics(request: web.Request) -> web.Response:
        if token and not _authorized(request, token):
            raise web.HTTPUnauthorized(headers={"WWW-Authenticate": "Bearer"})
        await _read_gauges(clock())
        body = generate_latest(_registry())
        return web.Response(body=body, headers={"Content-Type": CONTENT_TYPE_LATEST})

    return metrics


def _authorized(request: web.Request, token: str) -> bool:
    given = request.headers.get("Authorization", "").removeprefix("Bearer ").strip()
    return hmac.compare_digest(given.encode(), token.encode())


def _registry() -> CollectorRegistry:
    if "PROMETHEUS_MULTIPROC_DIR" not in os.environ:
        return REGISTRY
    registry = CollectorRegistry()
    multiprocess.MultiProcessCollector(registry)  # type: ignore[no-untyped-call]
    return registry


async def _read_gauges(now: datetime) -> None:
    """What is read from the database when scraped, not counted as it happens."""
    client = connections.get("default")
    pool = getattr(client, "_pool", None)
    if pool is not None:
        POOL_CONNECTIONS.labels("open").set(pool.get_size())
        POOL_CONNECTIONS.labels("idle").set(pool.get_idle_size())
    waiting = (
        await OutboxMessage.filter(status=MessageStatus.PENDING)
        .annotate(count=Count("id"), oldest=Min("created_at"))
        .group_by("kind")
        .values("kind", "count", "oldest")
    )
    by_kind = {str(row["kind"]): row for row in waiting}
    for kind in MessageKind:
        row = by_kind.get(kind.value)
        OUTBOX_PENDING.labels(kind.value).set(row["count"] if row else 0)
        age = (now - row["oldest"]).total_seconds() if row else 0.0
        OUTBOX_OLDEST_SECONDS.labels(kind.value).set(age)
