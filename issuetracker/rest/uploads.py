"""GET /uploads/<guid>: an issue's file, for those who may see the issue (bearer token)."""

import uuid
from urllib.parse import quote

from aiohttp import web

from ..resolvers.core.errors import NotFound
from ..resolvers.issues.uploads import UploadStore, get_upload
from ..web import SCOPE, SETTINGS


async def download(request: web.Request) -> web.StreamResponse:
    try:
        guid = uuid.UUID(request.match_info["guid"])
    except ValueError:
        raise NotFound("File not found.") from None
    upload = await get_upload(request[SCOPE], guid)
    path = UploadStore.configured_by(request.app[SETTINGS]).path_of(upload)
    if not path.is_file():
        raise NotFound("File not found.")
    # Always a download, never rendered in our origin: an uploaded page cannot run scripts here.
    headers = {
        "Content-Type": upload.content_type,
        "Content-Disposition": f"attachment; filename*=UTF-8''{quote(upload.file_name)}",
        "X-Content-Type-Options": "nosniff",
        "Content-Security-Policy": "sandbox",
        "Cache-Control": "private, no-store",
    }
    return web.FileResponse(path, headers=headers)


def add_routes(router: web.UrlDispatcher) -> None:
    router.add_get("/uploads/{guid}", download, allow_head=False)
