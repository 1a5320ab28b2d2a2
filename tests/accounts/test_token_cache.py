"""A process keeps the API tokens it looked up for TOKEN_CACHE_SECONDS: a burst of requests
with one token costs one lookup. What this process changes (a revocation, a user's change)
takes effect at once, on every face; another process's, within TOKEN_CACHE_SECONDS."""

import asyncio

from pytest_aiohttp import AiohttpClient

from issuetracker.clock import utcnow
from issuetracker.models import ApiToken
from issuetracker.server import create_app
from issuetracker.settings import Settings

from ..sql_counter import count_sql
from ..support import Api, Person

VIEWER = "{ viewer { name } }"
REVOKE = "mutation ($id: ID!) { revokeApiToken(input: {id: $id}) { errors { code } } }"
CREATE = (
    'mutation { createApiToken(input: {name: "Second"}) {'
    " apiToken { secret token { id } } errors { code } } }"
)


def _token_lookups(statements: list[str]) -> int:
    return sum('FROM "api_tokens"' in sql or "FROM api_tokens" in sql for sql in statements)


async def test_a_token_used_again_is_not_looked_up_again(api: Api, owner: Person) -> None:
    with count_sql() as first:
        await api.data(VIEWER, as_=owner)
    assert _token_lookups(first) == 1
    with count_sql() as statements:
        for _ in range(3):
            await api.data(VIEWER, as_=owner)
    assert _token_lookups(statements) == 0


async def test_requests_that_miss_a_token_together_wait_for_one_lookup(
    api: Api, owner: Person
) -> None:
    with count_sql() as statements:
        answers = await asyncio.gather(*(api.data(VIEWER, as_=owner) for _ in range(6)))

    assert all(answer["viewer"]["name"] for answer in answers)
    assert _token_lookups(statements) == 1


async def test_a_token_revoked_here_stops_at_once_on_every_face(api: Api, owner: Person) -> None:
    # given a second token, used (so kept) on GraphQL and both REST faces
    created = (await api.data(CREATE, as_=owner))["createApiToken"]["apiToken"]
    second = Person(owner.user, created["secret"])
    assert (await api.data(VIEWER, as_=second))["viewer"]["name"]
    for path in ("/api/companies", "/api/v1/issues"):
        assert (await api.client.get(path, headers=second.headers)).status == 200

    # when the owner revokes it
    await api.data(REVOKE, {"id": created["token"]["id"]}, as_=owner)

    # then it is refused at once, on every face
    assert (await api.graphql(VIEWER, as_=second))["errors"][0]["extensions"]["code"] == (
        "UNAUTHENTICATED"
    )
    for path in ("/api/companies", "/api/v1/issues"):
        assert (await api.client.get(path, headers=second.headers)).status == 401


async def test_without_a_cache_another_process_s_revocation_is_seen_at_once(
    aiohttp_client: AiohttpClient, database: None, settings: Settings, owner: Person
) -> None:
    uncached = settings.model_copy(update={"token_cache_seconds": 0})
    api = Api(await aiohttp_client(create_app(uncached, manage_database=False)))
    assert (await api.data(VIEWER, as_=owner))["viewer"]["name"]

    # when another process revokes the token (straight in the database)
    await ApiToken.filter(user_id=owner.user.id if owner.user else 0).update(revoked_at=utcnow())

    # then the next request is refused
    assert (await api.graphql(VIEWER, as_=owner))["errors"][0]["extensions"]["code"] == (
        "UNAUTHENTICATED"
    )
