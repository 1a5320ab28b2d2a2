"""What every Kinetic route shares: a token first (the document's 401), JSON answers in the
`{"success": false, "message"}` form for unknown routes and wrong methods, and the OpenAPI
description beside them."""

import pytest
from aiohttp.test_utils import TestClient

from ..support import Person
from .helpers import UNAUTHENTICATED, UNKNOWN_GUID, call, get

ROUTES = [
    ("GET", "/api/v1/issues"),
    ("POST", "/api/v1/issues"),
    ("GET", "/api/v1/issues/search?status=Open"),
    ("GET", f"/api/v1/issues/{UNKNOWN_GUID}"),
    ("PUT", f"/api/v1/issues/{UNKNOWN_GUID}"),
    ("DELETE", f"/api/v1/issues/{UNKNOWN_GUID}"),
    ("GET", "/api/v1/issues/not-a-guid"),
    ("GET", f"/api/v1/users/{UNKNOWN_GUID}/shared_issues"),
    ("GET", "/api/v1/tags"),
]
FORGED = {"Authorization": "Bearer itk_this-token-was-never-issued"}


@pytest.mark.parametrize(("method", "url"), ROUTES)
@pytest.mark.parametrize("headers", [{}, FORGED, {"Authorization": "Basic dXNlcg=="}])
async def test_every_route_answers_401_before_anything_else(
    client: TestClient, method: str, url: str, headers: dict[str, str]
) -> None:
    # when a request comes without a valid bearer token (and with a body that is not JSON)
    reply = await call(client, method, url, data=b"{not json", headers=headers)

    # then it is the document's 401, whatever else is wrong with it
    assert reply.status == 401
    assert reply.body == UNAUTHENTICATED


async def test_an_unknown_route_is_a_json_404(client: TestClient, owner: Person) -> None:
    reply = await get(client, "/api/v1/widgets", as_=owner)

    assert reply.status == 404
    assert reply.body == {"success": False, "message": "Not found."}


async def test_a_method_the_route_lacks_is_a_json_405(client: TestClient, owner: Person) -> None:
    reply = await call(client, "PATCH", "/api/v1/tags", as_=owner)

    assert reply.status == 405
    assert reply.body == {
        "success": False,
        "message": "The method is not supported for this route.",
    }
    assert reply.headers["Allow"] == "GET"


async def test_the_openapi_description_is_served_to_anyone(client: TestClient) -> None:
    reply = await get(client, "/api/v1/openapi.json")

    assert reply.status == 200
    assert reply.body["openapi"] == "3.1.0"
    assert "/api/v1/issues/{guid}" in reply.body["paths"]
