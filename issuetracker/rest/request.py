"""Reading REST requests the way Laravel clients send them: JSON or form bodies, and arrays as
either `key[]=a&key[]=b` or `key=a,b`."""

import functools
import json
from collections.abc import Awaitable, Callable
from typing import Any

from aiohttp import hdrs, web
from multidict import MultiMapping

from ..resolvers.core.actor import require_user
from ..resolvers.core.errors import ErrorCode, FieldError, NotFound, ValidationFailed
from ..resolvers.core.ids import is_row_id
from ..web import SCOPE, MalformedBody

RestHandler = Callable[[web.Request], Awaitable[web.Response]]


def signed_in(handler: RestHandler) -> RestHandler:
    """Declares that a route needs a token: 401 before the body or the ids are looked at, as
    Laravel's `auth` middleware answers before validation."""

    @functools.wraps(handler)
    async def checked(request: web.Request) -> web.Response:
        require_user(request[SCOPE].actor)
        return await handler(request)

    return checked


FORM_TYPES = ("application/x-www-form-urlencoded", "multipart/form-data")


class UnsupportedBody(web.HTTPUnsupportedMediaType):
    """A body of a type neither face reads (415); its reason is shown to the client."""

    def __init__(self) -> None:
        super().__init__(reason="The body must be JSON (application/json) or a form.")


def _is_json(request: web.Request) -> bool:
    """JSON, `+json` types, or no type said: no header, or the bytes' own type that client
    libraries send then (as some clients send JSON)."""
    content_type = request.content_type
    return (
        hdrs.CONTENT_TYPE not in request.headers
        or content_type in ("application/json", "application/octet-stream")
        or (content_type.startswith("application/") and content_type.endswith("+json"))
    )


async def read_body(request: web.Request) -> dict[str, Any]:
    """A JSON object or a form; anything else a client sends is a 400 (MalformedBody), or a
    415 for a type neither face reads, before any of it reaches the logic."""
    if not request.can_read_body:
        return {}
    if request.content_type in FORM_TYPES:
        return await _read_form(request)
    if not _is_json(request):
        raise UnsupportedBody()
    try:
        body = json.loads(await request.read() or b"{}")
    except (ValueError, RecursionError) as bad:  # not JSON, not UTF-8, or nested too deep
        raise MalformedBody() from bad
    if not isinstance(body, dict):
        raise MalformedBody("The request body must be a JSON object.")
    return body


async def _read_form(request: web.Request) -> dict[str, Any]:
    try:
        form = await request.post()
    except web.HTTPException:
        raise  # too large (413)
    except Exception as bad:
        # No boundary, a part without a name, a charset nobody knows, bytes that are not in it,
        # nested multipart: a form that cannot be read, whatever raised.
        raise MalformedBody("The request body is not a valid form.") from bad
    return {key.removesuffix("[]"): _form_value(form, key) for key in set(form.keys())}


def _form_value(form: MultiMapping[Any], key: str) -> Any:
    values = form.getall(key)
    return values if key.endswith("[]") else values[-1]


def query_list(query: MultiMapping[str], name: str) -> list[str] | None:
    """`name[]=a&name[]=b`, `name=a,b` or `name=a`; None when absent."""
    values = [*query.getall(f"{name}[]", []), *query.getall(name, [])]
    if not values:
        return None
    return [part.strip() for value in values for part in value.split(",") if part.strip()]


def int_list(field: str, values: Any) -> list[int] | None:
    if values is None:
        return None
    if isinstance(values, str):
        values = [part for part in values.split(",") if part.strip()]
    if not isinstance(values, list):
        raise ValidationFailed(
            [FieldError(field, f"The {field} must be an array.", ErrorCode.INVALID)]
        )
    try:
        return [_strict_int(value) for value in values]
    except (TypeError, ValueError) as bad:
        message = f"The {field} must contain integer ids."
        raise ValidationFailed([FieldError(field, message, ErrorCode.INVALID)]) from bad


def _strict_int(value: Any) -> int:
    if isinstance(value, bool) or not isinstance(value, int | str):
        raise TypeError(value)
    number = int(value)
    if not is_row_id(number):
        raise ValueError(value)
    return number


def text_field(body: dict[str, Any], field: str) -> str | None:
    """A text input; non-strings are refused rather than coerced."""
    value = body.get(field)
    if value is None or isinstance(value, str):
        return value
    raise ValidationFailed.single(field, f"The {field} must be a string.", ErrorCode.INVALID)


def require(body: dict[str, Any], *fields: str) -> None:
    """Laravel's `required`: absent, null, an empty array or blank text are all missing."""
    missing = [
        FieldError(field, f"The {field} field is required.", ErrorCode.REQUIRED)
        for field in fields
        if _blank(body.get(field))
    ]
    if missing:
        raise ValidationFailed(missing)


def _blank(value: Any) -> bool:
    return value is None or value == [] or (isinstance(value, str) and not value.strip())


def path_id(request: web.Request, name: str = "id") -> int:
    """Ids in paths are integers; anything else cannot name a row."""
    raw = request.match_info[name]
    if not (raw.isascii() and raw.isdigit()) or not is_row_id(int(raw)):
        raise NotFound()
    return int(raw)


def query_int(request: web.Request, name: str, default: int) -> int:
    """An integer query parameter; absent or blank is `default`."""
    raw = request.query.get(name, "").strip()
    if not raw:
        return default
    try:
        return int(raw)
    except ValueError as bad:
        raise ValidationFailed.single(name, f"The {name} must be an integer.") from bad
