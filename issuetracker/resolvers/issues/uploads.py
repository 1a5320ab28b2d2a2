"""Files attached to an issue. The bytes live in the file storage (a directory, or an object
store: see `storage/`) under a random key; the database keeps the name people gave the file.
Only those who may see the issue get it back. A storage that cannot be reached makes the
request a ServiceUnavailable (503 with `Retry-After` on every face)."""

import contextlib
import secrets
import uuid
from collections.abc import AsyncIterator
from dataclasses import dataclass
from typing import BinaryIO

from tortoise.expressions import Subquery
from tortoise.transactions import in_transaction

from ...models import Upload
from ...storage import FileMissing, FileStorage, StorageUnavailable, StoredFile
from ..core.errors import ErrorCode, NotFound, ServiceUnavailable, ValidationFailed
from ..core.scope import Scope
from ..core.validation import Collector, column_limit
from ..core.visibility import visible_issues
from .writes import managed_open_issue

DEFAULT_CONTENT_TYPE = "application/octet-stream"
FILE_NAME_LENGTH = column_limit(Upload, "file_name")
CONTENT_TYPE_LENGTH = column_limit(Upload, "content_type")


@dataclass(frozen=True, slots=True)
class ReceivedFile:
    name: str
    content_type: str | None
    file: BinaryIO


@dataclass(frozen=True, slots=True)
class UploadStore:
    """Where files go (the app's one storage), and how large one may be."""

    storage: FileStorage
    max_bytes: int


DOWNLOAD_PREFIX = "/uploads/"
STORAGE_AWAY = "The file storage cannot be reached for a moment; try again shortly."


def download_path(guid: uuid.UUID) -> str:
    """Where a file is fetched, with a token of someone who may see its issue."""
    return f"{DOWNLOAD_PREFIX}{guid}"


def _clean_name(check: Collector, name: str) -> str:
    """The last path component only: a name never chooses where anything is written."""
    base = name.replace("\\", "/").rsplit("/", 1)[-1].strip()
    return check.text("file", base, max_length=FILE_NAME_LENGTH) or ""


def _clean_content_type(check: Collector, content_type: str | None) -> str:
    """The type the client declared, kept to show it back; the default when it gave none."""
    declared = check.text(
        "file",
        content_type,
        max_length=CONTENT_TYPE_LENGTH,
        required=False,
        label="file's content type",
    )
    return declared or DEFAULT_CONTENT_TYPE


async def add_upload(
    scope: Scope, issue_id: int, received: ReceivedFile, store: UploadStore
) -> Upload:
    issue = await managed_open_issue(scope, issue_id)
    check = Collector()
    name = _clean_name(check, received.name)
    content_type = _clean_content_type(check, received.content_type)
    check.raise_if_any()
    storage_key = secrets.token_hex(16)
    try:
        size = await store.storage.save(storage_key, received.file, store.max_bytes)
    except StorageUnavailable:
        raise ServiceUnavailable(STORAGE_AWAY) from None
    if size is None:
        message = f"The file may not be greater than {store.max_bytes} bytes."
        raise ValidationFailed.single("file", message, ErrorCode.TOO_LARGE)
    try:
        async with in_transaction():
            upload = await Upload.create(
                guid=uuid.uuid4(),
                issue=issue,
                file_name=name,
                content_type=content_type,
                size=size,
                storage_key=storage_key,
                uploaded_by_id=scope.actor.user_id,
            )
            issue.uploads_updated_at = scope.now
            await issue.save(update_fields=["uploads_updated_at", "updated_at"])
    except BaseException:
        with contextlib.suppress(StorageUnavailable):  # the failure that matters is the first
            await store.storage.delete(storage_key)
        raise
    return upload


async def get_upload(scope: Scope, guid: uuid.UUID) -> Upload:
    """Hidden and missing look the same."""
    visible_ids = visible_issues(scope.actor).values_list("id", flat=True)
    upload = await Upload.get_or_none(guid=guid, issue_id__in=Subquery(visible_ids))
    if upload is None:
        raise NotFound("File not found.")
    return upload


@contextlib.asynccontextmanager
async def reading_upload(storage: FileStorage, upload: Upload) -> AsyncIterator[StoredFile]:
    """The upload's bytes, open while the context lasts: NotFound when they were lost,
    ServiceUnavailable when the storage cannot be reached (reading the chunks may still raise
    StorageUnavailable, once the answer has begun)."""
    try:
        async with storage.reading(upload.storage_key) as stored:
            yield stored
    except FileMissing:
        raise NotFound("File not found.") from None
    except StorageUnavailable:
        raise ServiceUnavailable(STORAGE_AWAY) from None
