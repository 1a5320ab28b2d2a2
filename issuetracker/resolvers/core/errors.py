"""The one error vocabulary of the logic layer: every code a client can see is an `ErrorCode`,
and every face maps the errors below once (GraphQL in `schema/errors.py`, REST through
`web.py`'s status table)."""

from dataclasses import dataclass
from enum import StrEnum


class ErrorCode(StrEnum):
    """Each value's description is shown in the GraphQL schema, where this enum is exposed."""

    def __new__(cls, value: str, description: str) -> "ErrorCode":
        member = str.__new__(cls, value)
        member._value_ = value
        member.description = description
        return member

    description: str

    # Outcomes of a whole request or field (GraphQL `extensions.code`).
    UNAUTHENTICATED = "UNAUTHENTICATED", "A token is needed, or the token is expired or revoked."
    FORBIDDEN = "FORBIDDEN", "The viewer may see the object but not do this to it."
    NOT_FOUND = "NOT_FOUND", "No such object, or one the viewer may not see: they look alike."
    BAD_USER_INPUT = (
        "BAD_USER_INPUT",
        "An argument is invalid; `extensions.errors` names the fields.",
    )
    RATE_LIMITED = "RATE_LIMITED", "Too many attempts; try again when the message says."
    CONFLICT = "CONFLICT", "The object's current state refuses the change."
    ISSUE_CLOSED = "ISSUE_CLOSED", "The issue is closed: no more changes, events or subscribers."
    ALREADY_VERIFIED = "ALREADY_VERIFIED", "The e-mail address is already verified."
    BAD_REQUEST = (
        "BAD_REQUEST",
        "Not a GraphQL request: malformed JSON, a wrong method, type or parameter.",
    )
    QUERY_TOO_COMPLEX = (
        "QUERY_TOO_COMPLEX",
        "The document's cost is above the limit: ask for smaller pages or fewer fields.",
    )
    PERSISTED_QUERY_NOT_FOUND = (
        "PERSISTED_QUERY_NOT_FOUND",
        "No document has this hash here: send it again with its text.",
    )
    PERSISTED_QUERY_REQUIRED = (
        "PERSISTED_QUERY_REQUIRED",
        "This server runs registered documents only: send the hash of one.",
    )
    INTROSPECTION_DISABLED = (
        "INTROSPECTION_DISABLED",
        "The schema may not be introspected here, or not without a token.",
    )
    GRAPHQL_PARSE_FAILED = (
        "GRAPHQL_PARSE_FAILED",
        "The document is not valid GraphQL, or is too long.",
    )
    GRAPHQL_VALIDATION_FAILED = (
        "GRAPHQL_VALIDATION_FAILED",
        "The document does not fit the schema or a limit.",
    )
    INTERNAL_SERVER_ERROR = (
        "INTERNAL_SERVER_ERROR",
        "An unexpected failure, logged with the request id.",
    )
    SERVICE_UNAVAILABLE = (
        "SERVICE_UNAVAILABLE",
        "The database or the file storage cannot be reached for a moment; try again after "
        "`Retry-After` seconds.",
    )
    # Input problems, one field each (`UserError.code` in mutation payloads).
    INVALID = "INVALID", "The value is not acceptable for this field."
    REQUIRED = "REQUIRED", "The field must be given and not blank."
    TOO_LONG = "TOO_LONG", "The text is longer than the field allows."
    TOO_SHORT = "TOO_SHORT", "The text is shorter than the field needs."
    TOO_MANY = "TOO_MANY", "The list holds more entries than allowed."
    TOO_LARGE = "TOO_LARGE", "The file is larger than the server accepts."
    OUT_OF_RANGE = "OUT_OF_RANGE", "The number is outside the allowed range."
    INVALID_CHOICE = "INVALID_CHOICE", "The value is not one of the allowed choices."
    INVALID_ARGUMENTS = (
        "INVALID_ARGUMENTS",
        "The arguments contradict each other (`first` and `last`).",
    )
    INVALID_ID = "INVALID_ID", "The id is malformed, or of another type than the field takes."
    INVALID_CURSOR = "INVALID_CURSOR", "The cursor is malformed."
    INVALID_DATE = "INVALID_DATE", "The date does not have the form YYYY-MM-DD."
    INVALID_EMAIL = "INVALID_EMAIL", "The text is not a plain e-mail address."
    INVALID_URL = "INVALID_URL", "The text is not an http or https URL."
    UNSAFE_URL = "UNSAFE_URL", "The URL points at a private, loopback or metadata address."
    NOT_A_FILE = "NOT_A_FILE", "The field must be a file part of a multipart request."
    UNKNOWN = "UNKNOWN", "The id or ids name nothing the viewer may use here."
    UNKNOWN_USER = (
        "UNKNOWN_USER",
        "No longer answered (invitations answer alike for every address); kept for clients "
        "that name it.",
    )
    TAKEN = "TAKEN", "The value is already used (a name, an address, a URL)."
    ALREADY_MEMBER = (
        "ALREADY_MEMBER",
        "No longer answered (invitations answer alike for every address); kept for clients "
        "that name it.",
    )
    LAST_OWNER = "LAST_OWNER", "A company must keep at least one owner."
    OWNER = "OWNER", "The issue's owner always takes part; choose another owner first."
    INVALID_CREDENTIALS = "INVALID_CREDENTIALS", "The e-mail address or the password is incorrect."
    INVALID_PASSWORD = "INVALID_PASSWORD", "The current password is incorrect."
    TOO_COMMON = "TOO_COMMON", "The password is too common."
    TOO_SIMILAR = "TOO_SIMILAR", "The password is the user's own address or name."
    INVALID_TOKEN = "INVALID_TOKEN", "The link's token is not valid."
    EXPIRED_TOKEN = "EXPIRED_TOKEN", "The link has expired; ask for a new one."
    USED_TOKEN = "USED_TOKEN", "The link was already used."


class DomainError(Exception):
    code = ErrorCode.INTERNAL_SERVER_ERROR
    default_message = "The request failed."

    def __init__(self, message: str | None = None) -> None:
        self.message = message or self.default_message
        super().__init__(self.message)


class Unauthenticated(DomainError):
    code = ErrorCode.UNAUTHENTICATED
    default_message = "Unauthenticated."


class ServiceUnavailable(DomainError):
    """Something the request needs cannot be reached for a moment (every face answers 503
    with `Retry-After`)."""

    code = ErrorCode.SERVICE_UNAVAILABLE
    default_message = "The service is unavailable for a moment; try again shortly."


class Forbidden(DomainError):
    code = ErrorCode.FORBIDDEN
    default_message = "This action is unauthorized."


class NotFound(DomainError):
    code = ErrorCode.NOT_FOUND
    default_message = "Not found."


class Conflict(DomainError):
    """The object is in a state that refuses the change (e.g. the issue is closed)."""

    code = ErrorCode.CONFLICT
    default_message = "The object cannot be changed in its current state."


class IssueClosed(Conflict):
    code = ErrorCode.ISSUE_CLOSED
    default_message = "The issue is closed."


class AlreadyVerified(Conflict):
    code = ErrorCode.ALREADY_VERIFIED
    default_message = "Your e-mail address is already verified."


class RateLimited(DomainError):
    code = ErrorCode.RATE_LIMITED
    default_message = "Too many attempts; try again later."


@dataclass(frozen=True)
class FieldError:
    field: str
    message: str
    code: ErrorCode = ErrorCode.INVALID
    index: int | None = None
    """The offending entry's place, when the field is a list."""


class ValidationFailed(DomainError):
    code = ErrorCode.BAD_USER_INPUT
    default_message = "The given data was invalid."

    def __init__(self, errors: list[FieldError]) -> None:
        self.errors = errors
        super().__init__(errors[0].message if errors else None)

    @classmethod
    def single(
        cls, field: str, message: str, code: ErrorCode = ErrorCode.INVALID
    ) -> "ValidationFailed":
        return cls([FieldError(field, message, code)])

    def by_field(self) -> dict[str, list[str]]:
        grouped: dict[str, list[str]] = {}
        for error in self.errors:
            grouped.setdefault(error.field, []).append(error.message)
        return grouped
