"""Uploading a file with the GraphQL multipart request spec, and fetching it back by its url."""

import io
import json
from typing import Any
from urllib.parse import urlsplit

from aiohttp import FormData
from aiohttp.test_utils import TestClient

from issuetracker.models import Issue

from ..support import Person, gid

UPLOAD = """
mutation ($input: UploadIssueFileInput!) {
  uploadIssueFile(input: $input) {
    upload { id databaseId guid fileName contentType size url uploadedBy { name } }
    errors { field message code }
  }
}
"""


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
    form.add_field("0", io.BytesIO(content), filename=name, content_type=content_type)
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
