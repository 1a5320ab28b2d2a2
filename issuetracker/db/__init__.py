"""Tortoise configuration, start-up and migrations. Migrations run one process at a time: a
PostgreSQL advisory lock (a file lock beside a SQLite database) is held while they run, so
servers started together never migrate at once; each migration applied is said."""

import contextlib
import fcntl
import logging
import sqlite3
from collections.abc import AsyncIterator, Callable, Iterator
from pathlib import Path
from types import TracebackType
from typing import Any
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

import asyncpg
from tortoise import Tortoise
from tortoise.backends.base.config_generator import expand_db_url
from tortoise.connection import get_connection
from tortoise.exceptions import DBConnectionError
from tortoise.exceptions import OperationalError as TortoiseOperationalError
from tortoise.migrations.api import migrate
from tortoise.migrations.executor import MigrationExecutor

log = logging.getLogger("issuetracker.migrations")

MODEL_MODULES = ["issuetracker.models"]
MIGRATIONS_MODULE = "issuetracker.migrations"


POOL_DEFAULTS = {
    "maxsize": "10",
    "statement_cache_size": "512",
    "max_cacheable_statement_size": "262144",
}
"""Defaults for PostgreSQL that the URL may override (`?maxsize=20`): ten connections a
process (Tortoise's default of five made requests queue for them under load); and asyncpg's
cache of prepared statements, which by default keeps only 100 and none longer than 15 KB,
where compiled reads are longer, and many."""


SERVER_SETTINGS = {"plan_cache_mode": "force_generic_plan"}
"""Each connection's settings. Every statement sent is built with its values as parameters, so
that its plan is kept by its text; left to choose, PostgreSQL plans some of them again at every
execution (a custom plan it thinks cheaper for the values): the Kinetic issue object's statement
took 3 ms to plan and 0.5 ms to run."""


def _with_pool_defaults(database_url: str) -> str:
    parts = urlsplit(database_url)
    query = dict(parse_qsl(parts.query))
    return urlunsplit(parts._replace(query=urlencode({**POOL_DEFAULTS, **query})))


def connection_config(database_url: str) -> str | dict[str, Any]:
    """PostgreSQL through the engine in `db/postgres.py`, with the pool's defaults above; SQLite
    through the one in `db/sqlite.py`."""
    if database_url.startswith("sqlite://"):
        return {**expand_db_url(database_url), "engine": "issuetracker.db.sqlite"}
    if not database_url.startswith(("postgres://", "postgresql://")):
        return database_url
    config = expand_db_url(_with_pool_defaults(database_url))
    credentials = {"server_settings": SERVER_SETTINGS, **config["credentials"]}
    return {**config, "credentials": credentials, "engine": "issuetracker.db.postgres"}


def tortoise_config(database_url: str) -> dict[str, Any]:
    return {
        "connections": {"default": connection_config(database_url)},
        "apps": {
            "models": {
                "models": MODEL_MODULES,
                "default_connection": "default",
                "migrations": MIGRATIONS_MODULE,
            }
        },
        "use_tz": True,
        "timezone": "UTC",
    }


# Read by Tortoise's own command line (`tortoise makemigrations`), see pyproject.toml.
TORTOISE_ORM = tortoise_config("sqlite://data/issuetracker.sqlite3")


def ensure_sqlite_directory(database_url: str) -> None:
    if database_url.startswith("sqlite://") and ":memory:" not in database_url:
        Path(database_url.removeprefix("sqlite://")).parent.mkdir(parents=True, exist_ok=True)


MIGRATION_LOCK = 7_406_311_016
"""The advisory lock's key: any number no other lock of the database uses."""

Say = Callable[[str], object]


async def apply_migrations(database_url: str, say: Say = log.info) -> list[str]:
    """The names of the migrations applied, each said as it is done."""
    ensure_sqlite_directory(database_url)
    applied: list[str] = []

    def progress(stage: str, app: str, name: str) -> None:
        if stage == "apply_done":
            applied.append(name)
            say(f"applied {app}.{name}")

    async with _migration_lock(database_url):
        try:
            await migrate(config=tortoise_config(database_url), progress=progress)
        finally:
            await Tortoise.close_connections()
    return applied


async def pending_migrations(database_url: str) -> list[str]:
    """The migrations `apply_migrations` would apply now."""
    ensure_sqlite_directory(database_url)
    config = tortoise_config(database_url)
    await Tortoise.init(config=config)
    try:
        # The executor takes a database it cannot reach for one without migrations.
        await get_connection("default").execute_query("SELECT 1")
        executor = MigrationExecutor(get_connection("default"), config["apps"])
        steps = await executor.plan(None)
    finally:
        await Tortoise.close_connections()
    return [f"{step.migration.app_label}.{step.migration.name}" for step in steps]


@contextlib.asynccontextmanager
async def _migration_lock(database_url: str) -> AsyncIterator[None]:
    if database_url.startswith(("postgres://", "postgresql://")):
        async with _advisory_lock(database_url):
            yield
    elif ":memory:" in database_url:
        yield  # a database no other process sees
    else:
        with _file_lock(Path(database_url.removeprefix("sqlite://"))):
            yield


@contextlib.asynccontextmanager
async def _advisory_lock(database_url: str) -> AsyncIterator[None]:
    settings = expand_db_url(database_url)["credentials"]
    connection = await asyncpg.connect(
        host=settings["host"],
        port=settings["port"],
        user=settings["user"],
        password=settings.get("password"),
        database=settings["database"],
    )
    try:
        await connection.execute("SELECT pg_advisory_lock($1)", MIGRATION_LOCK)
        yield
    finally:
        await connection.close()  # the lock goes with its session


@contextlib.contextmanager
def _file_lock(database: Path) -> Iterator[None]:
    with open(database.with_name(database.name + ".migrate-lock"), "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)  # waits, briefly, for another process migrating
        yield


async def open_database(database_url: str) -> None:
    ensure_sqlite_directory(database_url)
    await Tortoise.init(config=tortoise_config(database_url), _enable_global_fallback=True)


async def close_database() -> None:
    await Tortoise.close_connections()


_UNREACHABLE = (
    DBConnectionError,  # Tortoise could not open the pool
    asyncpg.PostgresConnectionError,  # SQLSTATE class 08
    asyncpg.ConnectionDoesNotExistError,  # the connection dropped mid-statement
    asyncpg.CannotConnectNowError,  # starting up, shutting down, in recovery
    asyncpg.AdminShutdownError,  # the server was stopped, or the backend terminated
    asyncpg.CrashShutdownError,
    asyncpg.TooManyConnectionsError,
)
_UNREACHABLE_SQLITE = ("unable to open database file", "disk i/o error")
_DRIVERS = (
    "asyncpg",
    "aiosqlite",
    "sqlite3",
    "tortoise.backends",
    "issuetracker.db.postgres",
    "issuetracker.db.sqlite",
)


def database_unreachable(error: BaseException) -> bool:
    """Whether a failure means the database cannot be reached (refused, reset, shut down, a
    file that cannot be opened), rather than a refused statement or a bug. The one place that
    tells: the faces answer 503 for it and the dispatcher waits it out."""
    seen: set[int] = set()
    current: BaseException | None = error
    while current is not None and id(current) not in seen:
        seen.add(id(current))
        if _is_unreachable(current):
            return True
        wrapped = current.args[0] if current.args else None  # Tortoise wraps without a cause
        if isinstance(wrapped, BaseException) and _is_unreachable(wrapped):
            return True
        current = current.__cause__ or current.__context__
    return False


def _is_unreachable(error: BaseException) -> bool:
    if isinstance(error, _UNREACHABLE):
        return True
    if isinstance(error, asyncpg.PostgresError | asyncpg.InterfaceError):
        # Refused while connecting ("not currently accepting connections", a database that is
        # gone), or a connection found closed.
        closed = str(error).startswith(("connection is closed", "connection was closed"))
        return closed or _raised_in(error.__traceback__, ("asyncpg.connect_utils",))
    if isinstance(error, sqlite3.OperationalError | TortoiseOperationalError):
        return str(error).lower().startswith(_UNREACHABLE_SQLITE)
    # Refused, reset, timed out, unresolvable: only when raised inside the driver, since an
    # OSError elsewhere (a full disk under the uploads) is no outage of the database.
    return isinstance(error, OSError) and _raised_in(error.__traceback__, _DRIVERS)


def _raised_in(trace: TracebackType | None, modules: tuple[str, ...]) -> bool:
    while trace is not None:
        if str(trace.tb_frame.f_globals.get("__name__", "")).startswith(modules):
            return True
        trace = trace.tb_next
    return False
