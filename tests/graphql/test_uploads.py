"""Uploading a file to an issue with the GraphQL multipart request spec, and reading it back
through its `url`: names and types kept, a size limit, a name that cannot choose where the file
is written, and files served only to those who may see the issue."""

import json
from datetime import datetime
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pytest
from aiohttp import FormData
from aiohttp.test_utils import TestClient

from issuetracker.models import Company, Issue, Upload
from issuetracker.resolvers.issues.writes import close_issue
from issuetracker.settings import Settings

from ..databases import TEST_DATABASE_URL
from ..support import Api, Person, error_codes, gid, make_category, make_issue

MAX_BYTES = 1024

UPLOAD = """
mutation ($input: UploadIssueFileInput!) {
  uploadIssueFile(input: $input) {
    upload { id databaseId guid fileName contentType size url uploadedBy { name } }
    errors { field message code }
  }
}
"""

ISSUE_UPLOADS = """
query ($id: ID!) {
  issue(id: $id) {
    createdAt uploadsUpdatedAt
    uploads { nodes { fileName size } totalCount }
  }
}
"""

NODE = """
query ($id: ID!) { node(id: $id) { id ... on IssueUpload { fileName url } } }
"""


@pytest.fixture
def upload_dir(tmp_path: Path) -> Path:
    return tmp_path / "uploads"


@pytest.fixture
def settings(upload_dir: Path) -> Settings:
    return Settings(
        environment="test",
        database_url=TEST_DATABASE_URL,
        public_url="http://testserver/",
        upload_dir=str(upload_dir),
        upload_max_bytes=MAX_BYTES,
        _env_file=None,
    )


async def upload(
    client: TestClient,
    issue: Issue | str,
    content: bytes,
    *,
    as_: Person | None,
    name: str = "report.txt",
    content_type: str = "text/plain",
) -> Any:
    """One GraphQL multipart request (operations, map, then the file): the response."""
    issue_id = issue if isinstance(issue, str) else gid("Issue", issue)
    operations = {"query": UPLOAD, "variables": {"input": {"issueId": issue_id, "file": None}}}
    form = FormData(quote_fields=False)  # as browsers send names: raw, in quotes
    form.add_field("operations", json.dumps(operations), content_type="application/json")
    form.add_field("map", json.dumps({"0": ["variables.input.file"]}))
    form.add_field("0", content, filename=name, content_type=content_type)
    return await client.post("/graphql", data=form, headers=as_.headers if as_ else {})


async def uploaded(
    client: TestClient, issue: Issue, content: bytes, as_: Person, **kw: str
) -> dict:
    response = await upload(client, issue, content, as_=as_, **kw)
    assert response.status == 200, await response.text()
    body = await response.json()
    assert "errors" not in body, body
    return body["data"]["uploadIssueFile"]


async def download(client: TestClient, url: str, as_: Person | None) -> Any:
    assert url.startswith("http://testserver/uploads/")
    return await client.get(urlsplit(url).path, headers=as_.headers if as_ else {})


def stored_files(upload_dir: Path) -> list[Path]:
    return sorted(upload_dir.iterdir()) if upload_dir.exists() else []


def files_under(directory: Path) -> list[Path]:
    return sorted(path for path in directory.rglob("*") if path.is_file())


async def test_a_file_goes_up_and_comes_back_the_same(
    api: Api, client: TestClient, owner: Person, upload_dir: Path
) -> None:
    # given an issue of the owner's, and a file of every byte value
    issue = await make_issue(owner)
    content = bytes(range(256)) * 2

    # when the owner uploads it
    payload = await uploaded(
        client, issue, content, owner, name="scan 1 (é).bin", content_type="image/png"
    )

    # then the upload keeps its name, type and size, and the issue lists it
    assert payload["errors"] == []
    file = payload["upload"]
    assert file["fileName"] == "scan 1 (é).bin"
    assert file["contentType"] == "image/png"
    assert file["size"] == len(content)
    assert file["uploadedBy"] == {"name": "Olive Owner"}
    assert file["url"] == f"http://testserver/uploads/{file['guid']}"
    data = await api.data(ISSUE_UPLOADS, {"id": gid("Issue", issue)}, as_=owner)
    assert data["issue"]["uploads"] == {
        "nodes": [{"fileName": "scan 1 (é).bin", "size": 512}],
        "totalCount": 1,
    }
    times = data["issue"]
    assert datetime.fromisoformat(times["uploadsUpdatedAt"]) > datetime.fromisoformat(
        times["createdAt"]
    )

    # and its url gives back the same bytes, as a download of that name and type
    response = await download(client, file["url"], owner)
    assert response.status == 200
    assert await response.read() == content
    assert response.headers["Content-Type"] == "image/png"
    assert response.headers["Content-Disposition"] == (
        "attachment; filename*=UTF-8''scan%201%20%28%C3%A9%29.bin"
    )
    # and the bytes sit in the upload directory under a name of the server's choosing
    [stored] = stored_files(upload_dir)
    assert stored.read_bytes() == content
    assert "scan" not in stored.name


async def test_a_file_of_the_size_limit_is_taken_and_a_larger_one_refused(
    api: Api, client: TestClient, owner: Person, upload_dir: Path
) -> None:
    issue = await make_issue(owner)

    # when a file of exactly the limit, then one byte more, is uploaded
    fits = await uploaded(client, issue, b"x" * MAX_BYTES, owner, name="fits.txt")
    too_large = await upload(client, issue, b"x" * (MAX_BYTES + 1), as_=owner, name="big.txt")

    # then the first is kept, the second refused with 413 and kept nowhere
    assert fits["upload"]["size"] == MAX_BYTES
    assert too_large.status == 413
    assert f"greater than {MAX_BYTES} bytes" in await too_large.text()
    data = await api.data(ISSUE_UPLOADS, {"id": gid("Issue", issue)}, as_=owner)
    assert data["issue"]["uploads"]["nodes"] == [{"fileName": "fits.txt", "size": MAX_BYTES}]
    assert len(stored_files(upload_dir)) == 1


async def test_only_those_who_may_see_the_issue_get_the_file(
    client: TestClient, owner: Person, member: Person, outsider: Person, company: Company
) -> None:
    # given a file on an issue without categories, and one on a public issue
    private = await uploaded(client, await make_issue(owner), b"secret", owner)
    public_issue = await make_issue(owner, await make_category(owner, company))
    public = await uploaded(client, public_issue, b"notice", owner)

    # then an outsider and anonymous get 404 for the private file, like a missing one
    for person in (outsider, None):
        response = await download(client, private["upload"]["url"], person)
        assert response.status == 404
        assert b"secret" not in await response.read()
    missing = "http://testserver/uploads/00000000-0000-0000-0000-000000000000"
    assert (await download(client, missing, owner)).status == 404
    # and anyone who sees the public issue gets its file
    for person in (member, outsider, None):
        response = await download(client, public["upload"]["url"], person)
        assert (response.status, await response.read()) == (200, b"notice")


async def test_a_path_in_the_file_name_cannot_choose_where_it_is_written(
    client: TestClient, owner: Person, upload_dir: Path, tmp_path: Path
) -> None:
    issue = await make_issue(owner)

    # when files are sent with names that climb out of the directory
    unix = await uploaded(client, issue, b"one", owner, name="../../escaped.txt")
    windows = await uploaded(client, issue, b"two", owner, name="..\\..\\evil.bat")

    # then only the last component of each name is kept, and both files are in the directory
    assert unix["upload"]["fileName"] == "escaped.txt"
    assert windows["upload"]["fileName"] == "evil.bat"
    everything = files_under(tmp_path)
    assert everything == stored_files(upload_dir)
    assert len(everything) == 2


async def test_a_name_without_a_file_name_is_invalid(
    client: TestClient, owner: Person, upload_dir: Path
) -> None:
    issue = await make_issue(owner)

    payload = await uploaded(client, issue, b"data", owner, name="../")

    assert payload == {
        "upload": None,
        "errors": [{"field": "file", "message": "The file field is required.", "code": "REQUIRED"}],
    }
    assert stored_files(upload_dir) == []


async def test_nobody_but_those_managing_an_open_issue_may_upload(
    client: TestClient,
    owner: Person,
    member: Person,
    outsider: Person,
    company: Company,
    upload_dir: Path,
) -> None:
    # given a private issue, a public one, and a closed one, all of the member's
    private = await make_issue(member)
    public = await make_issue(member, await make_category(owner, company))
    closed = await make_issue(member)
    await close_issue(member.scope, closed.id, "Done.")

    # when people who may not upload try
    attempts = {
        "outsider, private": await upload(client, private, b"x", as_=outsider),
        "outsider, public": await upload(client, public, b"x", as_=outsider),
        "anonymous": await upload(client, public, b"x", as_=None),
        "closed": await upload(client, closed, b"x", as_=member),
    }

    # then each is refused in its own way, and no file was kept
    bodies = {label: await response.json() for label, response in attempts.items()}
    assert error_codes(bodies["outsider, private"]) == ["NOT_FOUND"]
    assert error_codes(bodies["outsider, public"]) == ["FORBIDDEN"]
    assert error_codes(bodies["anonymous"]) == ["UNAUTHENTICATED"]
    assert bodies["closed"]["data"]["uploadIssueFile"] == {
        "upload": None,
        "errors": [{"field": None, "message": "The issue is closed.", "code": "ISSUE_CLOSED"}],
    }
    assert stored_files(upload_dir) == []
    assert await Upload.all().count() == 0


async def test_a_file_must_come_as_a_multipart_part(
    api: Api, owner: Person, upload_dir: Path
) -> None:
    issue = await make_issue(owner)

    body = await api.graphql(
        UPLOAD, {"input": {"issueId": gid("Issue", issue), "file": "not a file"}}, as_=owner
    )

    assert body["data"]["uploadIssueFile"]["errors"] == [
        {
            "field": "file",
            "message": "Send the file as a part of a multipart request.",
            "code": "NOT_A_FILE",
        }
    ]
    assert stored_files(upload_dir) == []


async def test_an_upload_is_found_by_its_global_id_by_those_who_see_the_issue(
    api: Api, client: TestClient, owner: Person, outsider: Person
) -> None:
    file = (await uploaded(client, await make_issue(owner), b"x", owner))["upload"]

    found = await api.data(NODE, {"id": file["id"]}, as_=owner)
    hidden = await api.graphql(NODE, {"id": file["id"]}, as_=outsider)

    assert found["node"] == {"id": file["id"], "fileName": "report.txt", "url": file["url"]}
    assert error_codes(hidden) == ["NOT_FOUND"]
