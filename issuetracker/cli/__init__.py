"""The command line: `python server.py --help` lists the commands. A setting that does not fit,
a database that cannot be reached or a port that is taken is said in a line or two on stderr,
naming the setting, with exit status 2 (a setting) or 1 (anything else that failed)."""

import argparse
import asyncio
import sys
from collections.abc import Sequence

from .. import event_loop
from ..configuration import ConfigurationError, explain_failure, read_settings
from ..logs import configure_logging
from ..settings import Settings
from ..worker import run_worker
from .parser import build_parser

SETTING_REFUSED = 2


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    try:
        settings = read_settings()
    except ConfigurationError as refused:
        return _say(refused.lines, SETTING_REFUSED)
    configure_logging(settings.log_level)
    try:
        return _run(args, settings)
    except ConfigurationError as refused:
        return _say(refused.lines, 1)
    except Exception as failure:
        lines = explain_failure(failure, settings)
        if lines is None:
            raise  # a bug: its traceback is what a report needs
        return _say(lines, 1)


def _run(args: argparse.Namespace, settings: Settings) -> int:
    # The app is imported only by the commands that need it: `--help`, a refused setting and
    # `migrate` answer without loading the GraphQL schema, in a fraction of the time.
    if args.command == "migrate":
        from .migrate import migrate

        return asyncio.run(migrate(settings, check=args.check))
    if args.command == "rotate-encryption-key":
        from .rotate import rotate_encryption_key

        return asyncio.run(rotate_encryption_key(settings))
    from . import commands

    if args.command == "worker":
        return event_loop.run(run_worker(settings))
    if args.command == "register-documents":
        sources = commands.documents_under(settings, args.folder)
        if sources is None:
            return 1
        return asyncio.run(commands.register_documents(settings, sources))
    if args.command == "create-user":
        return asyncio.run(commands.create_user(settings, args.email, args.name, args.password))
    from ..server import create_app
    from ..serving import serve

    return serve(settings, getattr(args, "workers", 1), create_app)


def _say(lines: list[str], status: int) -> int:
    for line in lines:
        print(line, file=sys.stderr)
    return status
