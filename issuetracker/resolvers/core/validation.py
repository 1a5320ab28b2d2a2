"""The checks of input, where it enters the logic layer: each returns the cleaned value or
records a field error, and a `Collector` raises them all at once (ValidationFailed).

Every text a resolver takes passes `Collector.text` (or `email`, or `secret` for passwords)
once, whichever face it came from. Text that no column can hold is refused the same way
on every database: a NUL (PostgreSQL refuses the byte, SQLite would store it) or a lone
surrogate (no UTF-8 encodes it). Text is normalized to NFC, so one word spelled with combining
accents or precomposed characters is stored, compared and counted as one, and its length is
bounded by its column's (`column_limit`)."""

import re
import unicodedata
from enum import StrEnum
from typing import TypeVar

from tortoise.fields import CharField
from tortoise.models import Model

from .errors import ErrorCode, FieldError, ValidationFailed

E = TypeVar("E", bound=StrEnum)

EMAIL_PATTERN = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
HEADER_SPECIALS = re.compile(r'[()<>\[\]:;@\\,"\s]')
"""Characters that make a mail header read another address than the one given (RFC 5322)."""
NUL = "\x00"
SURROGATE = re.compile("[\ud800-\udfff]")
"""A surrogate code point is always lone in a Python string: a pair decodes to one character."""
LONG_TEXT_LENGTH = 65535
"""The bound of text whose column has no length (descriptions, conclusions): 64 KiB of
characters, as the TEXT columns of the documents' original servers hold."""
EMAIL_LENGTH = 254
"""The longest address SMTP carries (RFC 5321), and the e-mail columns' length."""


def column_limit(model: type[Model], field: str) -> int:
    """The length of a model's text column: what its input is bounded by."""
    column = model._meta.fields_map[field]
    assert isinstance(column, CharField), f"{model.__name__}.{field} has no length"
    return column.max_length


def unstorable(value: str) -> str | None:
    """Why no column can hold `value`, or None when one can."""
    if NUL in value:
        return "may not contain a NUL character"
    if SURROGATE.search(value):
        return "is not valid Unicode (it holds a lone surrogate)"
    return None


def is_plain_address(address: str) -> bool:
    """One mailbox, no comments, quotes or groups: what we send to is what was given."""
    if not EMAIL_PATTERN.match(address):
        return False
    local, _, domain = address.rpartition("@")
    return all(
        part and not HEADER_SPECIALS.search(part) and ".." not in part and part.strip(".") == part
        for part in (local, domain)
    )


class Collector:
    """Gathers every field error of one input so the caller hears about all of them at once."""

    def __init__(self) -> None:
        self.errors: list[FieldError] = []

    def add(
        self,
        field: str,
        message: str,
        code: ErrorCode = ErrorCode.INVALID,
        *,
        index: int | None = None,
    ) -> None:
        error = FieldError(field, message, code, index)
        if error not in self.errors:
            self.errors.append(error)

    def text(
        self,
        field: str,
        value: str | None,
        *,
        max_length: int,
        required: bool = True,
        label: str | None = None,
    ) -> str | None:
        """`value` without surrounding blanks, in NFC, at most `max_length` characters; None
        when it is missing or refused. `label` names the field in messages (its name)."""
        label = label or field
        if value is None:
            if required:
                self.add(field, f"The {label} field is required.", ErrorCode.REQUIRED)
            return None
        if (problem := unstorable(value)) is not None:
            self.add(field, f"The {label} {problem}.", ErrorCode.INVALID)
            return None
        cleaned = unicodedata.normalize("NFC", value).strip()
        if required and not cleaned:
            self.add(field, f"The {label} field is required.", ErrorCode.REQUIRED)
        elif len(cleaned) > max_length:
            self.add(
                field,
                f"The {label} may not be greater than {max_length} characters.",
                ErrorCode.TOO_LONG,
            )
        return cleaned

    def secret(
        self, field: str, value: str, *, max_length: int, label: str | None = None
    ) -> str | None:
        """A password: kept exactly as given (its hash was made of its very characters), refused
        when it holds what `unstorable` names (no hash can be made of a lone surrogate) or is
        too long to be one."""
        label = label or field
        if (problem := unstorable(value)) is not None:
            self.add(field, f"The {label} {problem}.", ErrorCode.INVALID)
            return None
        if len(value) > max_length:
            message = f"The {label} may not be longer than {max_length} characters."
            self.add(field, message, ErrorCode.TOO_LONG)
            return None
        return value

    def email(self, field: str, value: str | None) -> str | None:
        """In lower case, as addresses are stored (and measured so: a few characters grow)."""
        cleaned = self.text(field, value and value.lower(), max_length=EMAIL_LENGTH)
        if cleaned and not is_plain_address(cleaned):
            self.add(field, f"The {field} must be a valid email address.", ErrorCode.INVALID_EMAIL)
        return cleaned

    def choice(self, field: str, value: str | None, enum: type[E]) -> E | None:
        if value is None:
            return None
        try:
            return enum(value.lower())
        except ValueError:
            allowed = ", ".join(member.value for member in enum)
            self.add(
                field,
                f"The selected {field} is invalid (one of: {allowed}).",
                ErrorCode.INVALID_CHOICE,
            )
            return None

    def raise_if_any(self) -> None:
        if self.errors:
            raise ValidationFailed(self.errors)
