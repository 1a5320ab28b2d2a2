"""The values settings take: their types, defaults and the checks each carries (a field's type
here refuses what does not fit), and the rule over several settings in production."""

import base64
import ipaddress
from enum import StrEnum
from typing import Annotated, Literal
from urllib.parse import urlsplit

from pydantic import AfterValidator, BeforeValidator
from pydantic_settings import NoDecode

DEVELOPMENT_SECRET_KEY = "development-only-secret-key-change-me"  # noqa: S105
DEFAULT_PUBLIC_URL = "http://127.0.0.1:8080"
KEY_BYTES = 32
DATABASE_SCHEMES = ("sqlite://", "postgres://", "postgresql://")


class Introspection(StrEnum):
    ALL = "all"
    AUTHENTICATED = "authenticated"
    OFF = "off"


class PasswordHashing(StrEnum):
    """argon2id's parameters, as argon2-cffi's profiles name them."""

    RFC_9106_LOW_MEMORY = "rfc_9106_low_memory"
    RFC_9106_HIGH_MEMORY = "rfc_9106_high_memory"
    CHEAPEST = "cheapest"


class Environment(StrEnum):
    DEVELOPMENT = "development"
    TEST = "test"
    PRODUCTION = "production"


def split_commas(value: object) -> object:
    if isinstance(value, str):
        return [item.strip() for item in value.split(",") if item.strip()]
    return value


CommaList = Annotated[list[str], NoDecode]
LogLevel = Annotated[
    Literal["DEBUG", "INFO", "WARNING", "ERROR", "CRITICAL"],
    BeforeValidator(lambda value: value.upper() if isinstance(value, str) else value),
]

DEFAULT_CORS_ALLOW_HEADERS = [
    "Authorization",
    "Content-Type",
    "Accept",
    "apollo-require-preflight",
    "X-Apollo-Operation-Name",
    "apollographql-client-name",
    "apollographql-client-version",
    "X-Request-Id",
    "traceparent",
    "tracestate",
    "baggage",
    "sentry-trace",
]
"""What GraphQL clients send: Apollo's CSRF and client headers, W3C trace context, Sentry's."""


LOOPBACK_NETWORKS = ["127.0.0.0/8", "::1/128"]


def _known_database(value: str) -> str:
    """A known engine; and a database named, or PostgreSQL would pick one by the user."""
    scheme, _, rest = value.partition("://")
    named = rest.split("?")[0].partition("/")[2] if scheme != "sqlite" else rest
    if f"{scheme}://" not in DATABASE_SCHEMES or not named:
        raise ValueError(
            "expected sqlite://PATH (sqlite://:memory: for a throwaway database) or "
            "postgres://USER:PASSWORD@HOST:PORT/DB"
        )
    return value


def _s3_url_or_empty(value: str) -> str:
    parts = urlsplit(value.strip())
    if value.strip() and (parts.scheme != "s3" or not parts.netloc or parts.query):
        raise ValueError("expected nothing, or an s3://bucket/prefix URL")
    return value.strip()


def _keys(value: list[str]) -> list[str]:
    for number, key in enumerate(value, start=1):
        try:
            raw = base64.urlsafe_b64decode(key + "=" * (-len(key) % 4))
        except ValueError:
            raw = b""
        if len(raw) != KEY_BYTES:
            raise ValueError(f"key {number} is not {KEY_BYTES} bytes in URL-safe base64")
    return value


def _networks(value: list[str]) -> list[str]:
    for network in value:
        try:
            ipaddress.ip_network(network, strict=False)
        except ValueError:
            raise ValueError(f"{network!r} is no IP address or network") from None
    return value


DatabaseUrl = Annotated[str, AfterValidator(_known_database)]
S3UrlOrEmpty = Annotated[str, AfterValidator(_s3_url_or_empty)]
EncryptionKeys = Annotated[CommaList, AfterValidator(_keys)]
Networks = Annotated[CommaList, AfterValidator(_networks)]


def refused_in_production(
    secret_key: str, public_url: str, encryption_keys: list[str], hashing: PasswordHashing
) -> list[str]:
    """One line for each development value production refuses, naming its setting: these
    errors belong to no one field."""
    refused = []
    if secret_key == DEVELOPMENT_SECRET_KEY or len(secret_key) < 32:
        got = (
            "the development value"
            if secret_key == DEVELOPMENT_SECRET_KEY
            else (f"{len(secret_key)} characters")
        )
        refused.append(
            f"SECRET_KEY: got {got}; production needs a random value of at least 32 characters"
        )
    if public_url.rstrip("/") == DEFAULT_PUBLIC_URL:
        refused.append(
            f"PUBLIC_URL: got the default {DEFAULT_PUBLIC_URL}; production needs the "
            "address people reach the server at (links in e-mails are built from it)"
        )
    if not encryption_keys:
        refused.append("ENCRYPTION_KEYS: got none; production needs at least one key of its own")
    if hashing is PasswordHashing.CHEAPEST:
        refused.append(
            "PASSWORD_HASHING: got cheapest; production needs rfc_9106_low_memory or "
            "rfc_9106_high_memory"
        )
    return refused
