"""The one error vocabulary of the logic layer; every face maps these once."""

from dataclasses import dataclass


class DomainError(Exception):
    code = "ERROR"
    default_message = "The request failed."

    def __init__(self, message: str | None = None) -> None:
        self.message = message or self.default_message
        super().__init__(self.message)


class Unauthenticated(DomainError):
    code = "UNAUTHENTICATED"
    default_message = "Unauthenticated."


class Forbidden(DomainError):
    code = "FORBIDDEN"
    default_message = "This action is unauthorized."


class NotFound(DomainError):
    code = "NOT_FOUND"
    default_message = "Not found."


class Conflict(DomainError):
    """The object is in a state that refuses the change (e.g. the issue is closed)."""

    code = "CONFLICT"
    default_message = "The object cannot be changed in its current state."


class IssueClosed(Conflict):
    code = "ISSUE_CLOSED"
    default_message = "The issue is closed."


class RateLimited(DomainError):
    code = "RATE_LIMITED"
    default_message = "Too many attempts; try again later."


@dataclass(frozen=True)
class FieldError:
    field: str
    message: str
    code: str = "INVALID"


class ValidationFailed(DomainError):
    code = "VALIDATION_FAILED"
    default_message = "The given data was invalid."

    def __init__(self, errors: list[FieldError]) -> None:
        self.errors = errors
        super().__init__(errors[0].message if errors else None)

    @classmethod
    def single(cls, field: str, message: str, code: str = "INVALID") -> "ValidationFailed":
        return cls([FieldError(field, message, code)])

    def by_field(self) -> dict[str, list[str]]:
        grouped: dict[str, list[str]] = {}
        for error in self.errors:
            grouped.setdefault(error.field, []).append(error.message)
        return grouped
