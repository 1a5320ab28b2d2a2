"""Strawberry's own scalars, described for this API's clients (parsing and serializing are
unchanged)."""

from dataclasses import replace
from datetime import date, datetime
from uuid import UUID

from strawberry.file_uploads import Upload
from strawberry.schema.types.scalar import DEFAULT_SCALAR_REGISTRY
from strawberry.types.scalar import ScalarDefinition

_DESCRIPTIONS: dict[object, str] = {
    datetime: "A moment, as RFC 3339 text with its UTC offset (`2024-05-31T14:03:07.123456+00:00`)."
    " Answers are in UTC; a value sent without an offset is taken as UTC.",
    date: "A calendar date, as an RFC 3339 `full-date` (`2024-05-31`).",
    UUID: "A UUID (RFC 9562), as text in its canonical form "
    "(`0b7f1a52-6c1e-4d3a-9f0e-2a4b5c6d7e8f`).",
    Upload: "A file sent as a part of a GraphQL multipart request "
    "(https://github.com/jaydenseric/graphql-multipart-request-spec); never in JSON variables.",
}

_SPECIFIED_BY: dict[object, str] = {
    datetime: "https://datatracker.ietf.org/doc/html/rfc3339#section-5.6",
    date: "https://datatracker.ietf.org/doc/html/rfc3339#section-5.6",
    UUID: "https://datatracker.ietf.org/doc/html/rfc9562",
}
"""Where each scalar's text is specified (`@specifiedBy`): `date-time` and `full-date` of
RFC 3339, the UUID of RFC 9562."""

SCALAR_OVERRIDES: dict[object, ScalarDefinition] = {
    scalar: replace(
        DEFAULT_SCALAR_REGISTRY[scalar],
        description=text,
        specified_by_url=_SPECIFIED_BY.get(scalar),
        implementation=None,
    )
    for scalar, text in _DESCRIPTIONS.items()
}
