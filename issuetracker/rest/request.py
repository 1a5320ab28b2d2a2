"""Reading REST requests the way Laravel clients send them: JSON or form bodies, and arrays as
either `key[]=a&key[]=b` or `key=a,b`."""

import functools
import json
from collections.abc import Awaitable, Callable
from typing import Any

from aiohttp import web
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


async def read_body(request: web.Request) -> dict[str, Any]:
    if not request.can_read_body:
        return {}
    if request.content_type in ("application/x-www-form-urlencoded", "multipart/form-data"):
        form = await request.post()
        return {key.removesuffix("[]"): _form_value(form, key) for key in set(form.keys())}
    try:
        body = json.loads(await request.read() or b"{}")
    except (json.JSONDecodeError, UnicodeDecodeError) as bad:
        raise MalformedBody() from bad
    if not isinstance(body, dict):
        raise MalformedBody()
    return body


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
