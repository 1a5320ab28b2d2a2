"""/api/v1/openapi.json describes the Kinetic face; real responses are checked against it."""

import io
import uuid
from pathlib import Path
from typing import Any

import pytest
from aiohttp.test_utils import TestClient
from jsonschema import ValidationError
from jsonschema.validators import validator_for

from issuetracker.models import Company
from issuetracker.resolvers.issues.uploads import ReceivedFile, UploadStore, add_upload
from issuetracker.storage.local import LocalStorage

from ..openapi import assert_matches
from ..support import Person


async def _kinetic_document(client: TestClient) -> dict[str, Any]:
    response = await client.get("/api/v1/openapi.json")
    assert response.status == 200
    return await response.json()


async def test_the_kinetic_document_is_valid_openapi_3_1(client: TestClient) -> None:
    document = await _kinetic_document(client)

    assert document["openapi"] == "3.1.0"
    meta_schema = validator_for({"$schema": "https://json-schema.org/draft/2020-12/schema"})
    for schema in document["components"]["schemas"].values():
        meta_schema.check_schema(schema)
    operations = {
        (path, method)
        for path, item in document["paths"].items()
        for method in item
        if method != "parameters"
    }
    assert operations == {
        ("/api/v1/issues", "get"),
        ("/api/v1/issues", "post"),
        ("/api/v1/issues/search", "get"),
        ("/api/v1/issues/{guid}", "get"),
        ("/api/v1/issues/{guid}", "put"),
        ("/api/v1/issues/{guid}", "delete"),
        ("/api/v1/users/{guid}/shared_issues", "get"),
        ("/api/v1/tags", "get"),
    }


async def test_the_kinetic_issue_schema_refuses_a_missing_or_an_extra_key(
    client: TestClient, owner: Person
) -> None:
    document = await _kinetic_document(client)
    created = await client.post("/api/v1/issues", json={"name": "Down"}, headers=owner.headers)
    issue = await created.json()

    assert_matches(document, "/api/v1/issues", "post", 200, issue)
    for broken in ({**issue, "severity": "info"}, {k: v for k, v in issue.items() if k != "owner"}):
        with pytest.raises(ValidationError):
            assert_matches(document, "/api/v1/issues", "post", 200, broken)
    with pytest.raises(ValidationError):
        assert_matches(
            document, "/api/v1/issues", "post", 200, {**issue, "created_at": "2015-04-01"}
        )


async def test_kinetic_responses_match_the_document(
    client: TestClient, owner: Person, member: Person, company: Company, tmp_path: Path
) -> None:
    assert member.user is not None
    document = await _kinetic_document(client)

    async def check(method: str, url: str, path: str, status: int, **kwargs: Any) -> Any:
        response = await client.request(method, url, headers=owner.headers, **kwargs)
        assert response.status == status
        body = await response.json()
        assert_matches(document, path, method.lower(), status, body)
        return body

    # an issue with every part filled in
    issue = await check(
        "POST",
        "/api/v1/issues",
        "/api/v1/issues",
        200,
        json={"name": "Down", "description": "All down.", "owner_id": member.user.id},
    )
    one = "/api/v1/issues/{guid}"
    url = f"/api/v1/issues/{issue['guid']}"
    store = UploadStore(LocalStorage(tmp_path), 1024)
    await add_upload(owner.scope, issue["id"], ReceivedFile("a.txt", None, io.BytesIO(b"a")), store)
    edited = await check(
        "PUT",
        url,
        one,
        200,
        json={
            "tag_list": ["network"],
            "invitations": ["guest@example.com"],
            "action_items": [
                {"description": "Call", "assignee_id": member.user.id, "due_date": "2015-04-30"}
            ],
            "facts": [{"description": "Floor 2"}],
            "webhook_url": "http://127.0.0.1:9/hook",
            "external_reference_id": "INC-1",
        },
    )
    assert all(edited[part] for part in ("invitations", "action_items", "facts", "uploads"))
    await check("GET", url, one, 200)
    await check("GET", "/api/v1/issues?limit=1", "/api/v1/issues", 200)
    await check("GET", "/api/v1/issues/search?query=down", "/api/v1/issues/search", 200)
    shared = "/api/v1/users/{guid}/shared_issues"
    await check("GET", f"/api/v1/users/{member.user.guid}/shared_issues", shared, 200)
    await check("GET", "/api/v1/tags", "/api/v1/tags", 200)

    # and the failures
    await check("POST", "/api/v1/issues", "/api/v1/issues", 422, json={})
    await check("POST", "/api/v1/issues", "/api/v1/issues", 400, data=b"{")
    await check("GET", "/api/v1/issues/search", "/api/v1/issues/search", 422)
    await check("GET", f"/api/v1/users/{uuid.uuid4()}/shared_issues", shared, 404)
    await check("PUT", url, one, 200, json={"status": "Closed", "conclusion": "Fixed."})
    await check("PUT", url, one, 422, json={"name": "Again"})
    await check("DELETE", url, one, 422)
    await check("GET", f"/api/v1/issues/{uuid.uuid4()}", one, 404)
    other = await check("POST", "/api/v1/issues", "/api/v1/issues", 200, json={"name": "B"})
    await check("DELETE", f"/api/v1/issues/{other['guid']}", one, 200)
    response = await client.get("/api/v1/tags")
    assert_matches(document, "/api/v1/tags", "get", 401, await response.json())
