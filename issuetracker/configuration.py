"""A command's mistakes said plainly: a setting that does not fit, a database that cannot be
reached, a port that is taken. Each is one line naming the setting, what it got and what it
accepts, never a traceback; a secret's value is never repeated."""

import errno
import socket
import sqlite3
from enum import Enum
from typing import Any, get_args, get_origin
from urllib.parse import urlsplit

from annotated_types import Ge, Gt, Le, Lt
from pydantic import ValidationError
from pydantic.fields import FieldInfo
from pydantic_core import ErrorDetails

from . import db
from .logs import describe_failure
from .settings import Settings

SECRETS = frozenset({"secret_key", "aws_secret_access_key", "metrics_token", "encryption_keys"})
"""Settings whose values are never shown, only their length."""


class ConfigurationError(Exception):
    """A command cannot run as configured: `lines` say why, for a person."""

    def __init__(self, lines: list[str]) -> None:
        super().__init__("\n".join(lines))
        self.lines = lines


def read_settings() -> Settings:
    """The settings from the environment (and `.env`), or a ConfigurationError naming each
    setting that does not fit."""
    try:
        return Settings()
    except ValidationError as invalid:
        raise ConfigurationError(explain_settings(invalid)) from None


def explain_settings(invalid: ValidationError) -> list[str]:
    lines: list[str] = []
    for error in invalid.errors(include_url=False):
        if not error["loc"]:  # a rule over several settings: its message names them
            lines.extend(_validator_message(error).splitlines())
            continue
        name = str(error["loc"][0])
        field = Settings.model_fields.get(name) or _field_by_alias(name)
        lines.append(
            f"{name.upper()}: got {shown(name, error['input'])}; {_accepted(field, error)}"
        )
    return lines


def shown(name: str, value: object) -> str:
    """A setting's value as it may be printed: a secret by its length, a URL without its
    password."""
    if name in SECRETS and isinstance(value, list):
        return f"{len(value)} values"
    if name in SECRETS:
        return f"a value of {len(str(value))} characters"
    text = str(value)
    if "://" in text:
        text = masked_url(text)
    return repr(text) if text else "nothing"


def masked_url(url: str) -> str:
    try:
        parts = urlsplit(url)
        if parts.password is None:
            return url
        return url.replace(f":{parts.password}@", ":***@", 1)
    except ValueError:  # a malformed port or address: show the scheme alone
        return url.split("://", 1)[0] + "://..."


def _field_by_alias(alias: str) -> FieldInfo | None:
    for field in Settings.model_fields.values():
        choices = getattr(field.validation_alias, "choices", ())
        if alias in choices:
            return field
    return None


def _validator_message(error: ErrorDetails) -> str:
    context = error.get("ctx") or {}
    return str(context.get("error", error["msg"]))


def _accepted(field: FieldInfo | None, error: ErrorDetails) -> str:
    if error["type"] == "value_error":
        return _validator_message(error)
    if field is None:
        return error["msg"][0].lower() + error["msg"][1:]
    return "expected " + _kind(field.annotation) + _bounds(field.metadata)


def _kind(annotation: Any) -> str:
    options = [option for option in get_args(annotation) if option is not type(None)]
    if get_origin(annotation) is not None and options:  # Optional, Annotated, Literal
        if all(isinstance(option, str) for option in options):
            return _one_of([str(option) for option in options])
        return _kind(options[0])
    if isinstance(annotation, type) and issubclass(annotation, Enum):
        return _one_of([str(member.value) for member in annotation])
    kinds = {int: "a whole number", float: "a number", bool: "true or false"}
    return kinds.get(annotation, "text")


def _one_of(options: list[str]) -> str:
    return ", ".join(options[:-1]) + " or " + options[-1] if len(options) > 1 else options[0]


def _bounds(metadata: list[Any]) -> str:
    low = next((f"{bound.ge}" for bound in metadata if isinstance(bound, Ge)), None)
    above = next((f"{bound.gt}" for bound in metadata if isinstance(bound, Gt)), None)
    high = next((f"{bound.le}" for bound in metadata if isinstance(bound, Le)), None)
    below = next((f"{bound.lt}" for bound in metadata if isinstance(bound, Lt)), None)
    if low is not None and high is not None:
        return f" from {low} to {high}"
    said = [f"of at least {low}"] if low is not None else []
    said += [f"above {above}"] if above is not None else []
    said += [f"of at most {high}"] if high is not None else []
    said += [f"below {below}"] if below is not None else []
    return " " + " and ".join(said) if said else ""


def explain_failure(failure: BaseException, settings: Settings) -> list[str] | None:
    """One line for a failure a setting explains (a database that cannot be reached, an
    address that cannot be listened on); None for anything else, a bug."""
    if db.database_unreachable(failure):
        return [
            f"DATABASE_URL: cannot reach {masked_url(settings.database_url)}: "
            f"{describe_failure(_innermost(failure))}"
        ]
    if isinstance(failure, OSError) and failure.errno == errno.EADDRINUSE:
        return [
            f"PORT: {settings.host}:{settings.port} is taken by another process; set PORT "
            "(and PUBLIC_URL) to serve on another port"
        ]
    if isinstance(failure, socket.gaierror) or (
        isinstance(failure, OSError) and failure.errno == errno.EADDRNOTAVAIL
    ):
        return [f"HOST: cannot listen on {settings.host!r}: {failure.strerror}"]
    if settings.is_sqlite and _sqlite_file_refused(failure):
        return [f"DATABASE_URL: cannot use {settings.database_url}: {_innermost(failure)}"]
    return None


def _sqlite_file_refused(failure: BaseException) -> bool:
    """The SQLite file's folder cannot be made, or the file is something else."""
    innermost = _innermost(failure)
    if isinstance(innermost, sqlite3.DatabaseError):
        return str(innermost).startswith("file is not a database")
    return isinstance(innermost, OSError) and innermost.filename is not None


def _innermost(failure: BaseException) -> BaseException:
    """The cause a person can act on: Tortoise wraps the driver's error, without a cause."""
    while True:
        wrapped = failure.args[0] if failure.args else None
        if isinstance(wrapped, BaseException):
            failure = wrapped
        elif failure.__cause__ is not None:
            failure = failure.__cause__
        else:
            return failure
