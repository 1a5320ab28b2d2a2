"""Automatic persisted queries as Apollo Client sends them, on POST and GET; and the
allow-list mode in which only registered documents run."""

import hashlib
import json

import pytest
from aiohttp import ClientResponse
from aiohttp.test_utils import TestClient
from pytest_aiohttp import AiohttpClient

from issuetracker.clock import utcnow
from issuetracker.resolvers.clients.registered_documents import register_document
from issuetracker.server import create_app
from issuetracker.settings import Settings

from ..support import Person, make_company

QUERY = "{ companies(first: 5) { nodes { name } } }"
SHA256 = hashlib.sha256(QUERY.encode()).hexdigest()


def _persisted(sha256: str = SHA256) -> dict[str, object]:
    return {"persistedQuery": {"version": 1, "sha256Hash": sha256}}


async def _codes(response: ClientResponse) -> list[str]:
    body = await response.json()
    return [error["extensions"]["code"] for error in body["errors"]]


async def test_an_unknown_hash_asks_for_the_query_then_runs_by_hash(
    client: TestClient, owner: Person
) -> None:
    await make_company(owner, name="Acme")

    unknown = await client.post("/graphql", json={"extensions": _persisted()})
    registered = await client.post("/graphql", json={"query": QUERY, "extensions": _persisted()})
    by_hash = await client.post("/graphql", json={"extensions": _persisted()})

    assert unknown.status == 200
    unknown_body = await unknown.json()
    assert unknown_body["errors"][0]["message"] == "PersistedQueryNotFound"
    assert await _codes(unknown) == ["PERSISTED_QUERY_NOT_FOUND"]
    assert (await registered.json())["data"] == {"companies": {"nodes": [{"name": "Acme"}]}}
    assert (await by_hash.json())["data"] == {"companies": {"nodes": [{"name": "Acme"}]}}


async def test_a_persisted_query_runs_over_get(client: TestClient, owner: Person) -> None:
    await make_company(owner, name="Acme")
    await client.post("/graphql", json={"query": QUERY, "extensions": _persisted()})

    response = await client.get("/graphql", params={"extensions": json.dumps(_persisted())})

    assert response.status == 200
    assert (await response.json())["data"] == {"companies": {"nodes": [{"name": "Acme"}]}}
    assert response.headers["Cache-Control"].startswith("public")


async def test_a_hash_that_is_not_the_querys_is_refused(client: TestClient) -> None:
    wrong = hashlib.sha256(b"something else").hexdigest()

    response = await client.post("/graphql", json={"query": QUERY, "extensions": _persisted(wrong)})
    later = await client.post("/graphql", json={"extensions": _persisted(wrong)})

    assert response.status == 400
    assert await _codes(response) == ["BAD_REQUEST"]
    assert await _codes(later) == ["PERSISTED_QUERY_NOT_FOUND"]


@pytest.mark.parametrize(
    "extension",
    [
        "yes",
        {"version": 2, "sha256Hash": SHA256},
        {"version": 1, "sha256Hash": "not-hex"},
        {"version": 1},
    ],
)
async def test_a_malformed_persisted_query_extension_is_400(
    client: TestClient, extension: object
) -> None:
    response = await client.post("/graphql", json={"extensions": {"persistedQuery": extension}})

    assert response.status == 400
    assert await _codes(response) == ["BAD_REQUEST"]


async def test_a_document_that_does_not_validate_is_not_remembered(client: TestClient) -> None:
    invalid = "{ noSuchField }"
    sha256 = hashlib.sha256(invalid.encode()).hexdigest()
    await client.post("/graphql", json={"query": invalid, "extensions": _persisted(sha256)})

    response = await client.post("/graphql", json={"extensions": _persisted(sha256)})

    assert await _codes(response) == ["PERSISTED_QUERY_NOT_FOUND"]


@pytest.fixture
async def registered_only(
    aiohttp_client: AiohttpClient, database: None, settings: Settings
) -> TestClient:
    only = settings.model_copy(update={"persisted_queries_only": True})
    return await aiohttp_client(create_app(only, manage_database=False))


async def test_only_registered_documents_run_in_allow_list_mode(
    registered_only: TestClient, owner: Person
) -> None:
    await make_company(owner, name="Acme")
    other = "{ companies(first: 1) { nodes { name } } }"
    await register_document(QUERY, "companies", utcnow())

    by_hash = await registered_only.post("/graphql", json={"extensions": _persisted()})
    by_text = await registered_only.post("/graphql", json={"query": QUERY})
    unregistered = await registered_only.post("/graphql", json={"query": other})
    unknown_hash = await registered_only.post(
        "/graphql", json={"extensions": _persisted(hashlib.sha256(other.encode()).hexdigest())}
    )

    assert (await by_hash.json())["data"] == {"companies": {"nodes": [{"name": "Acme"}]}}
    assert (await by_text.json())["data"] == {"companies": {"nodes": [{"name": "Acme"}]}}
    assert await _codes(unregistered) == ["PERSISTED_QUERY_REQUIRED"]
    assert await _codes(unknown_hash) == ["PERSISTED_QUERY_REQUIRED"]
