"""The app's one file storage: opened as the app starts and closed as it stops (for an object
store, one client and its connection pool a process), handed to the faces as an UploadStore."""

from collections.abc import AsyncIterator

from aiohttp import web

from .resolvers.issues.uploads import UploadStore
from .settings import Settings
from .storage import FileStorage, opened_storage


class AppStorage:
    """Put on the app before it starts (`install`); open while it runs."""

    def __init__(self, settings: Settings) -> None:
        self.settings = settings
        self._storage: FileStorage | None = None

    def install(self, app: web.Application) -> None:
        app[APP_STORAGE] = self
        app.cleanup_ctx.append(self._open)

    async def _open(self, app: web.Application) -> AsyncIterator[None]:
        async with opened_storage(self.settings) as storage:
            self._storage = storage
            yield
            self._storage = None

    @property
    def storage(self) -> FileStorage:
        if self._storage is None:
            raise RuntimeError("The file storage is open only while the app runs.")
        return self._storage


APP_STORAGE: web.AppKey[AppStorage] = web.AppKey("app_storage", AppStorage)


def upload_store(app: web.Application) -> UploadStore:
    """Where a request's uploads go, and how large one may be."""
    app_storage = app[APP_STORAGE]
    return UploadStore(app_storage.storage, app_storage.settings.upload_max_bytes)
