"""The command line's pages: what each command does, its arguments, and where the settings
are described."""

import argparse
from pathlib import Path
from typing import TypeAlias

SETTINGS_REFERENCE = (
    "Settings are environment variables (or lines of a .env file in the current folder), e.g. "
    "DATABASE_URL=postgres://user:password@host:5432/db. Every setting, with its default and "
    "meaning, is listed in README.md, section Configuration."
)


def _page(settings_read: str) -> str:
    return f"Reads {settings_read}. {SETTINGS_REFERENCE}"


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="server.py",
        description=(
            "The issue tracker server: GraphQL at /graphql (GraphiQL in a browser), the "
            "ConnectNow REST API under /api and the Kinetic one under /api/v1. Without a "
            "command it serves, on a SQLite database in ./data/ unless DATABASE_URL says "
            "otherwise. `server.py COMMAND --help` describes a command."
        ),
        epilog=SETTINGS_REFERENCE,
    )
    commands = parser.add_subparsers(dest="command", title="commands", metavar="COMMAND")
    _add_serve(commands)
    _add_migrate(commands)
    _add_worker(commands)
    _add_create_user(commands)
    _add_register_documents(commands)
    _add_rotate_encryption_key(commands)
    return parser


Commands: TypeAlias = "argparse._SubParsersAction[argparse.ArgumentParser]"


def _add_serve(commands: Commands) -> None:
    serve = commands.add_parser(
        "serve",
        help="serve HTTP (the default)",
        description=(
            "Serve HTTP on HOST:PORT (127.0.0.1:8080 by default) and say where in the log. "
            "Migrates the database first when MIGRATE_ON_START says so (on for SQLite), and "
            "sends e-mails and webhooks from the same process unless DISPATCHER_IN_SERVER is "
            "false. SIGTERM or Ctrl-C drains: the requests under way are answered, for up to "
            "SHUTDOWN_DRAIN_SECONDS, then it exits."
        ),
        epilog=_page("HOST, PORT, PUBLIC_URL, DATABASE_URL, SECRET_KEY and the rest"),
    )
    serve.add_argument(
        "--workers",
        type=int,
        default=1,
        metavar="N",
        help="processes sharing the port (0: one per core; default 1)",
    )


def _add_migrate(commands: Commands) -> None:
    migrate = commands.add_parser(
        "migrate",
        help="apply the database migrations",
        description=(
            "Apply the committed migrations to the database, one process at a time (under a "
            "lock), naming each; run it once per release before the servers start."
        ),
        epilog=_page("DATABASE_URL"),
    )
    migrate.add_argument(
        "--check",
        action="store_true",
        help="apply nothing; exit 1 if some migrations are pending (listing them)",
    )


def _add_worker(commands: Commands) -> None:
    commands.add_parser(
        "worker",
        help="send e-mails and webhooks from the outbox, apart from the server",
        description=(
            "Run a dispatcher on its own: it sends the e-mails and webhooks the servers wrote "
            "to the outbox, and retries failures. Run as many as you like (set "
            "DISPATCHER_IN_SERVER=false on the servers); SIGTERM or Ctrl-C stops it."
        ),
        epilog=_page("DATABASE_URL, SMTP_URL, MAIL_FROM, PUBLIC_URL, SECRET_KEY and DISPATCH_*"),
    )


def _add_create_user(commands: Commands) -> None:
    create_user = commands.add_parser(
        "create-user",
        help="create a verified user and print an API token as the last line",
        description=(
            "Create a user whose address counts as verified, and print a new API token for "
            "them on the last line (it is shown once: use it as `Authorization: Bearer "
            "itk_...`). Exits 1, creating nothing, when the address is taken or a value is "
            "refused."
        ),
        epilog=_page("DATABASE_URL"),
    )
    create_user.add_argument(
        "--email", required=True, metavar="ADDRESS", help="the user's e-mail address (unique)"
    )
    create_user.add_argument(
        "--name", required=True, metavar="NAME", help="the name shown to other people"
    )
    create_user.add_argument(
        "--password",
        metavar="PASSWORD",
        help="a password for `login` (10 to 256 characters); without one, the user signs in "
        "with the printed token only (or sets one through a password reset)",
    )


def _add_register_documents(commands: Commands) -> None:
    register = commands.add_parser(
        "register-documents",
        help="register the .graphql files under a folder as persisted queries (prints hashes)",
        description=(
            "Register every .graphql file under FOLDER (subfolders too) as a persisted query, "
            "by its SHA-256 hash, printing `HASH  PATH` for each; with "
            "PERSISTED_QUERIES_ONLY=true only registered documents run. Registers nothing and "
            "exits 1 when a file does not validate against the schema, or when the folder "
            "is missing or has no .graphql file."
        ),
        epilog=_page("DATABASE_URL and the GRAPHQL_MAX_* limits"),
    )
    register.add_argument(
        "folder",
        type=Path,
        metavar="FOLDER",
        help="the folder holding the documents, one operation (or more) a .graphql file",
    )


def _add_rotate_encryption_key(commands: Commands) -> None:
    commands.add_parser(
        "rotate-encryption-key",
        help="re-encrypt the webhook secrets under the first of ENCRYPTION_KEYS",
        description=(
            "Re-encrypt every secret kept encrypted (webhooks' signing secrets, issues' own "
            "webhook secrets) under the first key of ENCRYPTION_KEYS, in batches; values "
            "already under it are left alone, so it may run again after an interruption, and "
            "while servers run. To rotate: put a new key first in ENCRYPTION_KEYS (keeping the "
            "old ones after it) on every server and worker, run this, then remove the old keys."
        ),
        epilog=_page("DATABASE_URL, ENCRYPTION_KEYS and SECRET_KEY"),
    )
