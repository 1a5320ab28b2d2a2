"""GET /uploads/<guid>: an issue's file, for those who may see the issue (bearer token), or for
whoever holds a signed download URL that has not expired (`?expires=...&signature=...`, made by
`resolvers/issues/download_links.py`), which a browser can use in an `<img>` or a link."""

import uuid
from urllib.parse import quote

from aiohttp import web

from ..models import Upload
from ..resolvers.core.errors import NotFound
from ..resolvers.issues.download_links import seconds_left, upload_of_link
from ..resolvers.issues.uploads import UploadStore, get_upload
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
    path = UploadStore.configured_by(request.app[SETTINGS]).path_of(upload)
    if not path.is_file():
        raise NotFound("File not found.")
    # Always a download, never rendered in our origin: an uploaded page cannot run scripts here.
    # (An `<img>` elsewhere still shows an image: browsers ignore the disposition there.)
    headers = {
        "Content-Type": upload.content_type,
        "Content-Disposition": f"attachment; filename*=UTF-8''{quote(upload.file_name)}",
        "X-Content-Type-Options": "nosniff",
        "Content-Security-Policy": "sandbox",
        "Cache-Control": cache,
    }
    return web.FileResponse(path, headers=headers)


def add_routes(router: web.UrlDispatcher) -> None:
    router.add_get("/uploads/{guid}", download, allow_head=False)
