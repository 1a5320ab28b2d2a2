"""GRAPHQL_INTROSPECTION: `all` (the default), `authenticated` or `off`."""

import pytest
from pytest_aiohttp import AiohttpClient

from issuetracker.server import create_app
from issuetracker.settings import Settings

from ..support import Api, Person

SCHEMA_TYPES = "{ __schema { queryType { name } } }"
ONE_TYPE = '{ __type(name: "Issue") { name } }'


async def _api(aiohttp_client: AiohttpClient, settings: Settings, mode: str) -> Api:
    changed = settings.model_copy(update={"graphql_introspection": mode})
    return Api(await aiohttp_client(create_app(changed, manage_database=False)))


async def test_anyone_may_introspect_by_default(api: Api) -> None:
    body = await api.graphql(SCHEMA_TYPES)

    assert body["data"] == {"__schema": {"queryType": {"name": "Query"}}}


@pytest.mark.parametrize("query", [SCHEMA_TYPES, ONE_TYPE])
async def test_introspection_can_need_a_token(
    aiohttp_client: AiohttpClient, settings: Settings, owner: Person, query: str
) -> None:
    api = await _api(aiohttp_client, settings, "authenticated")

    anonymous = await api.graphql(query)
    signed_in = await api.graphql(query, as_=owner)

    assert anonymous["errors"][0]["extensions"]["code"] == "INTROSPECTION_DISABLED"
    assert anonymous["errors"][0]["message"] == "Introspection needs a token here."
    assert "data" not in anonymous
    assert signed_in["data"] is not None


async def test_introspection_can_be_turned_off(
    aiohttp_client: AiohttpClient, settings: Settings, owner: Person
) -> None:
    api = await _api(aiohttp_client, settings, "off")

    body = await api.graphql(SCHEMA_TYPES, as_=owner)
    typename = await api.graphql("{ __typename }", as_=owner)

    assert body["errors"][0]["extensions"]["code"] == "INTROSPECTION_DISABLED"
    assert typename["data"] == {"__typename": "Query"}
