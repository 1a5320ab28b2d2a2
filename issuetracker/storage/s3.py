"""Files as objects of an S3-compatible store (Amazon S3, MinIO, Ceph, ...) under
`s3://bucket/prefix`, through one aiobotocore client a process opens and closes with its app.

A file goes up as it is read: a small one in one request, a larger one as a multipart upload of
PART_BYTES parts, one part in memory at a time (aborted, leaving nothing, when the file turns
out too large or anything fails). It comes back as the object's body, read in chunks.

A store that cannot be reached (refused, timed out, cut off) or fails on its side (5xx) raises
StorageUnavailable, said in one log line: the faces answer 503 with `Retry-After`."""

import asyncio
import logging
from collections.abc import AsyncIterator, Iterator
from contextlib import asynccontextmanager, contextmanager, suppress
from typing import Any, BinaryIO, NoReturn

import aiohttp
from aiobotocore.config import AioConfig
from aiobotocore.session import get_session
from botocore.exceptions import ClientError, HTTPClientError
from botocore.exceptions import ConnectionError as StoreConnectionError

from ..logs import describe_failure
from ..settings import Settings
from . import CHUNK_BYTES, FileMissing, StorageUnavailable, StoredFile

log = logging.getLogger("issuetracker.storage")

PART_BYTES = 8 * 1024 * 1024
"""A multipart upload's part: S3 takes no part but the last under 5 MiB."""
MISSING = frozenset({"NoSuchKey", "404", "NotFound"})
CONNECT_SECONDS = 5
"""How long to wait for the store to take a connection (botocore's default is a minute)."""
UNREACHABLE = (StoreConnectionError, HTTPClientError, aiohttp.ClientError, TimeoutError)


@contextmanager
def _reaching(bucket: str) -> Iterator[None]:
    """Turns the store's failures to answer into StorageUnavailable."""
    try:
        yield
    except ClientError as error:
        if error.response.get("ResponseMetadata", {}).get("HTTPStatusCode", 0) < 500:
            raise
        _unavailable(bucket, error)
    except UNREACHABLE as failure:
        _unavailable(bucket, failure)


def _unavailable(bucket: str, failure: Exception) -> NoReturn:
    log.warning(
        "the file storage cannot be reached",
        extra={"bucket": bucket, "error": describe_failure(failure)},
    )
    raise StorageUnavailable(str(failure)) from None


class S3Storage:
    def __init__(self, client: Any, bucket: str, prefix: str) -> None:
        self.client = client
        self.bucket = bucket
        self.prefix = prefix

    @classmethod
    @asynccontextmanager
    async def opened(cls, settings: Settings) -> AsyncIterator["S3Storage"]:
        bucket, prefix = settings.upload_bucket
        secret = settings.aws_secret_access_key
        async with get_session().create_client(
            "s3",
            endpoint_url=settings.upload_s3_endpoint_url,
            region_name=settings.aws_region,
            aws_access_key_id=settings.aws_access_key_id,
            aws_secret_access_key=secret.get_secret_value() if secret else None,
            config=_config(settings),
        ) as client:
            yield cls(client, bucket, prefix)

    def _key(self, key: str) -> str:
        return f"{self.prefix}/{key}" if self.prefix else key

    async def save(self, key: str, source: BinaryIO, max_bytes: int) -> int | None:
        with _reaching(self.bucket):
            return await self._save(key, source, max_bytes)

    async def _save(self, key: str, source: BinaryIO, max_bytes: int) -> int | None:
        first = await asyncio.to_thread(_read_part, source, PART_BYTES)
        if len(first) > max_bytes:
            return None
        if len(first) < PART_BYTES:
            await self.client.put_object(Bucket=self.bucket, Key=self._key(key), Body=first)
            return len(first)
        return await self._save_in_parts(key, first, source, max_bytes)

    async def _save_in_parts(
        self, key: str, first: bytes, source: BinaryIO, max_bytes: int
    ) -> int | None:
        where = {"Bucket": self.bucket, "Key": self._key(key)}
        started = await self.client.create_multipart_upload(**where)
        where["UploadId"] = started["UploadId"]
        parts: list[dict[str, Any]] = []
        size, part = 0, first
        try:
            while part:
                size += len(part)
                if size > max_bytes:
                    await self.client.abort_multipart_upload(**where)
                    return None
                number = len(parts) + 1
                sent = await self.client.upload_part(**where, PartNumber=number, Body=part)
                parts.append({"ETag": sent["ETag"], "PartNumber": number})
                part = await asyncio.to_thread(_read_part, source, PART_BYTES)
            await self.client.complete_multipart_upload(**where, MultipartUpload={"Parts": parts})
        except BaseException:
            with suppress(Exception):
                await self.client.abort_multipart_upload(**where)
            raise
        return size

    @asynccontextmanager
    async def reading(self, key: str) -> AsyncIterator[StoredFile]:
        try:
            with _reaching(self.bucket):
                stored = await self.client.get_object(Bucket=self.bucket, Key=self._key(key))
        except ClientError as error:
            if error.response.get("Error", {}).get("Code") in MISSING:
                raise FileMissing(key) from None
            raise
        async with stored["Body"] as body:
            yield StoredFile(stored["ContentLength"], self._chunks(body))

    async def _chunks(self, body: Any) -> AsyncIterator[bytes]:
        with _reaching(self.bucket):
            async for chunk in body.iter_chunks(CHUNK_BYTES):
                yield chunk

    async def delete(self, key: str) -> None:
        with _reaching(self.bucket):
            await self.client.delete_object(Bucket=self.bucket, Key=self._key(key))


def _config(settings: Settings) -> AioConfig:
    if settings.upload_s3_endpoint_url is None:
        return AioConfig(retries={"mode": "standard"}, connect_timeout=CONNECT_SECONDS)
    # Stores other than Amazon's are reached by path (`host/bucket/key`, no bucket in a DNS
    # name), and not all of them check the newer default checksums: send those only when the
    # operation requires them.
    return AioConfig(
        retries={"mode": "standard"},
        connect_timeout=CONNECT_SECONDS,
        s3={"addressing_style": "path"},
        request_checksum_calculation="when_required",
        response_checksum_validation="when_required",
    )


def _read_part(source: BinaryIO, size: int) -> bytes:
    """Up to `size` bytes, fewer only at the end of the file."""
    part = bytearray()
    while len(part) < size and (chunk := source.read(size - len(part))):
        part += chunk
    return bytes(part)
