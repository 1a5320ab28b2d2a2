"""Strawberry's own scalars, described for this API's clients (parsing and serializing are
unchanged)."""

from dataclasses import replace
from datetime import date, datetime
from uuid import UUID

from strawberry.file_uploads import Upload
from strawberry.schema.types.scalar import DEFAULT_SCALAR_REGISTRY
from strawberry.types.scalar import ScalarDefinition

_DESCRIPTIONS: dict[object, str] = {
    datetime: "A moment, as ISO 8601 text with its UTC offset (`2024-05-31T14:03:07.123456+00:00`)."
    " Answers are in UTC; a value sent without an offset is taken as UTC.",
    date: "A calendar date, as ISO 8601 text (`2024-05-31`).",
    UUID: "A UUID, as text in its canonical form (`0b7f1a52-6c1e-4d3a-9f0e-2a4b5c6d7e8f`).",
    Upload: "A file sent as a part of a GraphQL multipart request "
    "(https://github.com/jaydenseric/graphql-multipart-request-spec); never in JSON variables.",
}

SCALAR_OVERRIDES: dict[object, ScalarDefinition] = {
    scalar: replace(DEFAULT_SCALAR_REGISTRY[scalar], description=text, implementation=None)
    for scalar, text in _DESCRIPTIONS.items()
}
