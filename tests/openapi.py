"""A response checked against an OpenAPI document: the schema its path, method and status
declare for a JSON body."""

from typing import Any

from jsonschema import Draft202012Validator


def assert_matches(
    document: dict[str, Any], path: str, method: str, status: int, body: Any
) -> None:
    operation = document["paths"][path][method]
    schema = operation["responses"][str(status)]["content"]["application/json"]["schema"]
    # `#/components/...` references resolve against the root of this wrapper.
    Draft202012Validator({**schema, "components": document["components"]}).validate(body)
