"""Multipart GraphQL requests that cannot be read are a 400, whatever is wrong with them (the
form, its `operations`, its `map`); a file named with text no column can hold is a payload
error naming the file, and nothing is stored. The same on SQLite and PostgreSQL, and with
files kept in a directory or in an S3 bucket."""

import io
import json
from typing import Any

import pytest
from aiohttp.test_utils import TestClient
from pytest_aiohttp import AiohttpClient

from issuetracker.models import Upload
from issuetracker.server import create_app
from issuetracker.settings import Settings

from ..storages import Storage
from ..support import Person, gid, make_issue

UPLOAD = """
mutation ($input: UploadIssueFileInput!) {
  uploadIssueFile(input: $input) { upload { fileName } errors { field message code } }
}
"""
BOUNDARY = "b0undary"


@pytest.fixture
def settings(settings: Settings, storage: Storage) -> Settings:
    return settings.model_copy(update=storage.settings)


def _part(name: str, value: str | bytes, filename: str | None = None) -> bytes:
    disposition = f'form-data; name="{name}"'
    if filename is not None:
        disposition += (
            f"; {filename}" if filename.startswith("filename*=") else f'; filename="{filename}"'
        )
    content = value.encode() if isinstance(value, str) else value
    head = f"--{BOUNDARY}\r\nContent-Disposition: {disposition}\r\n\r\n".encode(
        "utf-8", "surrogateescape"
    )
    return head + content + b"\r\n"


def multipart(operations: Any, files_map: Any, filename: str = "report.txt") -> bytes:
    """A GraphQL multipart body, written out byte by byte (so any name can be sent)."""
    return (
        _part("operations", json.dumps(operations))
        + _part("map", json.dumps(files_map))
        + _part("0", b"hello", filename=filename)
        + f"--{BOUNDARY}--\r\n".encode()
    )


def operations_for(issue_id: str) -> dict[str, Any]:
    return {"query": UPLOAD, "variables": {"input": {"issueId": issue_id, "file": None}}}


async def send(
    client: TestClient,
    body: bytes,
    person: Person,
    content_type: str = f"multipart/form-data; boundary={BOUNDARY}",
) -> tuple[int, str]:
    headers = {**person.headers, "Content-Type": content_type}
    response = await client.post("/graphql", data=body, headers=headers)
    return response.status, await response.text()


async def test_a_well_formed_upload_is_taken(
    client: TestClient, owner: Person, storage: Storage
) -> None:
    issue = gid("Issue", await make_issue(owner))

    status, text = await send(
        client, multipart(operations_for(issue), {"0": ["variables.input.file"]}), owner
    )

    assert status == 200, text
    assert json.loads(text)["data"]["uploadIssueFile"] == {
        "upload": {"fileName": "report.txt"},
        "errors": [],
    }


MAPS: list[tuple[str, Any]] = [
    ("a list", [["variables.input.file"]]),
    ("a string", "variables.input.file"),
    ("paths that are not a list", {"0": "variables.input.file"}),
    ("a path that is not text", {"0": [7]}),
    ("a path into nothing", {"0": ["variables.nothing.here.file"]}),
    ("a path through a string", {"0": ["query.file"]}),
    ("a list index that is not a number", {"0": ["variables.input.file.x.y"]}),
    ("a file the request lacks", {"1": ["variables.input.file"]}),
    ("not JSON at all", None),
]


@pytest.mark.parametrize(
    "files_map", [pytest.param(files_map, id=case) for case, files_map in MAPS]
)
async def test_a_map_that_does_not_fit_the_request_is_a_400(
    client: TestClient, owner: Person, storage: Storage, files_map: Any
) -> None:
    # given an issue of the owner's
    issue = gid("Issue", await make_issue(owner))

    # when an upload's map is not an object of path lists leading into the operations
    body = multipart(operations_for(issue), files_map)
    if files_map is None:
        body = body.replace(b"null", b"{nope")
    status, text = await send(client, body, owner)

    # then the request is refused as malformed, and nothing is stored
    assert status == 400, text
    assert await Upload.all().count() == 0


@pytest.mark.parametrize("operations", ["hello", 42, None])
async def test_operations_that_are_not_an_object_are_a_400(
    client: TestClient, owner: Person, operations: Any
) -> None:
    status, text = await send(client, multipart(operations, {}), owner)

    assert status == 400, text


@pytest.mark.parametrize(
    "content_type",
    [
        "multipart/form-data",
        "multipart/form-data; boundary=other",
        "multipart/form-data; boundary=",
    ],
)
async def test_a_multipart_body_without_its_boundary_is_a_400(
    client: TestClient, owner: Person, content_type: str
) -> None:
    issue = gid("Issue", await make_issue(owner))
    body = multipart(operations_for(issue), {"0": ["variables.input.file"]})

    status, text = await send(client, body, owner, content_type=content_type)

    assert status == 400, text


@pytest.mark.parametrize(
    ("filename", "message"),
    [
        ("filename*=UTF-8''bad%00name.txt", "The file may not contain a NUL character."),
        ("bad\udcffname.txt", "The file is not valid Unicode (it holds a lone surrogate)."),
    ],
    ids=["nul", "not-utf8"],
)
async def test_a_file_name_no_column_can_hold_is_a_payload_error(
    client: TestClient, owner: Person, storage: Storage, filename: str, message: str
) -> None:
    # given an issue of the owner's
    issue = gid("Issue", await make_issue(owner))

    # when a file is uploaded with a NUL in its name (or bytes that are not UTF-8)
    body = multipart(operations_for(issue), {"0": ["variables.input.file"]}, filename=filename)
    status, text = await send(client, body, owner)

    # then the file is named in the payload, and nothing is stored
    assert status == 200, text
    assert json.loads(text)["data"]["uploadIssueFile"] == {
        "upload": None,
        "errors": [{"field": "file", "message": message, "code": "INVALID"}],
    }
    assert await Upload.all().count() == 0
    assert await storage.stored() == []


async def test_a_raw_nul_in_a_part_header_is_a_400(
    client: TestClient, owner: Person, storage: Storage
) -> None:
    issue = gid("Issue", await make_issue(owner))
    files_map = {"0": ["variables.input.file"]}

    body = multipart(operations_for(issue), files_map, filename="bad\x00name.txt")
    status, text = await send(client, body, owner)

    assert status == 400, text
    assert await storage.stored() == []


@pytest.fixture
def small_uploads(settings: Settings) -> Settings:
    return settings.model_copy(update={"upload_max_files": 2, "upload_max_bytes": 1000})


@pytest.fixture
async def small_client(
    aiohttp_client: AiohttpClient, database: None, small_uploads: Settings
) -> TestClient:
    return await aiohttp_client(create_app(small_uploads, manage_database=False))


async def test_a_part_the_map_does_not_name_is_a_400(
    small_client: TestClient, owner: Person
) -> None:
    # when a request sends a file part the map does not name (a query with no files at all)
    operations = {"query": "{ viewer { name } }"}
    body = (
        _part("operations", json.dumps(operations))
        + _part("map", "{}")
        + _part("spare", b"x" * 500, filename="spare.bin")
        + f"--{BOUNDARY}--\r\n".encode()
    )
    status, text = await send(small_client, body, owner)

    # then it is refused, naming what is wrong
    assert status == 400
    assert "not a file the `map` names" in text


async def test_a_map_of_more_files_than_allowed_is_a_413(
    small_client: TestClient, owner: Person
) -> None:
    issue = gid("Issue", await make_issue(owner))
    files_map = {str(n): [f"variables.input.file{n}"] for n in range(3)}

    status, text = await send(small_client, multipart(operations_for(issue), files_map), owner)

    assert status == 413
    assert "at most 2 files" in text
    assert await Upload.all().count() == 0


async def test_a_body_longer_than_its_files_may_be_is_a_413_before_it_is_read(
    small_client: TestClient, owner: Person
) -> None:
    # when a body is longer than 2 files of 1,000 bytes and the fields' megabyte together
    body = multipart({"query": "{ viewer { name } }"}, {}) + b"x" * (2 * 1024 * 1024)
    headers = {**owner.headers, "Content-Type": f"multipart/form-data; boundary={BOUNDARY}"}
    response = await small_client.post("/graphql", data=io.BytesIO(body), headers=headers)
    status, text = response.status, await response.text()

    # then it is refused by its length
    assert status == 413
    assert "larger than 2 files" in text
