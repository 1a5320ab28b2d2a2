"""What every HTTP answer shares: health checks, the request id header, CORS for browser
frontends on the allowed origins (`https://app.example.com` in the test settings), the GraphiQL
explorer, and the limits and error masking that guard /graphql."""

from types import SimpleNamespace

import pytest
import strawberry
from aiohttp.test_utils import TestClient

from issuetracker.schema.errors import ErrorPolicy

from .support import Api, Person, error_codes

ALLOWED_ORIGIN = "https://app.example.com"
FOREIGN_ORIGIN = "https://evil.example.net"

VIEWER = {"query": "query { viewer { name } }"}

CORS_HEADERS = (
    "Access-Control-Allow-Origin",
    "Access-Control-Allow-Methods",
    "Access-Control-Allow-Headers",
    "Access-Control-Expose-Headers",
)


# Deeper than the default limit of 10 levels.
TOO_DEEP = """
query {
  viewer { companies { nodes { categories { nodes { issues { nodes {
    categories { nodes { company { categories { nodes { name } } } } }
  } } } } } } }
}
"""

# The default limit is 30 aliases.
TOO_MANY_ALIASES = "query { " + " ".join(f"v{n}: viewer {{ name }}" for n in range(31)) + " }"

# The default limit is 4,000 tokens.
TOO_MANY_TOKENS = "query { viewer { " + "name " * 4001 + "} }"

NODE = """
query ($id: ID!) { node(id: $id) { id } }
"""


def preflight(origin: str) -> dict[str, str]:
    return {
        "Origin": origin,
        "Access-Control-Request-Method": "POST",
        "Access-Control-Request-Headers": "authorization, content-type",
    }


# Health checks


async def test_healthz_answers_that_the_process_is_up(client: TestClient) -> None:
    response = await client.get("/healthz")

    assert response.status == 200
    assert response.content_type == "application/json"
    assert await response.json() == {"status": "ok"}


async def test_readyz_answers_that_the_database_is_up(client: TestClient) -> None:
    response = await client.get("/readyz")

    assert response.status == 200
    assert response.content_type == "application/json"
    assert await response.json() == {"status": "ok"}


# Request ids


async def test_every_response_carries_a_fresh_request_id(client: TestClient) -> None:
    # given requests of every kind: health, GraphQL, a refused token, a redirect, a missing page
    wrong_token = {"Authorization": "Bearer itk_wrong"}
    requests = [
        ("GET", "/healthz", {}),
        ("POST", "/graphql", {}),
        ("POST", "/graphql", wrong_token),
        ("GET", "/", {}),
        ("GET", "/no-such-page", {}),
        ("OPTIONS", "/graphql", preflight(ALLOWED_ORIGIN)),
    ]

    # when each is answered
    responses = [
        await client.request(method, path, json=VIEWER, headers=headers, allow_redirects=False)
        for method, path, headers in requests
    ]

    # then each answer names its own request id
    assert [response.status for response in responses] == [200, 200, 401, 302, 404, 204]
    ids = [response.headers.get("X-Request-Id") for response in responses]
    assert all(ids), ids
    assert len(set(ids)) == len(ids)


async def test_a_given_request_id_is_echoed(client: TestClient) -> None:
    response = await client.post(
        "/graphql", json=VIEWER, headers={"X-Request-Id": "trace-from-the-load-balancer"}
    )

    assert response.status == 200
    assert response.headers["X-Request-Id"] == "trace-from-the-load-balancer"


async def test_a_given_request_id_is_echoed_on_errors_too(client: TestClient) -> None:
    response = await client.post(
        "/graphql",
        json=VIEWER,
        headers={"X-Request-Id": "trace-42", "Authorization": "Bearer itk_wrong"},
    )

    assert response.status == 401
    assert response.headers["X-Request-Id"] == "trace-42"


async def test_an_overlong_request_id_is_cut_to_64_characters(client: TestClient) -> None:
    response = await client.get("/healthz", headers={"X-Request-Id": "x" * 500})

    assert response.status == 200
    assert response.headers["X-Request-Id"] == "x" * 64


async def test_the_root_redirects_a_browser_to_the_graphql_explorer(client: TestClient) -> None:
    response = await client.get("/", allow_redirects=False)

    assert response.status == 302
    assert response.headers["Location"] == "/graphql"


# CORS


async def test_an_allowed_origin_may_read_graphql_answers(client: TestClient) -> None:
    response = await client.post("/graphql", json=VIEWER, headers={"Origin": ALLOWED_ORIGIN})

    assert response.status == 200
    assert response.headers["Access-Control-Allow-Origin"] == ALLOWED_ORIGIN
    assert response.headers["Vary"] == "Origin"
    assert "X-Request-Id" in response.headers["Access-Control-Expose-Headers"]


async def test_an_allowed_origin_may_read_graphql_errors(client: TestClient) -> None:
    response = await client.post(
        "/graphql",
        json=VIEWER,
        headers={"Origin": ALLOWED_ORIGIN, "Authorization": "Bearer itk_wrong"},
    )

    assert response.status == 401
    assert response.headers["Access-Control-Allow-Origin"] == ALLOWED_ORIGIN


async def test_a_preflight_from_an_allowed_origin_is_answered_with_204(
    client: TestClient,
) -> None:
    response = await client.options("/graphql", headers=preflight(ALLOWED_ORIGIN))

    assert response.status == 204
    assert response.headers["Access-Control-Allow-Origin"] == ALLOWED_ORIGIN
    assert "POST" in response.headers["Access-Control-Allow-Methods"]
    assert "Authorization" in response.headers["Access-Control-Allow-Headers"]
    assert "Content-Type" in response.headers["Access-Control-Allow-Headers"]
    assert response.headers.get("X-Request-Id")


async def test_a_preflight_for_the_rest_api_is_answered_too(client: TestClient) -> None:
    response = await client.options("/api/issues", headers=preflight(ALLOWED_ORIGIN))

    assert response.status == 204
    assert response.headers["Access-Control-Allow-Origin"] == ALLOWED_ORIGIN


async def test_an_allowed_origin_may_read_rest_answers(client: TestClient, owner: Person) -> None:
    response = await client.get(
        "/api/companies", headers={"Origin": ALLOWED_ORIGIN, **owner.headers}
    )

    assert response.status == 200
    assert response.headers["Access-Control-Allow-Origin"] == ALLOWED_ORIGIN


async def test_a_foreign_origin_gets_no_cors_headers(client: TestClient) -> None:
    response = await client.post("/graphql", json=VIEWER, headers={"Origin": FOREIGN_ORIGIN})

    assert response.status == 200
    assert not [name for name in CORS_HEADERS if name in response.headers]


async def test_a_preflight_from_a_foreign_origin_is_not_granted(client: TestClient) -> None:
    response = await client.options("/graphql", headers=preflight(FOREIGN_ORIGIN))

    assert response.status == 405
    assert not [name for name in CORS_HEADERS if name in response.headers]


async def test_cors_is_limited_to_the_api_paths(client: TestClient) -> None:
    response = await client.get("/healthz", headers={"Origin": ALLOWED_ORIGIN})

    assert response.status == 200
    assert "Access-Control-Allow-Origin" not in response.headers


# GraphiQL


async def test_a_browser_get_of_graphql_shows_the_explorer(client: TestClient) -> None:
    response = await client.get("/graphql", headers={"Accept": "text/html"})

    assert response.status == 200
    assert response.content_type == "text/html"
    page = await response.text()
    assert "<html" in page.lower()
    assert "graphiql" in page.lower()


# GraphQL safety


async def test_a_query_deeper_than_the_limit_is_refused(api: Api, owner: Person) -> None:
    body = await api.graphql(TOO_DEEP, as_=owner)

    assert body["data"] is None
    assert error_codes(body) == ["GRAPHQL_VALIDATION_FAILED"]
    assert "exceeds maximum operation depth of 10" in body["errors"][0]["message"]


async def test_a_query_with_too_many_aliases_is_refused(api: Api, owner: Person) -> None:
    body = await api.graphql(TOO_MANY_ALIASES, as_=owner)

    assert body["data"] is None
    assert error_codes(body) == ["GRAPHQL_VALIDATION_FAILED"]
    assert body["errors"][0]["message"] == "31 aliases found. Allowed: 30"


async def test_a_query_with_too_many_tokens_is_refused(api: Api, owner: Person) -> None:
    body = await api.graphql(TOO_MANY_TOKENS, as_=owner)

    assert body["data"] is None
    assert len(body["errors"]) == 1
    assert body["errors"][0]["message"] == (
        "Syntax Error: Document contains more than 4000 tokens. Parsing aborted."
    )


async def test_an_unexpected_failure_is_masked_and_logged(
    caplog: pytest.LogCaptureFixture,
) -> None:
    """No request through the app can fail unexpectedly on purpose, so the error policy is run
    by a real Strawberry schema whose one field breaks the way a bug would."""

    @strawberry.type
    class Query:
        @strawberry.field
        def broken(self) -> str:
            raise RuntimeError("password=hunter2 at /srv/app/secret.py")

    schema = strawberry.Schema(query=Query, extensions=[ErrorPolicy])
    context = SimpleNamespace(request_id="trace-masked")

    result = await schema.execute("{ broken }", context_value=context)

    [error] = result.errors or []
    assert error.message == "Internal server error."
    assert error.extensions == {"code": "INTERNAL_SERVER_ERROR", "requestId": "trace-masked"}
    assert "hunter2" in caplog.text
    assert "trace-masked" in str([vars(record) for record in caplog.records])
