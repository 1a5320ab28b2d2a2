"""Small shared checks for text input; each returns the cleaned value or raises ValidationFailed."""

import re
from enum import StrEnum
from typing import TypeVar

from .errors import ErrorCode, FieldError, ValidationFailed

E = TypeVar("E", bound=StrEnum)

EMAIL_PATTERN = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
HEADER_SPECIALS = re.compile(r'[()<>\[\]:;@\\,"\s]')
"""Characters that make a mail header read another address than the one given (RFC 5322)."""


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

    def add(self, field: str, message: str, code: ErrorCode = ErrorCode.INVALID) -> None:
        self.errors.append(FieldError(field, message, code))

    def text(
        self, field: str, value: str | None, *, max_length: int = 255, required: bool = True
    ) -> str | None:
        if value is None:
            if required:
                self.add(field, f"The {field} field is required.", ErrorCode.REQUIRED)
            return None
        cleaned = value.strip()
        if required and not cleaned:
            self.add(field, f"The {field} field is required.", ErrorCode.REQUIRED)
        elif len(cleaned) > max_length:
            self.add(
                field,
                f"The {field} may not be greater than {max_length} characters.",
                ErrorCode.TOO_LONG,
            )
        return cleaned

    def email(self, field: str, value: str | None) -> str | None:
        cleaned = self.text(field, value, max_length=254)
        if cleaned and not is_plain_address(cleaned):
            self.add(field, f"The {field} must be a valid email address.", ErrorCode.INVALID_EMAIL)
        return cleaned.lower() if cleaned else cleaned

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
