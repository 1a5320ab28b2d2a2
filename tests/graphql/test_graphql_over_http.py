"""GraphQL over HTTP as its specification has it: the media type the client accepts, the
status codes that go with it, GET for queries, and a 4xx for every malformed request."""

from typing import Any

import pytest
from aiohttp import ClientResponse, FormData
from aiohttp.test_utils import TestClient

from issuetracker.models import Company

from ..support import Person, make_company

GRAPHQL_RESPONSE = "application/graphql-response+json"
COMPANY_NAMES = "{ companies(first: 5) { nodes { name } } }"
CREATE_COMPANY = 'mutation { createCompany(input: {name: "Via GET"}) { company { name } } }'


async def _post(
    client: TestClient, body: Any, *, accept: str | None = None, **headers: str
) -> ClientResponse:
    if accept is not None:
        headers["Accept"] = accept
    return await client.post("/graphql", json=body, headers=headers)


async def _error_codes(response: ClientResponse) -> list[str]:
    body = await response.json(content_type=None)
    return [error["extensions"]["code"] for error in body["errors"]]


async def test_a_query_answers_in_the_media_type_the_client_accepts(
    client: TestClient, owner: Person
) -> None:
    await make_company(owner, name="Acme")

    strict = await _post(client, {"query": COMPANY_NAMES}, accept=GRAPHQL_RESPONSE)
    plain = await _post(client, {"query": COMPANY_NAMES}, accept="application/json")
    anything = await _post(client, {"query": COMPANY_NAMES}, accept="*/*")
    unsaid = await client.post(
        "/graphql",
        data=b'{"query": "{ __typename }"}',
        headers={"Content-Type": "application/json"},
    )

    assert strict.status == 200
    assert strict.content_type == GRAPHQL_RESPONSE
    assert (await strict.json(content_type=None))["data"] == {
        "companies": {"nodes": [{"name": "Acme"}]}
    }
    assert plain.content_type == "application/json"
    assert anything.content_type == "application/json"
    assert unsaid.content_type == "application/json"
    assert strict.charset == plain.charset == "utf-8"


async def test_a_client_that_accepts_neither_media_type_gets_406(client: TestClient) -> None:
    response = await _post(client, {"query": "{ __typename }"}, accept="text/plain")

    assert response.status == 406
    assert await _error_codes(response) == ["BAD_REQUEST"]


@pytest.mark.parametrize(
    ("query", "code"),
    [
        ("{", "GRAPHQL_PARSE_FAILED"),
        ("{}", "GRAPHQL_PARSE_FAILED"),
        ("{ viewer { } }", "GRAPHQL_PARSE_FAILED"),
        ("{ noSuchField }", "GRAPHQL_VALIDATION_FAILED"),
    ],
)
async def test_a_document_that_does_not_parse_or_validate_is_400_without_data_when_strict(
    client: TestClient, query: str, code: str
) -> None:
    strict = await _post(client, {"query": query}, accept=GRAPHQL_RESPONSE)
    plain = await _post(client, {"query": query}, accept="application/json")

    assert strict.status == 400
    assert "data" not in await strict.json(content_type=None)
    assert await _error_codes(strict) == [code]
    assert plain.status == 200
    assert "data" not in await plain.json()
    assert await _error_codes(plain) == [code]


async def test_variables_that_do_not_fit_their_types_are_bad_user_input(
    client: TestClient,
) -> None:
    body = {
        "query": "query ($n: Int) { companies(first: $n) { totalCount } }",
        "variables": {"n": "five"},
    }

    strict = await _post(client, body, accept=GRAPHQL_RESPONSE)
    plain = await _post(client, body)

    assert strict.status == 400
    assert plain.status == 200
    assert await _error_codes(strict) == await _error_codes(plain) == ["BAD_USER_INPUT"]


@pytest.mark.parametrize("body", ['"hello"', "42", "null", "[]", '["query"]'])
async def test_a_json_body_that_is_not_an_object_is_400(client: TestClient, body: str) -> None:
    response = await client.post(
        "/graphql", data=body, headers={"Content-Type": "application/json"}
    )

    assert response.status == 400
    assert await _error_codes(response) == ["BAD_REQUEST"]
    assert "JSON object" in (await response.json())["errors"][0]["message"]


@pytest.mark.parametrize(
    ("body", "complaint"),
    [
        (b"\xff\xfe{}", "not JSON in UTF-8"),
        (b'{"query": ', "not JSON in UTF-8"),
        (b"{}", "no `query`"),
        (b'{"query": 5}', "`query` must be a string"),
        (b'{"query": "{ __typename }", "variables": [1]}', "`variables` must be"),
        (b'{"query": "{ __typename }", "operationName": 5}', "`operationName` must be"),
        (b'{"query": "{ __typename }", "extensions": "x"}', "`extensions` must be"),
    ],
)
async def test_a_malformed_body_is_400_and_says_what_is_wrong(
    client: TestClient, body: bytes, complaint: str
) -> None:
    response = await client.post(
        "/graphql", data=body, headers={"Content-Type": "application/json"}
    )

    assert response.status == 400
    assert complaint in (await response.json())["errors"][0]["message"]


async def test_a_body_of_another_type_is_415(client: TestClient) -> None:
    response = await client.post(
        "/graphql", data="{ __typename }", headers={"Content-Type": "text/plain"}
    )

    assert response.status == 415
    assert await _error_codes(response) == ["BAD_REQUEST"]


async def test_an_unknown_operation_name_is_a_request_error(client: TestClient) -> None:
    body = {"query": "query A { __typename } query B { __typename }", "operationName": "C"}

    response = await _post(client, body, accept=GRAPHQL_RESPONSE)

    assert response.status == 400
    assert await _error_codes(response) == ["BAD_REQUEST"]


async def test_a_query_can_be_sent_with_get_and_public_answers_may_be_cached(
    client: TestClient, owner: Person
) -> None:
    await make_company(owner, name="Acme")

    anonymous = await client.get("/graphql", params={"query": COMPANY_NAMES})
    signed_in = await client.get("/graphql", params={"query": COMPANY_NAMES}, headers=owner.headers)

    assert anonymous.status == signed_in.status == 200
    assert (await anonymous.json())["data"]["companies"]["nodes"] == [{"name": "Acme"}]
    assert anonymous.headers["Cache-Control"] == "public, max-age=10"
    assert signed_in.headers["Cache-Control"] == "private, no-store"


async def test_get_takes_variables_as_json_text(client: TestClient, owner: Person) -> None:
    await make_company(owner, name="Acme")
    await make_company(owner, name="Bravo")
    params = {
        "query": "query ($n: Int) { companies(first: $n) { nodes { name } } }",
        "variables": '{"n": 1}',
    }

    response = await client.get("/graphql", params=params)

    assert (await response.json())["data"]["companies"]["nodes"] == [{"name": "Acme"}]


async def test_get_refuses_malformed_variables(client: TestClient) -> None:
    params = {"query": "{ __typename }", "variables": "{not json"}

    response = await client.get("/graphql", params=params)

    assert response.status == 400
    assert await _error_codes(response) == ["BAD_REQUEST"]


async def test_a_mutation_over_get_is_405_and_changes_nothing(
    client: TestClient, owner: Person
) -> None:
    response = await client.get("/graphql", params={"query": CREATE_COMPANY}, headers=owner.headers)

    assert response.status == 405
    assert response.headers["Allow"] == "POST"
    assert await Company.filter(name="Via GET").count() == 0


async def test_other_methods_are_405(client: TestClient) -> None:
    response = await client.put("/graphql", json={"query": "{ __typename }"})

    assert response.status == 405
    assert await _error_codes(response) == ["BAD_REQUEST"]


async def test_a_cacheable_answer_varies_with_whatever_chooses_it(client: TestClient) -> None:
    # when an anonymous client GETs a query, which shared caches may keep
    response = await client.get("/graphql", params={"query": "{ __typename }"})

    # then a cache keeps it apart from other tokens' and other media types' answers
    assert response.headers["Cache-Control"] == "public, max-age=10"
    varies = {name.strip() for name in response.headers["Vary"].split(",")}
    assert {"Authorization", "Accept", "Origin"} <= varies


DEEP = "[" * 1_100 + "]" * 1_100
"""Deeper than Python's JSON reader goes (1,000), and short enough for a URL."""


@pytest.mark.parametrize("how", ["POST", "GET", "multipart"])
async def test_variables_nested_too_deeply_are_a_400(
    client: TestClient, caplog: pytest.LogCaptureFixture, how: str
) -> None:
    query = "query ($v: [Int]) { __typename }"
    if how == "GET":
        response = await client.get(
            "/graphql", params={"query": query, "variables": f'{{"v": {DEEP}}}'}
        )
    else:
        body = f'{{"query": "{query}", "variables": {{"v": {DEEP}}}}}'
        if how == "POST":
            response = await client.post(
                "/graphql", data=body, headers={"Content-Type": "application/json"}
            )
        else:
            form = FormData(quote_fields=False)
            form.add_field("operations", body, content_type="application/json")
            form.add_field("map", "{}")
            response = await client.post("/graphql", data=form)

    assert response.status == 400
    assert await _error_codes(response) == ["BAD_REQUEST"]
    assert not [record for record in caplog.records if record.exc_info]
