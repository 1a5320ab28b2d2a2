"""Times as the status reads get them from either database."""

from datetime import UTC, datetime


def stored_time(value: object) -> datetime:
    """A time column's value (asyncpg gives a datetime, SQLite the text the ORM wrote), in UTC."""
    moment = value if isinstance(value, datetime) else datetime.fromisoformat(str(value))
    return moment.astimezone(UTC)


def json_time(value: str | None) -> datetime | None:
    """A time the database wrote into JSON (`Dialect.datetime`)."""
    return None if value is None else datetime.fromisoformat(value).astimezone(UTC)
