"""The app factory and the command line."""

import argparse
import asyncio
import sys
from collections.abc import AsyncIterator, Callable, Sequence
from datetime import datetime
from pathlib import Path

import aiohttp_jinja2
import jinja2
from aiohttp import web
from tortoise import connections

from . import db, metrics
from .clock import utcnow
from .logs import configure_logging
from .metrics_access import MetricsAccess
from .notifications.dispatcher import Dispatcher
from .pages import accounts as account_pages
from .pages import company_invitations as company_invitation_pages
from .pages import graphiql
from .pages import invitations as invitation_pages
from .pages import rendering as page_rendering
from .pages import status as status_pages
from .pages import subscriptions as subscription_pages
from .resolvers.accounts.tokens import issue_token
from .resolvers.accounts.users import create_verified_user
from .resolvers.clients.registered_documents import register_document
from .resolvers.core.errors import ValidationFailed
from .resolvers.core.scope import Policy, Scope
from .resolvers.live.feed import LiveFeed
from .rest import uploads
from .rest.connectnow import routes as connectnow
from .rest.kinetic import routes as kinetic
from .schema import build_schema, limit_rules
from .schema.compiled.endpoint import CompiledReads
from .schema.compiled.statements import strawberry_converter
from .schema.documents import Documents, Refused
from .schema.errors import render_http_error as render_graphql_error
from .schema.http.endpoint import GraphQLEndpoint
from .schema.pipeline.checks import Checks
from .schema.pipeline.execution import Execution
from .schema.websocket import LiveSockets
from .serving import InFlight, serve
from .settings import Settings
from .upload_storage import AppStorage
from .web import (
    CLOCK,
    CORS_ORIGINS,
    FACES,
    LIVE_FEED,
    POLICY,
    RETRY_AFTER_SECONDS,
    SETTINGS,
    Face,
    add_cors_headers,
    cors_preflight,
    json_response,
    request_context,
    request_scope,
)
from .worker import run_worker

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
    InFlight().install(app)  # so that a stop answers what it started, see serving.py
    app[SETTINGS] = settings
    app[POLICY] = Policy.from_settings(settings)
    app[CLOCK] = clock
    app[CORS_ORIGINS] = frozenset(settings.cors_origins)
    app[LIVE_FEED] = LiveFeed(clock, settings.live_poll_seconds, settings.live_queue_size)
    app.on_cleanup.append(_close_live_feed)
    app.on_response_prepare.append(add_cors_headers)
    app[FACES] = [Face("/graphql", render_graphql_error), connectnow.FACE, kinetic.FACE]
    aiohttp_jinja2.setup(app, loader=jinja2.FileSystemLoader(TEMPLATES), autoescape=True)
    AppStorage(settings).install(app)  # the uploads' storage, open while the app runs
    if manage_database:
        app.cleanup_ctx.append(_database(settings))
        if settings.dispatcher_in_server:
            app.cleanup_ctx.append(_dispatcher(settings))
    app[GRAPHQL] = graphql_endpoint(settings, clock)
    app.on_cleanup.append(_close_live_sockets)
    app.router.add_route("*", "/graphql", app[GRAPHQL].handle)
    connectnow.add_routes(app.router)
    kinetic.add_routes(app.router)
    uploads.add_routes(app.router)
    subscription_pages.add_routes(app.router)
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


def graphql_endpoint(settings: Settings, clock: Callable[[], datetime]) -> GraphQLEndpoint:
    """/graphql: every transport (HTTP and the WebSocket) through one pipeline of checks."""
    limits = limit_rules(settings)
    schema = build_schema(settings, limits)
    documents = Documents(schema._schema, limits, settings.graphql_max_tokens)
    checks = Checks(documents, settings)
    execution = Execution(schema)
    if settings.graphql_compiled_reads:
        converter = strawberry_converter(schema)
        execution.compiled = CompiledReads(documents, execution, settings.public_url, converter)
    sockets = LiveSockets(checks, execution, settings, clock)
    return GraphQLEndpoint(checks, execution, settings, sockets=sockets, page=graphiql.page)


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
        yield
        stop.set()
        await task

    return dispatcher


async def _close_live_feed(app: web.Application) -> None:
    await app[LIVE_FEED].close()


async def _close_live_sockets(app: web.Application) -> None:
    await app[GRAPHQL].sockets.sweep.close()


async def _migrate_command(settings: Settings, *, check: bool) -> int:
    if check:
        pending = await db.pending_migrations(settings.database_url)
        for name in pending:
            print(f"pending {name}")
        print(f"{len(pending)} migrations pending" if pending else "the database is up to date")
        return 1 if pending else 0
    applied = await db.apply_migrations(settings.database_url, say=print)
    print(f"applied {len(applied)} migrations" if applied else "the database is up to date")
    return 0


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


async def _create_user_command(
    settings: Settings, email: str, name: str, password: str | None
) -> int:
    if settings.should_migrate_on_start:
        await db.apply_migrations(settings.database_url)
    await db.open_database(settings.database_url)
    scope = Scope.anonymous(utcnow(), Policy.from_settings(settings))
    try:
        user = await create_verified_user(email, name, password, scope.now)
        issued = await issue_token(scope, user, "command line", lifetime=None)
    except ValidationFailed as invalid:
        for field, messages in invalid.by_field().items():
            print(f"{field}: {' '.join(messages)}", file=sys.stderr)
        return 1
    finally:
        await db.close_database()
    print(f"Created user {user.email} (id {user.id}, guid {user.guid}). API token:")
    print(issued.secret)
    return 0


def _valid_documents(settings: Settings, folder: Path) -> dict[Path, str] | None:
    """The `.graphql` files under the folder, by path; None (each error printed) if any of
    them does not validate against the schema and its limits."""
    documents = Documents(build_schema(settings, [])._schema, limit_rules(settings), 10**6)
    sources = {path: path.read_text() for path in sorted(folder.rglob("*.graphql"))}
    valid = True
    for path, source in sources.items():
        document = documents.get(source)
        if isinstance(document, Refused):
            valid = False
            for error in document.errors:
                print(f"{path}: {error.message}", file=sys.stderr)
    return sources if valid else None


async def _register_documents_command(settings: Settings, sources: dict[Path, str]) -> int:
    if settings.should_migrate_on_start:
        await db.apply_migrations(settings.database_url)
    await db.open_database(settings.database_url)
    try:
        for path, source in sources.items():
            sha256 = await register_document(source, path.stem, utcnow())
            print(f"{sha256}  {path}")
    finally:
        await db.close_database()
    return 0


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="server.py", description="The issue tracker server.")
    commands = parser.add_subparsers(dest="command")
    serve_command = commands.add_parser("serve", help="serve HTTP (the default)")
    serve_command.add_argument(
        "--workers",
        type=int,
        default=1,
        help="processes sharing the port (0: one per core; default 1)",
    )
    migrate = commands.add_parser("migrate", help="apply the database migrations")
    migrate.add_argument(
        "--check",
        action="store_true",
        help="apply nothing; exit 1 if some migrations are pending (listing them)",
    )
    commands.add_parser("worker", help="run a dispatcher that sends e-mails and webhooks")
    create_user = commands.add_parser(
        "create-user", help="create a verified user and print an API token as the last line"
    )
    create_user.add_argument("--email", required=True)
    create_user.add_argument("--name", required=True)
    create_user.add_argument("--password")
    register = commands.add_parser(
        "register-documents",
        help="register the .graphql files under a folder as persisted queries (prints hashes)",
    )
    register.add_argument("folder", type=Path)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    settings = Settings()
    configure_logging(settings.log_level)
    if args.command == "migrate":
        return asyncio.run(_migrate_command(settings, check=args.check))
    if args.command == "worker":
        return asyncio.run(run_worker(settings))
    if args.command == "register-documents":
        sources = _valid_documents(settings, args.folder)
        if sources is None:
            return 1
        return asyncio.run(_register_documents_command(settings, sources))
    if args.command == "create-user":
        return asyncio.run(_create_user_command(settings, args.email, args.name, args.password))
    return serve(settings, getattr(args, "workers", 1), create_app)
