"""GET /uploads/<guid>: an issue's file, for those who may see the issue (bearer token), or for
whoever holds a signed download URL that has not expired (`?expires=...&signature=...`, made by
`resolvers/issues/download_links.py`), which a browser can use in an `<img>` or a link.

The bytes are streamed from the file storage through this server, whichever storage it is,
rather than redirected to a presigned URL of the object store: the answer keeps its headers
(a download, sandboxed, never sniffed, cached as long as the link works), the same permission
checks stand in front of it, and the store need not be reachable from browsers."""

import uuid
from urllib.parse import quote

from aiohttp import web

from ..app_storage import APP_STORAGE
from ..models import Upload
from ..resolvers.core.errors import NotFound
from ..resolvers.issues.download_links import seconds_left, upload_of_link
from ..resolvers.issues.uploads import get_upload, reading_upload
from ..storage import StorageUnavailable
from ..web import SCOPE, SETTINGS


async def download(request: web.Request) -> web.StreamResponse:
    try:
        guid = uuid.UUID(request.match_info["guid"])
    except ValueError:
        raise NotFound("File not found.") from None
    scope = request[SCOPE]
    expires, signature = request.query.get("expires"), request.query.get("signature")
    # Cached no longer than the link works; with a token, not at all.
    cache = "private, no-store"
    upload: Upload
    if signature is None:
        upload = await get_upload(scope, guid)
    else:
        secret_key = request.app[SETTINGS].secret_key
        upload = await upload_of_link(secret_key, guid, expires, signature, scope.now)
        cache = f"private, max-age={seconds_left(expires or '0', scope.now)}"
    # Always a download, never rendered in our origin: an uploaded page cannot run scripts here.
    # (An `<img>` elsewhere still shows an image: browsers ignore the disposition there.)
    headers = {
        "Content-Type": upload.content_type,
        "Content-Disposition": f"attachment; filename*=UTF-8''{quote(upload.file_name)}",
        "X-Content-Type-Options": "nosniff",
        "Content-Security-Policy": "sandbox",
        "Cache-Control": cache,
    }
    async with reading_upload(request.app[APP_STORAGE].storage, upload) as stored:
        response = web.StreamResponse(headers=headers)
        response.content_length = stored.size
        await response.prepare(request)
        try:
            async for chunk in stored.chunks:
                await response.write(chunk)
        except StorageUnavailable:  # too late for a 503: the client sees the body cut short
            response.force_close()
            return response
    await response.write_eof()
    return response


def add_routes(router: web.UrlDispatcher) -> None:
    router.add_get("/uploads/{guid}", download, allow_head=False)
