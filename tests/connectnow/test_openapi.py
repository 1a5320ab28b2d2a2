"""/api/openapi.json describes the ConnectNow face; real responses are checked against it."""

from typing import Any

import pytest
from aiohttp.test_utils import TestClient
from jsonschema.validators import validator_for

from ..openapi import assert_matches
from ..support import Person, make_category, make_company, make_issue


async def _document(client: TestClient) -> dict[str, Any]:
    response = await client.get("/api/openapi.json")
    assert response.status == 200
    return await response.json()


async def test_the_document_is_valid_openapi_3_1(client: TestClient) -> None:
    document = await _document(client)

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
    assert ("/api/issues/{id}/close", "post") in operations
    assert len(operations) == 23


@pytest.mark.parametrize(
    ("path", "url"),
    [
        ("/api/issues", "/api/issues?with=categories.company,events"),
        ("/api/categories", "/api/categories?with[]=company&with[]=issues"),
        ("/api/companies", "/api/companies?with=categories,issues"),
    ],
)
async def test_list_responses_match_the_document(
    client: TestClient, owner: Person, path: str, url: str
) -> None:
    company = await make_company(owner, members={})
    category = await make_category(owner, company)
    await make_issue(owner, category)
    document = await _document(client)

    response = await client.get(url, headers=owner.headers)

    assert response.status == 200
    assert_matches(document, path, "get", 200, await response.json())


async def test_write_responses_match_the_document(client: TestClient, owner: Person) -> None:
    document = await _document(client)
    company = await make_company(owner, members={})
    category = await make_category(owner, company)

    created = await client.post(
        "/api/issues",
        json={
            "name": "Down",
            "description": "All down.",
            "severity": "critical",
            "category_ids": [category.id],
        },
        headers=owner.headers,
    )
    assert_matches(document, "/api/issues", "post", 201, await created.json())
    issue_id = (await created.json())["id"]

    closed = await client.post(
        f"/api/issues/{issue_id}/close", json={"description": "Fixed."}, headers=owner.headers
    )
    assert_matches(document, "/api/issues/{id}/close", "post", 200, await closed.json())

    refused = await client.put(
        f"/api/issues/{issue_id}", json={"description": "Again."}, headers=owner.headers
    )
    assert_matches(document, "/api/issues/{id}", "put", 403, await refused.json())

    invalid = await client.post("/api/companies", json={}, headers=owner.headers)
    assert_matches(document, "/api/companies", "post", 422, await invalid.json())

    hook = await client.post(
        "/api/webhooks", json={"url": "http://127.0.0.1:9/hook"}, headers=owner.headers
    )
    assert_matches(document, "/api/webhooks", "post", 201, await hook.json())

    subscribed = await client.post(
        f"/api/categories/{category.id}/subscriptions", json={"email": "reader@example.com"}
    )
    assert_matches(
        document, "/api/categories/{id}/subscriptions", "post", 201, await subscribed.json()
    )
