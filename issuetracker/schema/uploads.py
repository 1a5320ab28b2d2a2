"""Files sent with the GraphQL multipart request spec, read with a size cap.

Strawberry's own aiohttp adapter reads every file whole into memory and drops its name; this
one spools each file to disk past a small size, stops reading past the configured maximum
(413), and keeps the file's name and content type for the resolver.
"""

import json
import tempfile
from typing import Any

from aiohttp import BodyPartReader, web
from cross_web import AiohttpHTTPRequestAdapter, HTTPException
from cross_web.request._base import FormData
from strawberry.file_uploads.utils import replace_placeholders_with_files

from ..resolvers.issues.uploads import ReceivedFile
from ..web import SETTINGS

RECEIVED_FILES: web.RequestKey[list[ReceivedFile]] = web.RequestKey("received_files")
"""The files of a request, closed once it was answered (see `close_received_files`)."""
SPOOL_IN_MEMORY_BYTES = 1024 * 1024
FORM_FIELDS_MAX_BYTES = 1024 * 1024
"""`operations` and `map` together; anything larger is not a GraphQL request."""


class _TooLarge(HTTPException):
    def __init__(self, limit: int) -> None:
        super().__init__(413, f"A file may not be greater than {limit} bytes.")


async def _spooled(part: BodyPartReader, limit: int) -> ReceivedFile:
    spool = tempfile.SpooledTemporaryFile(max_size=SPOOL_IN_MEMORY_BYTES)  # noqa: SIM115
    size = 0
    while chunk := await part.read_chunk():
        size += len(chunk)
        if size > limit:
            spool.close()
            raise _TooLarge(limit)
        spool.write(chunk)
    spool.seek(0)
    content_type = part.headers.get("Content-Type")
    return ReceivedFile(name=part.filename or "upload", content_type=content_type, file=spool)  # type: ignore[arg-type]


async def _read_form(request: web.Request) -> FormData:
    limit = request.app[SETTINGS].upload_max_bytes
    reader = await request.multipart()
    form: dict[str, Any] = {}
    files: dict[str, Any] = {}
    received = request[RECEIVED_FILES] = []
    form_bytes = 0
    while (part := await reader.next()) is not None:
        if not isinstance(part, BodyPartReader) or not part.name:
            raise HTTPException(400, "Unable to parse the multipart body")
        if part.filename is not None:
            files[part.name] = await _spooled(part, limit)
            received.append(files[part.name])
            continue
        value = await part.text()
        form_bytes += len(value)
        if form_bytes > FORM_FIELDS_MAX_BYTES:
            raise HTTPException(413, "The request is too large.")
        form[part.name] = value
    return FormData(files=files, form=form)


class UploadingRequestAdapter(AiohttpHTTPRequestAdapter):
    """Strawberry builds its adapter with the request alone and asks it for the form data of a
    multipart request; this adapter reads that form as described above."""

    async def get_form_data(self) -> FormData:
        content_type = self.content_type or ""
        if self._form_data is None and content_type.startswith("multipart/form-data"):
            try:
                self._form_data = await _read_form(self.request)
            except HTTPException:
                raise
            except Exception as bad:  # no boundary, a malformed part: aiohttp raises many kinds
                raise HTTPException(400, "Unable to parse the multipart body") from bad
            _check_map(self._form_data)
        return await super().get_form_data()


def _check_map(form_data: FormData) -> None:
    """`operations` is a JSON object (or a batch of them) and `map` a JSON object of file parts'
    names to lists of paths that each lead into `operations`: anything else is a 400 here
    rather than a failure inside Strawberry's placing of the files."""
    try:
        operations = json.loads(form_data.form.get("operations", "{}"))
        files_map = json.loads(form_data.form.get("map", "{}"))
    except (TypeError, ValueError, RecursionError) as bad:
        raise HTTPException(400, "Unable to parse request body as JSON") from bad
    if not isinstance(operations, dict | list) or not (
        isinstance(files_map, dict)
        and all(
            isinstance(paths, list) and all(isinstance(path, str) for path in paths)
            for paths in files_map.values()
        )
    ):
        message = "The operations must be a JSON object and the map an object of path lists"
        raise HTTPException(400, message)
    try:
        replace_placeholders_with_files(operations, files_map, form_data.files)  # type: ignore[arg-type]
    except (LookupError, TypeError, ValueError, AttributeError) as bad:
        raise HTTPException(400, "The map names a file or a path the request lacks") from bad


def close_received_files(request: web.Request) -> None:
    for received in request.get(RECEIVED_FILES, []):
        received.file.close()
