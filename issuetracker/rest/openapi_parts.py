"""Small builders the two dialects' OpenAPI documents share."""

from typing import Any


def ref(name: str) -> dict[str, str]:
    return {"$ref": f"#/components/schemas/{name}"}


def many(name: str) -> dict[str, Any]:
    return {"type": "array", "items": ref(name)}


def described_json(schema: dict[str, Any], description: str) -> dict[str, Any]:
    return {"description": description, "content": {"application/json": {"schema": schema}}}


def query_parameter(name: str, schema: dict[str, Any], description: str) -> dict[str, Any]:
    return {
        "name": name,
        "in": "query",
        "required": False,
        "schema": schema,
        "description": description,
    }


def text(max_length: int) -> dict[str, Any]:
    """A text input, bounded as its column is. Longer text is refused (422), and so is text
    holding a NUL or a lone surrogate, which no column holds; text is kept in NFC, and its
    length counted in characters (code points)."""
    return {"type": "string", "maxLength": max_length}


def body_errors(error: dict[str, Any]) -> dict[str, Any]:
    """The answers of an operation that reads a body to a body it cannot read."""
    return {
        "400": described_json(
            error,
            "The body cannot be read: not JSON, not a JSON object, or a form that cannot be "
            "parsed (a multipart body without its boundary, bytes not in its charset).",
        ),
        "413": described_json(error, "The body is larger than the server reads (1 MiB)."),
        "415": described_json(
            error, "A body of a type the server does not read: send JSON or a form."
        ),
    }
