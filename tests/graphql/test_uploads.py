"""Uploading a file to an issue with the GraphQL multipart request spec, and reading it back
through its `url`: names and types kept, a size limit, a name that cannot choose where the file
is written, and files served only to those who may see the issue. Each runs against both
storages, a directory and an S3 bucket, which must behave alike."""

from datetime import datetime

import pytest
from aiohttp.test_utils import TestClient

from issuetracker.models import Company, Upload
from issuetracker.resolvers.issues.writes import close_issue
from issuetracker.settings import Settings

from ..databases import TEST_DATABASE_URL
from ..storages import Storage
from ..support import Api, Person, error_codes, gid, make_category, make_issue
from .upload_helpers import UPLOAD, download, upload, uploaded

MAX_BYTES = 1024

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
def settings(storage: Storage) -> Settings:
    return Settings(
        environment="test",
        database_url=TEST_DATABASE_URL,
        public_url="http://testserver/",
        upload_max_bytes=MAX_BYTES,
        _env_file=None,
        **storage.settings,
    )


async def test_a_file_goes_up_and_comes_back_the_same(
    api: Api, client: TestClient, owner: Person, storage: Storage
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
    # and the bytes sit in the storage under a name of the server's choosing
    [stored] = await storage.stored()
    assert await storage.read(stored) == content
    assert "scan" not in stored


async def test_a_file_of_the_size_limit_is_taken_and_a_larger_one_refused(
    api: Api, client: TestClient, owner: Person, storage: Storage
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
    assert len(await storage.stored()) == 1


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
    client: TestClient, owner: Person, storage: Storage
) -> None:
    issue = await make_issue(owner)

    # when files are sent with names that climb out of the directory
    unix = await uploaded(client, issue, b"one", owner, name="../../escaped.txt")
    windows = await uploaded(client, issue, b"two", owner, name="..\\..\\evil.bat")

    # then only the last component of each name is kept, and both files are in the storage
    assert unix["upload"]["fileName"] == "escaped.txt"
    assert windows["upload"]["fileName"] == "evil.bat"
    everything = await storage.everything()
    assert everything == await storage.stored()
    assert len(everything) == 2


async def test_a_name_without_a_file_name_is_invalid(
    client: TestClient, owner: Person, storage: Storage
) -> None:
    issue = await make_issue(owner)

    payload = await uploaded(client, issue, b"data", owner, name="../")

    assert payload == {
        "upload": None,
        "errors": [{"field": "file", "message": "The file field is required.", "code": "REQUIRED"}],
    }
    assert await storage.stored() == []


async def test_nobody_but_those_managing_an_open_issue_may_upload(
    client: TestClient,
    owner: Person,
    member: Person,
    outsider: Person,
    company: Company,
    storage: Storage,
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
    assert await storage.stored() == []
    assert await Upload.all().count() == 0


async def test_a_file_must_come_as_a_multipart_part(
    api: Api, owner: Person, storage: Storage
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
    assert await storage.stored() == []


async def test_an_upload_is_found_by_its_global_id_by_those_who_see_the_issue(
    api: Api, client: TestClient, owner: Person, outsider: Person
) -> None:
    file = (await uploaded(client, await make_issue(owner), b"x", owner))["upload"]

    found = await api.data(NODE, {"id": file["id"]}, as_=owner)
    hidden = await api.graphql(NODE, {"id": file["id"]}, as_=outsider)

    assert found["node"] == {"id": file["id"], "fileName": "report.txt", "url": file["url"]}
    assert error_codes(hidden) == ["NOT_FOUND"]
