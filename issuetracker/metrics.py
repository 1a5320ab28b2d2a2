"""`/metrics` in Prometheus's text format: requests by face, route and status, latencies,
GraphQL operations and their cost, errors by code, the database pool, the outbox, deliveries
and live subscriptions. Served from every process's own counters, or, when several processes
serve (`PROMETHEUS_MULTIPROC_DIR` set, as `serve --workers` does), from all of theirs; to whom,
`metrics_access.py` decides.

Every label takes a bounded set of values: operation names are cut to OPERATION_NAME_LENGTH,
and past OPERATION_NAMES_KEPT distinct ones a process counts the rest under `(other)`, so no
client can grow the answer (or read another's names in it) by naming operations.

While the database cannot be reached, what is read from it when scraped (the outbox, the pool)
keeps its last values, `issuetracker_database_reachable` says 0, and the rest is served as
counted."""

import asyncio
import logging
import os
from collections.abc import Awaitable, Callable, Iterable
from datetime import datetime
from typing import Any

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

from .db import database_unreachable
from .logs import describe_failure
from .metrics_access import MetricsAccess
from .models import MessageKind, MessageStatus, OutboxMessage

log = logging.getLogger("issuetracker.metrics")

Handler = Callable[[web.Request], Awaitable[web.Response]]

LATENCY_BUCKETS = (0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0)

REQUESTS = Counter("issuetracker_requests", "HTTP requests answered.", ["face", "route", "status"])
REQUEST_SECONDS = Histogram(
    "issuetracker_request_seconds",
    "Time to answer a request.",
    ["face", "route"],
    buckets=LATENCY_BUCKETS,
)
OPERATION_NAMES_KEPT = 100
OPERATION_NAME_LENGTH = 64
OTHER_OPERATIONS = "(other)"
"""No GraphQL name has brackets, so no operation is counted here by its own name."""
READ_SECONDS = 2.0
"""How long a scrape waits for what it reads from the database."""


class OperationCounter(Counter):
    """Counts operations by type and name, the names bounded (see above) whoever counts."""

    def labels(self, *labelvalues: Any, **labelkwargs: Any) -> "OperationCounter":
        if "name" in labelkwargs:
            labelkwargs["name"] = _kept_name(str(labelkwargs["name"]))
        elif len(labelvalues) == 2:
            labelvalues = (labelvalues[0], _kept_name(str(labelvalues[1])))
        return super().labels(*labelvalues, **labelkwargs)


_kept_names: set[str] = set()
"""The operation names this process counts under their own name."""


def _kept_name(name: str) -> str:
    name = name[:OPERATION_NAME_LENGTH]
    if name not in _kept_names and len(_kept_names) >= OPERATION_NAMES_KEPT:
        return OTHER_OPERATIONS
    _kept_names.add(name)
    return name


OPERATIONS = OperationCounter(
    "issuetracker_graphql_operations", "GraphQL operations run.", ["type", "name"]
)
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
DATABASE_REACHABLE = Gauge(
    "issuetracker_database_reachable",
    "1 when the database answered the last scrape, 0 when it could not be reached.",
    multiprocess_mode="mostrecent",
)
OUTBOX_OLDEST_SECONDS = Gauge(
    "issuetracker_outbox_oldest_seconds",
    "Age of the oldest waiting message.",
    ["kind"],
    multiprocess_mode="mostrecent",
)


CHILDREN_KEPT = 4096
"""Labelled children kept for the request path: finding one by its labels costs more than
counting on it. Every label is bounded (see above); past this many, children are looked up."""
_children: dict[tuple[str, ...], tuple[Any, ...]] = {}


def count_request(face: str, route: str, status: int, seconds: float) -> None:
    """An answered request: counted by face, route and status, and timed."""
    key = ("request", face, route, str(status))
    found = _children.get(key)
    if found is None:
        found = (REQUESTS.labels(face, route, key[3]), REQUEST_SECONDS.labels(face, route))
        _keep(key, found)
    found[0].inc()
    found[1].observe(seconds)


def count_operation(kind: str, name: str) -> None:
    """A GraphQL operation run, by type and (bounded) name."""
    key = ("operation", kind, name[:OPERATION_NAME_LENGTH])
    found = _children.get(key)
    if found is None:
        found = (OPERATIONS.labels(kind, key[2]),)
        _keep(key, found)
    found[0].inc()


def _keep(key: tuple[str, ...], children: tuple[Any, ...]) -> None:
    if len(_children) < CHILDREN_KEPT:
        _children[key] = children


def count_graphql_errors(errors: Iterable[GraphQLError]) -> None:
    for error in errors:
        ERRORS.labels("/graphql", (error.extensions or {}).get("code", "")).inc()


def make_handler(access: MetricsAccess, clock: Callable[[], datetime]) -> Handler:
    async def metrics(request: web.Request) -> web.Response:
        access.check(request)
        await _read_gauges(clock())
        body = generate_latest(_registry())
        return web.Response(body=body, headers={"Content-Type": CONTENT_TYPE_LATEST})

    return metrics


def _registry() -> CollectorRegistry:
    if "PROMETHEUS_MULTIPROC_DIR" not in os.environ:
        return REGISTRY
    registry = CollectorRegistry()
    multiprocess.MultiProcessCollector(registry)  # type: ignore[no-untyped-call]
    return registry


async def _read_gauges(now: datetime) -> None:
    """What is read from the database when scraped, not counted as it happens."""
    try:
        async with asyncio.timeout(READ_SECONDS):
            await _read_database(now)
    except Exception as failure:
        if not (isinstance(failure, TimeoutError) or database_unreachable(failure)):
            raise
        DATABASE_REACHABLE.set(0)
        log.debug(
            "metrics: the database cannot be reached", extra={"error": describe_failure(failure)}
        )
        return
    DATABASE_REACHABLE.set(1)


async def _read_database(now: datetime) -> None:
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
