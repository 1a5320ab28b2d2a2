"""One typed settings object, read from the environment and passed in; never a patched global."""

import ipaddress
from enum import StrEnum
from typing import Annotated, Self
from urllib.parse import urlsplit

from pydantic import AliasChoices, Field, SecretStr, field_validator, model_validator
from pydantic_settings import BaseSettings, NoDecode, SettingsConfigDict

DEVELOPMENT_SECRET_KEY = "development-only-secret-key-change-me"  # noqa: S105


class Introspection(StrEnum):
    ALL = "all"
    AUTHENTICATED = "authenticated"
    OFF = "off"


class Environment(StrEnum):
    DEVELOPMENT = "development"
    TEST = "test"
    PRODUCTION = "production"


def _split_commas(value: object) -> object:
    if isinstance(value, str):
        return [item.strip() for item in value.split(",") if item.strip()]
    return value


CommaList = Annotated[list[str], NoDecode]

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


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_file=".env", extra="ignore", frozen=True)

    environment: Environment = Environment.DEVELOPMENT
    database_url: str = "sqlite://data/issuetracker.sqlite3"
    secret_key: str = DEVELOPMENT_SECRET_KEY
    public_url: str = "http://127.0.0.1:8080"
    host: str = "127.0.0.1"
    port: int = 8080
    log_level: str = "INFO"
    smtp_url: str | None = None
    mail_from: str = "Issue Tracker <issues@localhost>"
    webhook_allowed_hosts: CommaList = Field(default_factory=list)
    cors_origins: CommaList = Field(default_factory=list)
    cors_allow_headers: CommaList = Field(default_factory=lambda: list(DEFAULT_CORS_ALLOW_HEADERS))
    token_lifetime_days: int = Field(default=90, ge=1)
    graphql_max_depth: int = Field(default=10, ge=2)
    graphql_max_aliases: int = Field(default=30, ge=1)
    graphql_max_tokens: int = Field(default=4000, ge=100)
    graphql_compiled_reads: bool = True
    graphql_max_cost: int = Field(default=50_000, ge=1)
    graphql_hourly_budget: int = Field(default=200_000_000, ge=0)
    """Cost points a token (or an anonymous client address) may spend an hour; 0: no budget."""
    graphql_budget_sync_seconds: float = Field(default=1.0, ge=0)
    graphql_introspection: Introspection = Introspection.ALL
    graphql_get_max_age_seconds: int = Field(default=10, ge=0)
    status_page_max_age_seconds: int = Field(default=30, ge=0)
    """How long browsers and shared caches may keep a status page or feed before revalidating."""
    persisted_queries_only: bool = False
    subscriptions_per_connection: int = Field(default=20, ge=1)
    live_connections_per_user: int = Field(default=10, ge=1)
    live_connections_per_address: int = Field(default=20, ge=1)
    """WebSockets anonymous clients of one address may hold open in a process."""
    live_queue_size: int = Field(default=100, ge=1)
    """Changes a subscription may fall behind by before its connection is closed."""
    live_recheck_seconds: float = Field(default=60.0, gt=0, le=3600)
    """How often a process checks the tokens of its open WebSockets: one revoked or expired
    closes its sockets (4403) within this time, even when they are quiet."""
    live_poll_seconds: float = Field(default=0.2, gt=0)
    """How often a process looks for new changes on SQLite (PostgreSQL wakes it at once)."""
    metrics_token: str | None = None
    """When set, `/metrics` answers only `Authorization: Bearer <this>`, from anywhere."""
    metrics_allowed_networks: CommaList = Field(default_factory=lambda: list(LOOPBACK_NETWORKS))
    """Without METRICS_TOKEN, `/metrics` answers only clients in these networks."""
    worker_metrics_port: int = Field(default=8081, ge=0, le=65535)
    """Where `worker` serves `/metrics` and `/healthz` (on HOST); 0: nowhere."""
    upload_dir: str = "data/uploads"
    upload_storage: str = ""
    """Where uploaded files are kept: empty for `upload_dir`, or `s3://bucket/prefix` for an
    S3-compatible object store, which several machines can share."""
    upload_s3_endpoint_url: str | None = None
    """The object store's URL when it is not Amazon S3 (MinIO, Ceph, ...)."""
    aws_access_key_id: str | None = None
    aws_secret_access_key: SecretStr | None = None
    aws_region: str | None = Field(
        default=None, validation_alias=AliasChoices("aws_region", "aws_default_region")
    )
    """Unset, the AWS SDK's own chain (its variables, a profile, an instance role) is used."""
    upload_max_bytes: int = Field(default=10 * 1024 * 1024, ge=1)
    upload_max_files: int = Field(default=10, ge=1, le=1000)
    """Files one GraphQL multipart request may carry."""
    upload_link_minutes: int = Field(default=15, ge=1, le=1440)
    """A signed download URL works for at least this long, and at most twice as long."""
    migrate_on_start: bool | None = None
    dispatcher_in_server: bool = True
    dispatch_poll_seconds: float = Field(default=1.0, gt=0)
    dispatch_lease_seconds: int = Field(default=60, ge=5)
    dispatch_batch_size: int = Field(default=20, ge=1, le=500)
    dispatch_concurrency: int = Field(default=16, ge=1, le=1000)
    """Deliveries in flight at once; one receiver (a webhook host, or the SMTP server) gets at
    most a quarter of them."""
    shutdown_drain_seconds: float = Field(default=30.0, ge=0, le=3600)
    trusted_proxy_count: int = Field(default=0, ge=0, le=10)
    login_failures_per_address: int = Field(default=5, ge=1)
    """Failed sign-ins on one address from one client."""
    login_failures_per_address_ceiling: int = Field(default=100, ge=1)
    """Failed sign-ins on one address from all clients together."""
    login_failures_per_client: int = Field(default=20, ge=1)
    login_failure_window_minutes: int = Field(default=15, ge=1, le=1440)
    account_requests_per_client: int = Field(default=20, ge=1)
    account_emails_per_address: int = Field(default=3, ge=1)
    account_window_minutes: int = Field(default=60, ge=1, le=1440)
    password_reset_link_minutes: int = Field(default=60, ge=5, le=1440)
    invitation_link_days: int = Field(default=7, ge=1, le=30)

    @model_validator(mode="before")
    @classmethod
    def _split_lists(cls, data: object) -> object:
        if isinstance(data, dict):
            lists = (
                "webhook_allowed_hosts",
                "cors_origins",
                "cors_allow_headers",
                "metrics_allowed_networks",
            )
            for key in lists:
                for name in (key, key.upper()):
                    if name in data:
                        data[name] = _split_commas(data[name])
        return data

    @field_validator("upload_storage")
    @classmethod
    def _s3_url_or_empty(cls, value: str) -> str:
        parts = urlsplit(value.strip())
        if value.strip() and (parts.scheme != "s3" or not parts.netloc or parts.query):
            raise ValueError("UPLOAD_STORAGE must be empty or an s3://bucket/prefix URL")
        return value.strip()

    @field_validator("metrics_allowed_networks")
    @classmethod
    def _networks(cls, value: list[str]) -> list[str]:
        for network in value:
            try:
                ipaddress.ip_network(network, strict=False)
            except ValueError:
                message = f"METRICS_ALLOWED_NETWORKS: {network!r} is no IP address or network"
                raise ValueError(message) from None
        return value

    @property
    def upload_bucket(self) -> tuple[str, str]:
        """The bucket and key prefix of an `s3://` UPLOAD_STORAGE (a prefix without slashes at
        its ends, perhaps empty)."""
        parts = urlsplit(self.upload_storage)
        return parts.netloc, parts.path.strip("/")

    @model_validator(mode="after")
    def _refuse_default_secret_outside_development(self) -> Self:
        if self.environment is Environment.PRODUCTION and (
            self.secret_key == DEVELOPMENT_SECRET_KEY or len(self.secret_key) < 32
        ):
            raise ValueError("SECRET_KEY must be set to a random value of at least 32 characters")
        return self

    @property
    def is_sqlite(self) -> bool:
        return self.database_url.startswith("sqlite")

    @property
    def should_migrate_on_start(self) -> bool:
        """SQLite migrates itself on start so `python server.py` just works; PostgreSQL is
        migrated once with `server.py migrate` before several workers start."""
        if self.migrate_on_start is not None:
            return self.migrate_on_start
        return self.is_sqlite
