"""One typed settings object, read from the environment and passed in; never a patched global.
The values' types and checks are in `setting_types.py`."""

from typing import Self
from urllib.parse import urlsplit

from pydantic import AliasChoices, Field, SecretStr, model_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

from .setting_types import (
    DEFAULT_CORS_ALLOW_HEADERS,
    DEFAULT_PUBLIC_URL,
    DEVELOPMENT_SECRET_KEY,
    LOOPBACK_NETWORKS,
    CommaList,
    DatabaseUrl,
    EncryptionKeys,
    Environment,
    Introspection,
    LogLevel,
    Networks,
    PasswordHashing,
    S3UrlOrEmpty,
    refused_in_production,
    split_commas,
)


class Settings(BaseSettings):
    """Each field is read from the environment variable of its name in capitals (or `.env`);
    its docstring is its line in the README's settings table (`make settings` writes it)."""

    model_config = SettingsConfigDict(
        env_file=".env", extra="ignore", frozen=True, use_attribute_docstrings=True
    )

    environment: Environment = Environment.DEVELOPMENT
    """`development`, `test` or `production`; production refuses a default or short
    `SECRET_KEY` and the default `PUBLIC_URL`"""
    database_url: DatabaseUrl = "sqlite://data/issuetracker.sqlite3"
    """`sqlite://PATH` or `postgres://USER:PASSWORD@HOST:PORT/DB` (`postgresql://` too)"""
    secret_key: str = DEVELOPMENT_SECRET_KEY
    """signs links; at least 32 random characters in production"""
    encryption_keys: EncryptionKeys = []
    """AES-256-GCM keys for the webhook secrets kept in the database, comma-separated, each 32
    random bytes in URL-safe base64 (`python -c "import os, base64;
    print(base64.urlsafe_b64encode(os.urandom(32)).decode())"`); the first encrypts, every
    one decrypts, so a new key goes first and `rotate-encryption-key` moves the secrets to it;
    empty outside production: one key derived from `SECRET_KEY`"""
    public_url: str = DEFAULT_PUBLIC_URL
    """the address people reach the server at, used in links; set it in production"""
    host: str = "127.0.0.1"
    """the address `serve` listens on (`0.0.0.0`: every interface)"""
    port: int = Field(default=8080, ge=1, le=65535)
    """the port `serve` listens on"""
    log_level: LogLevel = "INFO"
    """`DEBUG`, `INFO`, `WARNING`, `ERROR` or `CRITICAL` (any case); logs are one JSON object
    a line"""
    smtp_url: str | None = None
    """e.g. `smtp://user:pass@mail.example.com:587`; unset writes e-mails to the log"""
    mail_from: str = "Issue Tracker <issues@localhost>"
    """the sender of e-mails"""
    webhook_allowed_hosts: CommaList = Field(default_factory=list)
    """comma-separated `host:port` pairs webhooks may reach although private or loopback
    (e.g. `127.0.0.1:9000` for a receiver on this machine)"""
    cors_origins: CommaList = Field(default_factory=list)
    """comma-separated origins allowed to call `/graphql`, `/api` and `/uploads/` from a
    browser"""
    cors_allow_headers: CommaList = Field(default_factory=lambda: list(DEFAULT_CORS_ALLOW_HEADERS))
    """comma-separated request headers those origins may send (what GraphQL clients and
    tracing send)"""
    token_lifetime_days: int = Field(default=90, ge=1)
    """the lifetime of tokens made by `login`, and the default of `createApiToken`"""
    graphql_max_depth: int = Field(default=10, ge=2)
    """how deep a GraphQL document may nest"""
    graphql_max_aliases: int = Field(default=30, ge=1)
    """how many aliases a GraphQL document may use"""
    graphql_max_tokens: int = Field(default=4000, ge=100)
    """how many tokens a GraphQL document may have"""
    graphql_compiled_reads: bool = True
    """answer queries with one SQL statement per root field where the compiled path covers
    them (`false`: the executor answers everything)"""
    count_limit: int = Field(default=10_000, ge=1)
    """how far a list's `totalCount` counts exactly; past it, it answers an estimate (and
    `totalCountIsExact` false), so a count costs the same whatever the table's size"""
    graphql_max_cost: int = Field(default=50_000, ge=1)
    """the most a document may cost (see [cost](#graphql-for-client-developers))"""
    graphql_hourly_budget: int = Field(default=200_000_000, ge=0)
    """cost points a token (or an anonymous client address) may spend an hour; `0`: no
    budget"""
    graphql_budget_sync_seconds: float = Field(default=1.0, ge=0)
    """how often each process writes what it counted against budgets (a client may overspend
    by one interval's spending, per process)"""
    request_body_idle_seconds: float = Field(default=60.0, gt=0)
    """how long a request's body may stop arriving (no byte received; checked at this interval,
    so between one and two of it) before the request is answered 408 and its connection closed:
    a client that sends its headers and stalls holds no handler (nginx's `client_body_timeout`;
    the limit is on the silence, not on the whole body)"""
    token_cache_seconds: float = Field(default=2.0, ge=0, le=10)
    """how long each process keeps an API token it looked up (`0`: not at all): a token revoked
    (or a user disabled) by another process stops working on every face within this time"""
    graphql_max_batch: int = Field(default=10, ge=1)
    """how many operations a batched request (a JSON array body) may hold, each costed and
    checked as if sent alone, their costs charged to the budget together"""
    graphql_introspection: Introspection = Introspection.ALL
    """`all`, `authenticated` or `off`"""
    graphql_get_max_age_seconds: int = Field(default=10, ge=0)
    """how long shared caches may keep an anonymous `GET` answer (`0`: not at all)"""
    status_page_max_age_seconds: int = Field(default=30, ge=0)
    """how long browsers and shared caches may keep a status page or feed before revalidating"""
    persisted_queries_only: bool = False
    """run only documents registered with `register-documents`"""
    subscriptions_per_connection: int = Field(default=20, ge=1)
    """live subscriptions a WebSocket may hold"""
    live_connections_per_user: int = Field(default=10, ge=1)
    """WebSockets one user may hold open in a process"""
    live_connections_per_address: int = Field(default=20, ge=1)
    """WebSockets anonymous clients of one address may hold open in a process"""
    live_queue_size: int = Field(default=100, ge=1)
    """results a live connection's reader may fall behind by (waiting to be written) before it
    is disconnected (`4429`)"""
    live_recheck_seconds: float = Field(default=60.0, gt=0, le=3600)
    """how often each process checks the tokens of its open WebSockets (a revoked one's
    sockets close within this time)"""
    live_poll_seconds: float = Field(default=0.2, gt=0)
    """how often a process looks for new changes on SQLite (PostgreSQL wakes it at once)"""
    metrics_token: str | None = None
    """when set, `/metrics` answers `Authorization: Bearer <it>` from anywhere, and nothing
    else"""
    metrics_allowed_networks: Networks = Field(default_factory=lambda: list(LOOPBACK_NETWORKS))
    """comma-separated networks whose clients may read `/metrics` while `METRICS_TOKEN` is
    unset"""
    audit_retention_days: int = Field(default=365, ge=1)
    """how long audit log entries are kept; older ones are pruned by the dispatcher's
    housekeeping (in the server or in `worker`), about hourly"""
    worker_metrics_port: int = Field(default=8081, ge=0, le=65535)
    """where `worker` serves `/metrics` and `/healthz` (on `HOST`); `0`: nowhere"""
    upload_dir: str = "data/uploads"
    """where uploaded files are kept while `UPLOAD_STORAGE` is empty"""
    upload_storage: S3UrlOrEmpty = ""
    """empty for `UPLOAD_DIR`, or `s3://bucket/prefix` to keep files in an S3-compatible
    object store (see [Uploads on several machines](#uploads-on-several-machines))"""
    upload_s3_endpoint_url: str | None = None
    """the store's URL when it is MinIO, Ceph or another S3-compatible one, e.g.
    `http://minio.internal:9000`; unset: Amazon S3"""
    aws_access_key_id: str | None = None
    """the object store's access key; unset, the AWS SDK's own chain (a profile, an instance
    role) is used"""
    aws_secret_access_key: SecretStr | None = None
    """the object store's secret key, likewise"""
    aws_region: str | None = Field(
        default=None, validation_alias=AliasChoices("aws_region", "aws_default_region")
    )
    """the object store's region (`AWS_DEFAULT_REGION` is read too)"""
    upload_max_bytes: int = Field(default=10 * 1024 * 1024, ge=1)
    """the largest file accepted (larger ones get `413`)"""
    upload_max_files: int = Field(default=10, ge=1, le=1000)
    """files one GraphQL multipart request may carry (more get `413`)"""
    upload_link_minutes: int = Field(default=15, ge=1, le=1440)
    """a signed download URL works for at least this long and less than twice as long"""
    migrate_on_start: bool | None = None
    """apply migrations when `serve` starts; unset: on for SQLite, off for PostgreSQL"""
    dispatcher_in_server: bool = True
    """run the outbox dispatcher inside `serve`; set `false` when `worker` processes do it"""
    dispatch_poll_seconds: float = Field(default=1.0, gt=0)
    """how often an idle dispatcher looks for messages to send"""
    dispatch_lease_seconds: int = Field(default=60, ge=5)
    """how long a claimed message is its dispatcher's own"""
    dispatch_batch_size: int = Field(default=20, ge=1, le=500)
    """how many messages a dispatcher claims at once"""
    dispatch_concurrency: int = Field(default=16, ge=1, le=1000)
    """deliveries a dispatcher has under way at once; one receiver (a webhook host, whatever
    the paths and ports of its URLs, or the SMTP server) gets at most a quarter of them"""
    shutdown_drain_seconds: float = Field(default=30.0, ge=0, le=3600)
    """on `SIGTERM`, how long `serve` waits for the requests it started before it exits"""
    trusted_proxy_count: int = Field(default=0, ge=0, le=10)
    """proxies in front of the server; with 1 or more, the client address for limits is read
    from `X-Forwarded-For`"""
    login_failures_per_address: int = Field(default=5, ge=1)
    """failed sign-ins allowed per e-mail address from one client within the window"""
    login_failures_per_address_ceiling: int = Field(default=100, ge=1)
    """failed sign-ins allowed per e-mail address from all clients together within the
    window"""
    login_failures_per_client: int = Field(default=20, ge=1)
    """failed sign-ins allowed per client address within the window"""
    login_failure_window_minutes: int = Field(default=15, ge=1, le=1440)
    """the window failed sign-ins are counted in"""
    account_requests_per_client: int = Field(default=20, ge=1)
    """registrations, reset requests and new verification e-mails per client within the
    window"""
    account_emails_per_address: int = Field(default=3, ge=1)
    """account e-mails sent to one address within the window"""
    account_window_minutes: int = Field(default=60, ge=1, le=1440)
    """the window account requests and e-mails are counted in"""
    password_reset_link_minutes: int = Field(default=60, ge=5, le=1440)
    """how long a password reset link works"""
    invitation_link_days: int = Field(default=7, ge=1, le=30)
    """how long a company invitation waits, and its links (to join, decline, choose a
    password) work"""
    password_hashing: PasswordHashing = PasswordHashing.RFC_9106_LOW_MEMORY
    """argon2id's parameters for new password hashes: `rfc_9106_low_memory` (64 MiB, 3
    passes), `rfc_9106_high_memory` (2 GiB, 1 pass) or `cheapest` (for test suites; refused in
    production); a hash made otherwise is redone at the next sign-in"""

    @model_validator(mode="before")
    @classmethod
    def _split_lists(cls, data: object) -> object:
        if isinstance(data, dict):
            lists = (
                "webhook_allowed_hosts",
                "cors_origins",
                "cors_allow_headers",
                "metrics_allowed_networks",
                "encryption_keys",
            )
            for key in lists:
                for name in (key, key.upper()):
                    if name in data:
                        data[name] = split_commas(data[name])
        return data

    @property
    def upload_bucket(self) -> tuple[str, str]:
        """The bucket and key prefix of an `s3://` UPLOAD_STORAGE (a prefix without slashes at
        its ends, perhaps empty)."""
        parts = urlsplit(self.upload_storage)
        return parts.netloc, parts.path.strip("/")

    @model_validator(mode="after")
    def _refuse_development_values_in_production(self) -> Self:
        if self.environment is Environment.PRODUCTION:
            refused = refused_in_production(
                self.secret_key, self.public_url, self.encryption_keys, self.password_hashing
            )
            if refused:
                raise ValueError("\n".join(refused))
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
