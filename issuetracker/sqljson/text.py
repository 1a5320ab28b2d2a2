"""JSON text as Python's `json.dumps` writes it: compact, and every non-ASCII character escaped.
The database writes JSON with raw UTF-8; `as_ascii_json` turns it into the same bytes."""

import codecs
import json
from json.encoder import encode_basestring_ascii
from typing import Any


def dumps(value: Any) -> str:
    """How every face writes JSON (GraphQL's Strawberry writes it the same way)."""
    return json.dumps(value, separators=(",", ":"))


def _escape_non_ascii(error: UnicodeError) -> tuple[str, int]:
    assert isinstance(error, UnicodeEncodeError)
    return encode_basestring_ascii(error.object[error.start : error.end])[1:-1], error.end


codecs.register_error("issuetracker_json_ascii", _escape_non_ascii)


def as_ascii_json(text: str) -> str:
    """JSON text with every non-ASCII character (and DEL) escaped as `dumps` escapes it.
    Outside strings JSON is ASCII, so this is exact."""
    if text.isascii() and "\x7f" not in text:
        return text
    escaped = text.encode("ascii", "issuetracker_json_ascii").decode()
    return escaped.replace("\x7f", "\\u007f")
