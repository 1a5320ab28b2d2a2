"""What guards /graphql and what a browser sees there: the GraphiQL explorer (and the redirect to it
from the root), the depth, alias and token limits, and unexpected failures masked and logged."""

from types import SimpleNamespace

import pytest
import strawberry
from aiohttp.test_utils import TestClient

from issuetracker.schema.errors import ErrorPolicy

from ..support import Api, Person, error_codes

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


# GraphiQL


async def test_the_root_redirects_a_browser_to_the_graphql_explorer(client: TestClient) -> None:
    response = await client.get("/", allow_redirects=False)

    assert response.status == 302
    assert response.headers["Location"] == "/graphql"


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

    assert "data" not in body
    assert error_codes(body) == ["GRAPHQL_VALIDATION_FAILED"]
    assert "exceeds maximum operation depth of 10" in body["errors"][0]["message"]


async def test_a_query_with_too_many_aliases_is_refused(api: Api, owner: Person) -> None:
    body = await api.graphql(TOO_MANY_ALIASES, as_=owner)

    assert "data" not in body
    assert error_codes(body) == ["GRAPHQL_VALIDATION_FAILED"]
    assert body["errors"][0]["message"] == "31 aliases found. Allowed: 30"


async def test_a_query_with_too_many_tokens_is_refused(api: Api, owner: Person) -> None:
    body = await api.graphql(TOO_MANY_TOKENS, as_=owner)

    assert "data" not in body
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
