"""Files sent with the GraphQL multipart request specification: `operations`, then `map`, then
the files the map names, in that order.

What a request may hold is refused before it is read: a body longer than its files and fields
together may be (413, by its `Content-Length`), a map naming more than UPLOAD_MAX_FILES files
(413), a part the map does not name (400), a file past UPLOAD_MAX_BYTES (413, as soon as it
passes). Each file is spooled to disk past a small size and keeps its name and content type."""

import contextlib
import json
import tempfile
from typing import Any

from aiohttp import BodyPartReader, web

from ...body_watch import BodyStalled
from ...resolvers.core.errors import ErrorCode
from ...resolvers.issues.uploads import ReceivedFile
from ...web import SETTINGS
from ..pipeline.refusals import Refusal, bad_request
from ..pipeline.requests import GraphQLRequest, Transport, request_of

RECEIVED_FILES: web.RequestKey[list[ReceivedFile]] = web.RequestKey("received_files")
"""The files of a request, closed once it was answered (see `close_received_files`)."""
SPOOL_IN_MEMORY_BYTES = 1024 * 1024
FORM_FIELDS_MAX_BYTES = 1024 * 1024
"""`operations` and `map` together; anything larger is not a GraphQL request."""
PART_OVERHEAD_BYTES = 4096
"""What a part's boundary and headers may add to its content."""


def _too_large(message: str) -> Refusal:
    return Refusal.of(message, ErrorCode.BAD_REQUEST, 413)


async def read_multipart(request: web.Request, *, streamed: bool) -> GraphQLRequest:
    settings = request.app[SETTINGS]
    most = settings.upload_max_files
    largest = FORM_FIELDS_MAX_BYTES + most * (settings.upload_max_bytes + PART_OVERHEAD_BYTES)
    if request.content_length is not None and request.content_length > largest:
        raise _too_large(f"The request is larger than {most} files and their fields may be.")
    received = request[RECEIVED_FILES] = []
    try:
        reader = await request.multipart()
        operations = await _field(reader, "operations")
        files_map = _map_of(await _field(reader, "map"), most)
        files = await _files(reader, files_map, settings.upload_max_bytes, received)
    except (Refusal, BodyStalled):
        raise
    except Exception as bad:  # no boundary, a malformed part: aiohttp raises many kinds
        raise bad_request("The multipart body cannot be read.") from bad
    body = _json(operations, "`operations`")
    if not isinstance(body, dict):
        raise bad_request("`operations` must be a JSON object.")
    _place(body, files_map, files)
    graphql = request_of(body, Transport.MULTIPART, streamed=streamed)
    return GraphQLRequest(
        graphql.query,
        graphql.variables,
        graphql.operation_name,
        graphql.extensions,
        Transport.MULTIPART,
        streamed,
        received,
    )


async def _field(reader: Any, name: str) -> str:
    part = await reader.next()
    if not isinstance(part, BodyPartReader) or part.name != name or part.filename is not None:
        raise bad_request("The multipart body must begin with `operations`, then `map`.")
    content = bytearray()
    while chunk := await part.read_chunk():
        content += chunk
        if len(content) > FORM_FIELDS_MAX_BYTES:
            raise _too_large(f"`{name}` is too large.")
    return content.decode(part.get_charset(default="utf-8"))


def _map_of(text: str, most: int) -> dict[str, list[str]]:
    files_map = _json(text, "`map`")
    if not (
        isinstance(files_map, dict)
        and all(
            isinstance(paths, list) and all(isinstance(path, str) for path in paths)
            for paths in files_map.values()
        )
    ):
        raise bad_request("`map` must be a JSON object of file names to lists of paths.")
    if len(files_map) > most:
        raise _too_large(f"A request may carry at most {most} files.")
    return files_map


async def _files(
    reader: Any, files_map: dict[str, list[str]], limit: int, received: list[ReceivedFile]
) -> dict[str, ReceivedFile]:
    files: dict[str, ReceivedFile] = {}
    while (part := await reader.next()) is not None:
        if not isinstance(part, BodyPartReader) or part.name not in files_map:
            raise bad_request("A part of the body is not a file the `map` names.")
        if part.name in files:
            raise bad_request(f"The file `{part.name}` comes twice.")
        files[part.name] = await _spooled(part, limit)
        received.append(files[part.name])
    return files


async def _spooled(part: BodyPartReader, limit: int) -> ReceivedFile:
    spool = tempfile.SpooledTemporaryFile(max_size=SPOOL_IN_MEMORY_BYTES)  # noqa: SIM115
    size = 0
    while chunk := await part.read_chunk():
        size += len(chunk)
        if size > limit:
            spool.close()
            raise _too_large(f"A file may not be greater than {limit} bytes.")
        spool.write(chunk)
    spool.seek(0)
    content_type = part.headers.get("Content-Type")
    return ReceivedFile(name=part.filename or "upload", content_type=content_type, file=spool)  # type: ignore[arg-type]


def _json(text: str, what: str) -> Any:
    try:
        return json.loads(text)
    except (ValueError, RecursionError):
        raise bad_request(f"{what} is not JSON.") from None


def _place(
    operations: dict[str, Any], files_map: dict[str, list[str]], files: dict[str, ReceivedFile]
) -> None:
    """Each file at the paths the map gives it in `operations`."""
    if set(files_map) != set(files):
        raise bad_request("The `map` names a file the request lacks.")
    try:
        for name, paths in files_map.items():
            for path in paths:
                *steps, last = path.split(".")
                place: Any = operations
                for step in steps:
                    place = place[int(step)] if isinstance(place, list) else place[step]
                if not isinstance(place, dict | list):
                    raise TypeError(path)
                if isinstance(place, list):
                    place[int(last)] = files[name]
                else:
                    place[last] = files[name]
    except (LookupError, TypeError, ValueError):
        raise bad_request("The `map` names a path the `operations` lack.") from None


def close_received_files(request: web.Request) -> None:
    for received in request.get(RECEIVED_FILES, []):
        with contextlib.suppress(Exception):
            received.file.close()
