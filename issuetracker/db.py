"""Tortoise configuration, start-up and migrations."""

from pathlib import Path
from typing import Any
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

from tortoise import Tortoise
from tortoise.backends.base.config_generator import expand_db_url
from tortoise.migrations.api import migrate

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


def _with_pool_defaults(database_url: str) -> str:
    parts = urlsplit(database_url)
    query = dict(parse_qsl(parts.query))
    return urlunsplit(parts._replace(query=urlencode({**POOL_DEFAULTS, **query})))


def connection_config(database_url: str) -> str | dict[str, Any]:
    """SQLite by its URL; PostgreSQL through the engine in `postgres.py`, with the pool's
    defaults above."""
    if not database_url.startswith(("postgres://", "postgresql://")):
        return database_url
    config = expand_db_url(_with_pool_defaults(database_url))
    return {**config, "engine": "issuetracker.postgres"}


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


async def apply_migrations(database_url: str) -> None:
    ensure_sqlite_directory(database_url)
    await migrate(config=tortoise_config(database_url))
    await Tortoise.close_connections()


async def open_database(database_url: str) -> None:
    ensure_sqlite_directory(database_url)
    await Tortoise.init(config=tortoise_config(database_url), _enable_global_fallback=True)


async def close_database() -> None:
    await Tortoise.close_connections()
