"""Files in a directory of this machine, named by their keys: today's storage, and the default.
Disk work runs in threads, so the event loop never waits on it."""

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
            file = await asyncio.to_thread(self._path(key).open, "rb")
        except (FileNotFoundError, IsADirectoryError, NotADirectoryError):
            raise FileMissing(key) from None
        try:
            size = os.fstat(file.fileno()).st_size
            yield StoredFile(size, _chunks_of(file))
        finally:
            await asyncio.to_thread(file.close)

    async def delete(self, key: str) -> None:
        await asyncio.to_thread(self._path(key).unlink, missing_ok=True)


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
