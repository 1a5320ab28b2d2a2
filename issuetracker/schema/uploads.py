"""Files sent with the GraphQL multipart request spec, read with a size cap.

Strawberry's own aiohttp adapter reads every file whole into memory and drops its name; this
one spools each file to disk past a small size, stops reading past the configured maximum
(413), and keeps the file's name and content type for the resolver.
"""

import tempfile
from typing import Any

from aiohttp import BodyPartReader, web
from cross_web import AiohttpHTTPRequestAdapter, HTTPException
from cross_web.request._base import FormData

from ..resolvers.uploads import ReceivedFile
from ..web import SETTINGS

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


class UploadingRequestAdapter(AiohttpHTTPRequestAdapter):
    @classmethod
    async def create(cls, request: web.Request) -> "AiohttpHTTPRequestAdapter":
        if not request.content_type.startswith("multipart/form-data"):
            return await super().create(request)
        limit = request.app[SETTINGS].upload_max_bytes
        reader = await request.multipart()
        form: dict[str, Any] = {}
        files: dict[str, Any] = {}
        form_bytes = 0
        while (part := await reader.next()) is not None:
            if not isinstance(part, BodyPartReader) or not part.name:
                raise HTTPException(400, "Unable to parse the multipart body")
            if part.filename is not None:
                files[part.name] = await _spooled(part, limit)
                continue
            value = await part.text()
            form_bytes += len(value)
            if form_bytes > FORM_FIELDS_MAX_BYTES:
                raise HTTPException(413, "The request is too large.")
            form[part.name] = value
        return cls(request, None, FormData(files=files, form=form))
