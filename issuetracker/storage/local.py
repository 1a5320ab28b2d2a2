"""Files in a directory of this machine, named by their keys: today's storage, and the default.
Disk work runs in threads, so the event loop never waits on it (closing a file opened for
reading writes nothing, so that alone is done in place)."""

import asyncio
import os
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path
from typing import BinaryIO

from . import CHUNK_BYTES, FileMissing, StoredFile


class LocalStorage:
    def __init__(self, directory: Path) -> None:
        self.directory = directory

    def _path(self, key: str) -> Path:
        return self.directory / key

    async def save(self, key: str, source: BinaryIO, max_bytes: int) -> int | None:
        await asyncio.to_thread(os.makedirs, self.directory, exist_ok=True)
        return await asyncio.to_thread(_copy_limited, source, self._path(key), max_bytes)

    @asynccontextmanager
    async def reading(self, key: str) -> AsyncIterator[StoredFile]:
        try:
            file = await _open_for_reading(self._path(key))
        except (FileNotFoundError, IsADirectoryError, NotADirectoryError):
            raise FileMissing(key) from None
        # Closed in place: an await here could be cancelled (a server shutting down cancels
        # its handlers) and leave the file open.
        with file:
            size = os.fstat(file.fileno()).st_size
            yield StoredFile(size, _chunks_of(file))

    async def delete(self, key: str) -> None:
        await asyncio.to_thread(self._path(key).unlink, missing_ok=True)


async def _open_for_reading(path: Path) -> BinaryIO:
    """Opens `path` in a thread; a file the thread opens after its request was cancelled is
    closed, not lost."""
    opening: asyncio.Future[BinaryIO] = asyncio.ensure_future(asyncio.to_thread(_open, path))
    try:
        return await asyncio.shield(opening)
    except asyncio.CancelledError:
        opening.add_done_callback(_close_if_opened)
        raise


def _open(path: Path) -> BinaryIO:
    return path.open("rb")


def _close_if_opened(opening: asyncio.Future[BinaryIO]) -> None:
    if not opening.cancelled() and opening.exception() is None:
        opening.result().close()


def _copy_limited(source: BinaryIO, target: Path, max_bytes: int) -> int | None:
    """Copies at most `max_bytes`; None (and nothing left behind) when the file is larger."""
    written = 0
    with target.open("wb") as out:
        while chunk := source.read(CHUNK_BYTES):
            written += len(chunk)
            if written > max_bytes:
                break
            out.write(chunk)
    if written > max_bytes:
        target.unlink(missing_ok=True)
        return None
    return written


async def _chunks_of(file: BinaryIO) -> AsyncIterator[bytes]:
    while chunk := await asyncio.to_thread(file.read, CHUNK_BYTES):
        yield chunk
