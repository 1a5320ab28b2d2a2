"""The README's table of settings, written from the `Settings` model (each field's name,
default and docstring): `make settings` rewrites it, and a test fails while it is stale."""

import sys
from enum import Enum
from pathlib import Path

from pydantic.fields import FieldInfo

from .settings import Settings

README = Path(__file__).parent.parent / "README.md"
START = "<!-- settings: written by `make settings` from issuetracker/settings.py -->"
END = "<!-- end of settings -->"

SHOWN_DEFAULTS = {"secret_key": "a development value"}
"""Defaults better described than shown."""


def settings_table() -> str:
    rows = ["| variable | default | meaning |", "| --- | --- | --- |"]
    for name, field in Settings.model_fields.items():
        meaning = " ".join((field.description or "").split())
        rows.append(f"| `{name.upper()}` | {_default(name, field)} | {meaning} |")
    return "\n".join(rows)


def _default(name: str, field: FieldInfo) -> str:
    if name in SHOWN_DEFAULTS:
        return SHOWN_DEFAULTS[name]
    value = field.get_default(call_default_factory=True)
    if value is None:
        return "unset"
    if value in ("", []):
        return "empty"
    if isinstance(value, list):
        return "`" + ", ".join(str(item) for item in value) + "`"
    if isinstance(value, bool):
        return f"`{str(value).lower()}`"
    if isinstance(value, Enum):
        return f"`{value.value}`"
    return f"`{value}`"


def with_table(readme: str) -> str:
    """The README's text with the table between its markers written afresh."""
    before, start, rest = readme.partition(START)
    _, end, after = rest.partition(END)
    if not (start and end):
        raise ValueError(f"README.md lacks the markers {START} ... {END}")
    return f"{before}{START}\n{settings_table()}\n{END}{after}"


def main() -> int:
    README.write_text(with_table(README.read_text()))
    print(f"wrote the settings table of {README}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
