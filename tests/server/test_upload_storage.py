"""Files kept in an S3-compatible object store (`UPLOAD_STORAGE=s3://bucket/prefix`), as when
several machines serve: a file uploaded through one server process is downloaded through
another; a large file goes up in parts and comes back whole, streamed; one over the limit
leaves not even a part behind; a file lost from either storage is a 404; a store that cannot be
reached is a 503 with `Retry-After` in each face's format, and no traceback in the log."""

import io
import logging
from typing import Any

import pytest
from pydantic import ValidationError
from pytest_aiohttp import AiohttpClient

from issuetracker.app_storage import APP_STORAGE
from issuetracker.clock import utcnow
from issuetracker.models import Upload
from issuetracker.resolvers.core.errors import ErrorCode, ValidationFailed
from issuetracker.resolvers.issues.download_links import signed_download_url
from issuetracker.resolvers.issues.uploads import ReceivedFile, UploadStore, add_upload
from issuetracker.server import create_app
from issuetracker.settings import Settings
from issuetracker.storage.s3 import PART_BYTES

from ..graphql.upload_helpers import download, upload, uploaded
from ..notifications.conftest import free_port
from ..storages import Bucket, Directory, Storage
from ..support import Person, make_issue

LARGE = 2 * PART_BYTES + 1000
"""Three parts: two whole, and a short last one."""


def with_storage(settings: Settings, storage: Storage, **changes: Any) -> Settings:
    return settings.model_copy(update={**storage.settings, **changes})


async def test_a_file_uploaded_through_one_process_is_downloaded_through_another(
    aiohttp_client: AiohttpClient, database: None, settings: Settings, bucket: Bucket, owner: Person
) -> None:
    # given two server processes over one database and one bucket
    shared = with_storage(settings, bucket)
    first = await aiohttp_client(create_app(shared, manage_database=False))
    second = await aiohttp_client(create_app(shared, manage_database=False))
    issue = await make_issue(owner)

    # when a file is uploaded through the first
    file = (await uploaded(first, issue, b"from the first", owner))["upload"]

    # then the second serves it, with a token and by a signed link alike
    by_token = await download(second, file["url"], owner)
    link = signed_download_url(shared, file["guid"], utcnow()).removeprefix("http://testserver")
    by_link = await second.get(link)
    assert (by_token.status, await by_token.read()) == (200, b"from the first")
    assert (by_link.status, await by_link.read()) == (200, b"from the first")
    assert by_link.headers["Content-Disposition"] == "attachment; filename*=UTF-8''report.txt"


async def test_with_a_directory_each_machine_has_only_its_own_files(
    aiohttp_client: AiohttpClient, database: None, settings: Settings, tmp_path: Any, owner: Person
) -> None:
    # given two machines, each with its own upload directory (what the object store replaces)
    first = await aiohttp_client(
        create_app(with_storage(settings, Directory(tmp_path / "one")), manage_database=False)
    )
    second = await aiohttp_client(
        create_app(with_storage(settings, Directory(tmp_path / "two")), manage_database=False)
    )
    file = (await uploaded(first, await make_issue(owner), b"here only", owner))["upload"]

    # when the other machine is asked for the file, it answers as for a missing one
    response = await download(second, file["url"], owner)

    assert response.status == 404
    assert (await response.json())["code"] == "NOT_FOUND"


async def test_a_large_file_goes_up_in_parts_and_comes_back_whole(
    aiohttp_client: AiohttpClient, database: None, settings: Settings, bucket: Bucket, owner: Person
) -> None:
    # given a limit above a file of three parts' size
    limited = with_storage(settings, bucket, upload_max_bytes=3 * PART_BYTES)
    client = await aiohttp_client(create_app(limited, manage_database=False))
    content = bytes(range(251)) * (LARGE // 251 + 1)

    # when it is uploaded
    file = (await uploaded(client, await make_issue(owner), content, owner))["upload"]

    # then it was stored as a multipart upload of three parts, and comes back the same
    [stored] = await bucket.stored()
    assert (await bucket.head(stored))["ETag"].endswith('-3"')
    assert file["size"] == len(content)
    response = await download(client, file["url"], owner)
    assert response.status == 200
    assert response.headers["Content-Length"] == str(len(content))
    assert await response.read() == content


async def test_a_file_over_the_limit_leaves_no_part_behind(
    aiohttp_client: AiohttpClient, database: None, settings: Settings, bucket: Bucket, owner: Person
) -> None:
    # given the bucket's storage, open in a running app, and a limit just past one part
    client = await aiohttp_client(create_app(with_storage(settings, bucket), manage_database=False))
    store = UploadStore(client.app[APP_STORAGE].storage, max_bytes=PART_BYTES + 1)
    issue = await make_issue(owner)

    # when a file of two parts is added
    received = ReceivedFile("big.bin", None, io.BytesIO(b"x" * (2 * PART_BYTES)))
    with pytest.raises(ValidationFailed) as refused:
        await add_upload(owner.scope, issue.id, received, store)

    # then it is refused as too large, and the multipart upload begun for it was aborted
    [error] = refused.value.errors
    assert (error.field, error.code) == ("file", ErrorCode.TOO_LARGE)
    assert await bucket.everything() == []
    assert await bucket.unfinished_uploads() == []
    assert await Upload.all().count() == 0


async def test_a_file_lost_from_the_storage_is_not_found(
    aiohttp_client: AiohttpClient,
    database: None,
    settings: Settings,
    storage: Storage,
    owner: Person,
) -> None:
    # given an uploaded file whose bytes were then lost from the storage
    client = await aiohttp_client(
        create_app(with_storage(settings, storage), manage_database=False)
    )
    file = (await uploaded(client, await make_issue(owner), b"gone", owner))["upload"]
    [stored] = await storage.stored()
    await storage.remove(stored)

    # when it is fetched
    response = await download(client, file["url"], owner)

    # then the answer is the one for a missing file
    assert response.status == 404
    assert await response.json() == {"message": "File not found.", "code": "NOT_FOUND"}


@pytest.mark.parametrize(
    ("value", "bucket_and_prefix"),
    [
        ("", ("", "")),
        ("s3://uploads", ("uploads", "")),
        ("s3://uploads/", ("uploads", "")),
        ("s3://uploads/tracker/files/", ("uploads", "tracker/files")),
    ],
)
def test_the_upload_storage_is_a_bucket_url_or_empty(
    value: str, bucket_and_prefix: tuple[str, str]
) -> None:
    settings = Settings(upload_storage=value, _env_file=None)

    assert settings.upload_bucket == bucket_and_prefix


@pytest.mark.parametrize("value", ["s3://", "s3:///prefix", "data/uploads", "https://s3/x"])
def test_anything_else_is_refused_as_the_upload_storage(value: str) -> None:
    with pytest.raises(ValidationError, match="expected nothing, or an s3://bucket/prefix URL"):
        Settings(upload_storage=value, _env_file=None)


# A store that cannot be reached


def unreachable(settings: Settings, bucket: Bucket) -> Settings:
    """The bucket's settings, but at an address where nothing listens."""
    return with_storage(settings, bucket, upload_s3_endpoint_url=f"http://127.0.0.1:{free_port()}")


def tracebacks_and_errors(caplog: pytest.LogCaptureFixture) -> list[str]:
    return [
        record.getMessage()
        for record in caplog.records
        if record.exc_info or record.levelno >= logging.ERROR
    ]


async def test_an_upload_while_the_store_cannot_be_reached_is_a_503_to_try_again(
    aiohttp_client: AiohttpClient,
    database: None,
    settings: Settings,
    bucket: Bucket,
    owner: Person,
    caplog: pytest.LogCaptureFixture,
) -> None:
    # given a server whose object store cannot be reached
    client = await aiohttp_client(create_app(unreachable(settings, bucket), manage_database=False))
    issue = await make_issue(owner)

    # when a file is uploaded over GraphQL
    with caplog.at_level(logging.INFO):
        response = await upload(client, issue, b"a report", as_=owner)

    # then the answer is a 503 that says when to try again, and nothing was kept
    assert response.status == 503
    assert response.headers["Retry-After"].isdigit()
    body = await response.json()
    assert body["data"] == {"uploadIssueFile": None}
    [error] = body["errors"]
    assert error["extensions"] == {"code": "SERVICE_UNAVAILABLE"}
    assert error["message"] == "The file storage cannot be reached for a moment; try again shortly."
    assert await Upload.all().count() == 0
    assert tracebacks_and_errors(caplog) == []
    assert "the file storage cannot be reached" in caplog.messages


async def test_a_download_while_the_store_cannot_be_reached_is_a_503_to_try_again(
    aiohttp_client: AiohttpClient,
    database: None,
    settings: Settings,
    bucket: Bucket,
    owner: Person,
    caplog: pytest.LogCaptureFixture,
) -> None:
    # given a file uploaded while the store answered, and a server that cannot reach it
    working = await aiohttp_client(
        create_app(with_storage(settings, bucket), manage_database=False)
    )
    file = (await uploaded(working, await make_issue(owner), b"kept", owner))["upload"]
    cut_off = unreachable(settings, bucket)
    client = await aiohttp_client(create_app(cut_off, manage_database=False))

    # when it is downloaded with a token, and by a signed link
    with caplog.at_level(logging.INFO):
        by_token = await download(client, file["url"], owner)
        link = signed_download_url(cut_off, file["guid"], utcnow())
        by_link = await client.get(link.removeprefix("http://testserver"))

    # then both are 503s that say when to try again, in the plain JSON of /uploads/
    for response in (by_token, by_link):
        assert response.status == 503
        assert response.headers["Retry-After"].isdigit()
        assert await response.json() == {
            "message": "The file storage cannot be reached for a moment; try again shortly.",
            "code": "SERVICE_UNAVAILABLE",
        }
    assert tracebacks_and_errors(caplog) == []
