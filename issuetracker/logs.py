"""Logs are one JSON object a line."""

import json
import logging
from contextvars import ContextVar
from datetime import UTC, datetime

_STANDARD = set(vars(logging.makeLogRecord({}))) | {"message", "asctime"}

current_request_id: ContextVar[str | None] = ContextVar("current_request_id", default=None)
"""The id of the request being answered, so what it causes (outbox messages, and the
deliveries of them) can be tied back to it."""


class JsonFormatter(logging.Formatter):
    def format(self, record: logging.LogRecord) -> str:
        entry = {
            "time": datetime.fromtimestamp(record.created, UTC).isoformat(),
            "level": record.levelname.lower(),
            "logger": record.name,
            "message": record.getMessage(),
        }
        entry.update({k: v for k, v in vars(record).items() if k not in _STANDARD})
        if record.exc_info:
            entry["exception"] = self.formatException(record.exc_info)
        return json.dumps(entry, default=str)


def describe_failure(failure: BaseException) -> str:
    """What went wrong, in one line for a log or a delivery record; never a stack trace."""
    text = str(failure).strip()
    return f"{type(failure).__name__}: {text}"[:500] if text else type(failure).__name__


def configure_logging(level: str) -> None:
    handler = logging.StreamHandler()
    handler.setFormatter(JsonFormatter())
    root = logging.getLogger()
    root.handlers[:] = [handler]
    root.setLevel(level.upper())
    logging.captureWarnings(True)  # Python's warnings become log lines too, in JSON
    # Tortoise says "Tortoise-ORM shutdown" at info whenever connections close, a start-up's
    # migrations included: news to nobody, and misleading at start.
    logging.getLogger("tortoise").setLevel(max(logging.WARNING, root.level))
