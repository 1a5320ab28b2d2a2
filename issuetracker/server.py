"""The app factory and the command line."""

import asyncio
from collections.abc import AsyncIterator, Callable
from datetime import datetime
from pathlib import Path

import aiohttp_jinja2
import jinja2
import strawberry
from aiohttp import web
from graphql import ASTValidationRule
from tortoise import connections

from . import db, encryption, metrics
from .app_storage import AppStorage
from .clock import utcnow
from .cors import add_cors_headers, cors_preflight
from .housekeeping import housekeep
from .metrics_access import MetricsAccess
from .notifications.dispatcher import Dispatcher
from .pages import accounts as account_pages
from .pages import company_invitations as company_invitation_pages
from .pages import following as following_pages
from .pages import graphiql
from .pages import invitations as invitation_pages
from .pages import rendering as page_rendering
from .pages import status as status_pages
from .resolvers.accounts.token_cache import TokenCache
from .resolvers.core.scope import Policy
from .resolvers.live.feed import LiveFeed
from .rest import uploads
from .rest.connectnow import routes as connectnow
from .rest.kinetic import routes as kinetic
from .schema import build_schema, limit_rules
from .schema.compiled.answering import CompiledReads
from .schema.compiled.statements import strawberry_converter
from .schema.documents import Documents
from .schema.errors import render_http_error as render_graphql_error
from .schema.http.endpoint import GraphQLEndpoint
from .schema.live.fallback import Fallback
from .schema.live.hub import LiveHub
from .schema.live.plans import LivePlans
from .schema.pipeline.checks import Checks
from .schema.pipeline.execution import Execution
from .schema.websocket import LiveSockets
from .serving import InFlight
from .settings import Settings
from .web import (
    CLOCK,
    CORS_ORIGINS,
    FACES,
    LIVE_FEED,
    POLICY,
    RETRY_AFTER_SECONDS,
    SETTINGS,
    TOKENS,
    Face,
    json_response,
    request_context,
    request_scope,
)

TEMPLATES = Path(__file__).parent / "templates"
GRAPHQL = web.AppKey("graphql", GraphQLEndpoint)
READY_TIMEOUT_SECONDS = 2.0


def create_app(
    settings: Settings,
    *,
    manage_database: bool = True,
    clock: Callable[[], datetime] = utcnow,
) -> web.Application:
    """Tests pass `manage_database=False` and open their own fresh database around the app, and
    a `clock` they move to see links expire and limits' windows pass."""
    app = web.Application(middlewares=[request_context, cors_preflight, request_scope])
    encryption.install_for(settings)  # the process's keys for the secrets kept encrypted
    InFlight().install(app)  # so that a stop answers what it started, see serving.py
    app[SETTINGS] = settings
    app[POLICY] = Policy.from_settings(settings)
    app[CLOCK] = clock
    app[TOKENS] = TokenCache(settings.token_cache_seconds)
    app[CORS_ORIGINS] = frozenset(settings.cors_origins)
    app[LIVE_FEED] = LiveFeed(clock, settings.live_poll_seconds)
    app.on_cleanup.append(_close_live_feed)
    app.on_response_prepare.append(add_cors_headers)
    app[FACES] = [Face("/graphql", render_graphql_error), connectnow.FACE, kinetic.FACE]
    aiohttp_jinja2.setup(app, loader=jinja2.FileSystemLoader(TEMPLATES), autoescape=True)
    AppStorage(settings).install(app)  # the uploads' storage, open while the app runs
    if manage_database:
        app.cleanup_ctx.append(_database(settings))
        if settings.dispatcher_in_server:
            app.cleanup_ctx.append(_dispatcher(settings))
    app[GRAPHQL] = graphql_endpoint(settings, clock, app[LIVE_FEED])
    app.on_cleanup.append(_close_live_sockets)
    app.router.add_route("*", "/graphql", app[GRAPHQL].handle)
    connectnow.add_routes(app.router)
    kinetic.add_routes(app.router)
    uploads.add_routes(app.router)
    following_pages.add_routes(app.router)
    account_pages.add_routes(app.router)
    invitation_pages.add_routes(app.router)
    company_invitation_pages.add_routes(app.router)
    page_rendering.add_routes(app.router)
    status_pages.install(app)
    graphiql.add_routes(app.router)
    app.router.add_get("/healthz", healthz)
    app.router.add_get("/readyz", readyz)
    app.router.add_get(
        "/metrics", metrics.make_handler(MetricsAccess.from_settings(settings), clock)
    )
    app.router.add_get("/", to_graphiql)
    return app


def graphql_endpoint(
    settings: Settings, clock: Callable[[], datetime], feed: LiveFeed
) -> GraphQLEndpoint:
    """/graphql: every transport (HTTP and the WebSocket) through one pipeline of checks;
    subscriptions answered by the live hub, fed by the process's feed of changes."""
    schema, limits = schema_of(settings)
    documents = Documents(schema._schema, limits, settings.graphql_max_tokens)
    checks = Checks(documents, settings)
    execution = Execution(schema)
    converter = strawberry_converter(schema)
    if settings.graphql_compiled_reads:
        execution.compiled = CompiledReads(
            documents, execution, settings.public_url, converter, settings.count_limit
        )
    plans = LivePlans(schema._schema, converter, settings.public_url)
    hub = LiveHub(feed, plans, Fallback(execution), clock)
    sockets = LiveSockets(checks, hub, settings, clock)
    return GraphQLEndpoint(checks, execution, settings, sockets=sockets, page=graphiql.page)


Built = tuple[strawberry.Schema, list[type[ASTValidationRule]]]
_BUILT: dict[str, Built] = {}


def schema_of(settings: Settings) -> Built:
    """The schema and its limits' rules, built once a process for the same settings: building
    them takes about 50 ms, and the tests make an app for each test, with the same settings."""
    key = settings.model_dump_json(warnings=False)  # tests change settings by model_copy
    if key not in _BUILT:
        limits = limit_rules(settings)
        _BUILT[key] = (build_schema(settings, limits), limits)
    return _BUILT[key]


def _database(settings: Settings) -> Callable[[web.Application], AsyncIterator[None]]:
    async def database(app: web.Application) -> AsyncIterator[None]:
        if settings.should_migrate_on_start:
            await db.apply_migrations(settings.database_url)
        await db.open_database(settings.database_url)
        yield
        await db.close_database()

    return database


def _dispatcher(settings: Settings) -> Callable[[web.Application], AsyncIterator[None]]:
    async def dispatcher(app: web.Application) -> AsyncIterator[None]:
        stop = asyncio.Event()
        task = asyncio.create_task(Dispatcher(settings).run(stop))
        housekeeping = asyncio.create_task(housekeep(settings, utcnow, stop))
        yield
        stop.set()
        await task
        await housekeeping

    return dispatcher


async def _close_live_feed(app: web.Application) -> None:
    await app[LIVE_FEED].close()


async def _close_live_sockets(app: web.Application) -> None:
    await app[GRAPHQL].sockets.sweep.close()


async def to_graphiql(request: web.Request) -> web.Response:
    raise web.HTTPFound("/graphql")


async def healthz(request: web.Request) -> web.Response:
    return json_response({"status": "ok"})


async def readyz(request: web.Request) -> web.Response:
    try:
        async with asyncio.timeout(READY_TIMEOUT_SECONDS):
            await connections.get("default").execute_query("SELECT 1")
    except Exception:
        response = json_response({"status": "unavailable"}, status=503)
        response.headers["Retry-After"] = str(RETRY_AFTER_SECONDS)
        return response
    return json_response({"status": "ok"})
