"""Where uploaded files' bytes are kept, behind one interface: a local directory (the default)
or an S3-compatible object store (`UPLOAD_STORAGE=s3://bucket/prefix`), which several machines
serving the same database share.

A file is written once under a key of the server's choosing, read back as a stream of chunks,
and deleted; neither way is it ever held whole in memory. Nothing here knows of requests,
permissions or the database: `resolvers/issues/uploads.py` decides who may do what."""

from collections.abc import AsyncIterator
from contextlib import AbstractAsyncContextManager, asynccontextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO, Protocol

from ..settings import Settings

CHUNK_BYTES = 64 * 1024
"""What a download is written out in."""


class FileMissing(Exception):
    """No file is stored under the key (it was lost, or never finished)."""


class StorageUnavailable(Exception):
    """The storage cannot be reached for now (an object store down, refusing or failing):
    trying again later may work."""


@dataclass(frozen=True, slots=True)
class StoredFile:
    size: int
    chunks: AsyncIterator[bytes]


class FileStorage(Protocol):
    async def save(self, key: str, source: BinaryIO, max_bytes: int) -> int | None:
        """Copies `source` to `key` and answers its size; None, with nothing left stored, when
        it holds more than `max_bytes`."""
        ...

    def reading(self, key: str) -> AbstractAsyncContextManager[StoredFile]:
        """The file under `key`, open while the context lasts; raises FileMissing. (Any
        method may raise StorageUnavailable, the chunks of a file too.)"""
        ...

    async def delete(self, key: str) -> None:
        """Removes the file under `key`, if there is one."""
        ...


@asynccontextmanager
async def opened_storage(settings: Settings) -> AsyncIterator[FileStorage]:
    """The storage the settings name, with its connections open while the context lasts."""
    if not settings.upload_storage:
        from .local import LocalStorage

        yield LocalStorage(Path(settings.upload_dir))
        return
    from .s3 import S3Storage

    async with S3Storage.opened(settings) as storage:
        yield storage
