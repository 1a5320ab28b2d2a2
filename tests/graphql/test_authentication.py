"""Who is asking: bearer API tokens, `viewer`, and creating and revoking tokens over GraphQL."""

import hashlib
from datetime import UTC, datetime, timedelta

from issuetracker.models import ApiToken, UserStatus
from issuetracker.resolvers.accounts.tokens import issue_token
from issuetracker.schema.relay import to_global_id

from ..support import Api, Person, error_codes, gid, make_company, nothing_answered

VIEWER = """
query {
  viewer {
    id name email
    companies { nodes { name } }
    apiTokens { id name prefix lastUsedAt expiresAt revokedAt }
  }
}
"""

VIEWER_NAME = """
query { viewer { name } }
"""

TOKEN_SECRET_FIELD = """
query { viewer { apiTokens { secret } } }
"""

CREATE_API_TOKEN = """
mutation ($input: CreateApiTokenInput!) {
  createApiToken(input: $input) {
    apiToken { secret token { id databaseId name prefix expiresAt revokedAt } }
    errors { field message code }
  }
}
"""

REVOKE_API_TOKEN = """
mutation ($id: ID!) {
  revokeApiToken(input: {id: $id}) {
    apiToken { id revokedAt }
    errors { field message code }
  }
}
"""


def bearer(secret: str) -> Person:
    return Person(user=None, token=secret)


async def create_token(api: Api, by: Person, **fields: object) -> dict:
    data = await api.data(CREATE_API_TOKEN, {"input": {"name": "CI", **fields}}, as_=by)
    return data["createApiToken"]


def assert_unauthenticated(body: dict) -> None:
    assert body["status"] == 401
    assert body["errors"][0]["message"] == "Unauthenticated."
    assert error_codes(body) == ["UNAUTHENTICATED"]
    assert "data" not in body or body["data"] is None


# Bearer tokens


async def test_a_valid_token_names_its_user(api: Api, owner: Person) -> None:
    body = await api.graphql(VIEWER_NAME, as_=owner)

    assert body["status"] == 200
    assert body["data"] == {"viewer": {"name": "Olive Owner"}}


async def test_a_wrong_token_is_refused_with_401(api: Api) -> None:
    body = await api.graphql(VIEWER_NAME, as_=bearer("itk_not-a-token-we-issued"))

    assert_unauthenticated(body)


async def test_a_revoked_token_is_refused_with_401(api: Api, owner: Person) -> None:
    # given a token that has been revoked
    assert owner.user is not None
    await ApiToken.filter(user_id=owner.user.id).update(revoked_at=datetime.now(UTC))

    # when it is used
    body = await api.graphql(VIEWER_NAME, as_=owner)

    # then it is refused
    assert_unauthenticated(body)


async def test_an_expired_token_is_refused_with_401(api: Api, owner: Person) -> None:
    # given a token past its expiry
    assert owner.user is not None
    issued = await issue_token(owner.scope, owner.user, "short-lived", lifetime=timedelta(days=1))
    yesterday = datetime.now(UTC) - timedelta(days=1)
    await ApiToken.filter(id=issued.token.id).update(expires_at=yesterday)

    # when it is used
    body = await api.graphql(VIEWER_NAME, as_=bearer(issued.secret))

    # then it is refused, while a token that has not expired still works
    assert_unauthenticated(body)
    assert await api.data(VIEWER_NAME, as_=owner) == {"viewer": {"name": "Olive Owner"}}


async def test_a_token_of_a_disabled_user_is_refused_with_401(api: Api, owner: Person) -> None:
    assert owner.user is not None
    owner.user.status = UserStatus.DISABLED
    await owner.user.save(update_fields=["status"])

    body = await api.graphql(VIEWER_NAME, as_=owner)

    assert_unauthenticated(body)


async def test_a_refused_token_is_refused_even_for_public_data(api: Api) -> None:
    body = await api.graphql(
        "query { issues(first: 1) { totalCount } }", as_=bearer("itk_not-a-token-we-issued")
    )

    assert_unauthenticated(body)


async def test_using_a_token_records_when_it_was_last_used(api: Api, owner: Person) -> None:
    # given a token that has never been used
    assert owner.user is not None
    row = await ApiToken.get(user_id=owner.user.id)
    assert row.last_used_at is None
    before = datetime.now(UTC) - timedelta(seconds=5)

    # when it is used
    data = await api.data(VIEWER, as_=owner)

    # then the moment is stored and shown
    await row.refresh_from_db()
    assert row.last_used_at is not None
    assert before <= row.last_used_at <= datetime.now(UTC) + timedelta(seconds=5)
    assert data["viewer"]["apiTokens"][0]["lastUsedAt"] is not None


async def test_a_token_is_prefixed_and_only_its_hash_is_stored(owner: Person) -> None:
    # given a token as handed to its user
    assert owner.user is not None
    assert owner.token is not None
    secret = owner.token

    # then it is recognisable, and the database keeps its SHA-256 and a short prefix only
    assert secret.startswith("itk_")
    row = await ApiToken.get(user_id=owner.user.id).values()
    assert row["secret_hash"] == hashlib.sha256(secret.encode()).hexdigest()
    assert row["prefix"] == secret[:12]
    assert not [column for column, value in row.items() if secret in str(value)]


# viewer


async def test_viewer_is_null_for_anonymous(api: Api, anonymous: Person) -> None:
    body = await api.graphql(VIEWER, as_=anonymous)

    assert body["status"] == 200
    assert "errors" not in body
    assert body["data"] == {"viewer": None}


async def test_viewer_shows_the_signed_in_user(api: Api, owner: Person, member: Person) -> None:
    # given the owner is a member of one company and not of another
    await make_company(owner, name="Acme")
    await make_company(member, name="Elsewhere")

    # when the owner asks who they are
    data = await api.data(VIEWER, as_=owner)

    # then they see themself, their companies and their tokens
    viewer = data["viewer"]
    assert owner.user is not None
    assert viewer["id"] == owner.global_id
    assert viewer["name"] == "Olive Owner"
    assert viewer["email"] == owner.user.email
    assert viewer["companies"]["nodes"] == [{"name": "Acme"}]
    assert [token["name"] for token in viewer["apiTokens"]] == ["tests"]


async def test_viewer_tokens_never_show_a_secret(api: Api, owner: Person) -> None:
    # given a token created over GraphQL, whose secret was shown once
    created = await create_token(api, owner, name="Laptop")
    secret = created["apiToken"]["secret"]

    # when the viewer lists their tokens
    body = await api.graphql(VIEWER, as_=owner)

    # then neither token's secret appears, and there is no field to ask for it
    assert [token["name"] for token in body["data"]["viewer"]["apiTokens"]] == ["Laptop", "tests"]
    assert owner.token is not None
    assert secret not in str(body)
    assert owner.token not in str(body)
    refused = await api.graphql(TOKEN_SECRET_FIELD, as_=owner)
    assert error_codes(refused) == ["GRAPHQL_VALIDATION_FAILED"]
    assert "Cannot query field 'secret'" in refused["errors"][0]["message"]


# createApiToken


async def test_create_api_token_shows_a_working_secret_once(api: Api, owner: Person) -> None:
    # when a token is created
    created = await create_token(api, owner, name="Deploy bot", expiresInDays=30)

    # then its secret is returned, names the same user and is stored only as a hash
    assert created["errors"] == []
    token = created["apiToken"]["token"]
    secret = created["apiToken"]["secret"]
    assert secret.startswith("itk_")
    assert token["name"] == "Deploy bot"
    assert token["prefix"] == secret[:12]
    assert token["revokedAt"] is None
    expires_at = datetime.fromisoformat(token["expiresAt"])
    in_30_days = datetime.now(UTC) + timedelta(days=30)
    assert abs(expires_at - in_30_days) < timedelta(minutes=1)
    assert await api.data(VIEWER_NAME, as_=bearer(secret)) == {"viewer": {"name": "Olive Owner"}}
    row = await ApiToken.get(id=token["databaseId"]).values()
    assert not [column for column, value in row.items() if secret in str(value)]


async def test_create_api_token_defaults_to_the_configured_lifetime(
    api: Api, owner: Person
) -> None:
    created = await create_token(api, owner)

    expires_at = datetime.fromisoformat(created["apiToken"]["token"]["expiresAt"])
    in_90_days = datetime.now(UTC) + timedelta(days=90)
    assert abs(expires_at - in_90_days) < timedelta(minutes=1)


async def test_create_api_token_refuses_an_empty_name(api: Api, owner: Person) -> None:
    created = await create_token(api, owner, name="   ")

    assert created["apiToken"] is None
    assert created["errors"] == [
        {"field": "name", "message": "The name field is required.", "code": "REQUIRED"}
    ]


async def test_create_api_token_refuses_a_lifetime_out_of_range(api: Api, owner: Person) -> None:
    for days in (0, -1, 3651):
        created = await create_token(api, owner, expiresInDays=days)

        assert created["apiToken"] is None, days
        assert created["errors"] == [
            {
                "field": "expiresInDays",
                "message": "The token must expire within 1 to 3650 days.",
                "code": "OUT_OF_RANGE",
            }
        ]
    assert owner.user is not None
    assert await ApiToken.filter(user_id=owner.user.id).count() == 1


async def test_create_api_token_accepts_the_edges_of_the_range(api: Api, owner: Person) -> None:
    for days in (1, 3650):
        created = await create_token(api, owner, expiresInDays=days)

        assert created["errors"] == [], days


async def test_create_api_token_needs_a_signed_in_user(api: Api, anonymous: Person) -> None:
    body = await api.graphql(CREATE_API_TOKEN, {"input": {"name": "CI"}}, as_=anonymous)

    assert nothing_answered(body)
    assert error_codes(body) == ["UNAUTHENTICATED"]
    assert body["errors"][0]["message"] == "Unauthenticated."
    assert await ApiToken.all().count() == 0


# revokeApiToken


async def test_a_revoked_token_stops_working(api: Api, owner: Person) -> None:
    # given a second token of the owner
    created = await create_token(api, owner, name="Old laptop")
    secret = created["apiToken"]["secret"]
    token_id = created["apiToken"]["token"]["id"]

    # when the owner revokes it
    data = await api.data(REVOKE_API_TOKEN, {"id": token_id}, as_=owner)

    # then it is marked revoked, refused from now on, and the owner's other token still works
    revoked = data["revokeApiToken"]
    assert revoked["errors"] == []
    assert revoked["apiToken"]["id"] == token_id
    assert revoked["apiToken"]["revokedAt"] is not None
    assert_unauthenticated(await api.graphql(VIEWER_NAME, as_=bearer(secret)))
    assert await api.data(VIEWER_NAME, as_=owner) == {"viewer": {"name": "Olive Owner"}}


async def test_a_token_may_revoke_itself(api: Api, owner: Person) -> None:
    assert owner.user is not None
    own_token = await ApiToken.get(user_id=owner.user.id)

    data = await api.data(REVOKE_API_TOKEN, {"id": gid("ApiToken", own_token)}, as_=owner)

    assert data["revokeApiToken"]["apiToken"]["revokedAt"] is not None
    assert_unauthenticated(await api.graphql(VIEWER_NAME, as_=owner))


async def test_revoking_someone_elses_token_is_not_found(
    api: Api, owner: Person, outsider: Person
) -> None:
    # given the owner's token
    assert owner.user is not None
    owners_token = await ApiToken.get(user_id=owner.user.id)

    # when an outsider tries to revoke it
    body = await api.graphql(REVOKE_API_TOKEN, {"id": gid("ApiToken", owners_token)}, as_=outsider)

    # then it does not exist for them, and it still works
    assert nothing_answered(body)
    assert error_codes(body) == ["NOT_FOUND"]
    assert body["errors"][0]["message"] == "Not found."
    await owners_token.refresh_from_db()
    assert owners_token.revoked_at is None
    assert await api.data(VIEWER_NAME, as_=owner) == {"viewer": {"name": "Olive Owner"}}


async def test_someone_elses_token_is_not_found_by_node_id(
    api: Api, owner: Person, outsider: Person
) -> None:
    assert owner.user is not None
    owners_token = await ApiToken.get(user_id=owner.user.id)

    node_query = "query ($id: ID!) { node(id: $id) { id ... on ApiToken { name } } }"
    token_id = gid("ApiToken", owners_token)

    body = await api.graphql(node_query, {"id": token_id}, as_=outsider)

    assert nothing_answered(body)
    assert error_codes(body) == ["NOT_FOUND"]
    own = await api.data(node_query, {"id": token_id}, as_=owner)
    assert own["node"] == {"id": token_id, "name": "tests"}


async def test_revoking_a_token_that_does_not_exist_is_not_found(api: Api, owner: Person) -> None:
    body = await api.graphql(REVOKE_API_TOKEN, {"id": to_global_id("ApiToken", 999)}, as_=owner)

    assert error_codes(body) == ["NOT_FOUND"]


async def test_revoking_with_an_id_of_another_type_is_invalid_input(
    api: Api, owner: Person
) -> None:
    data = await api.data(REVOKE_API_TOKEN, {"id": owner.global_id}, as_=owner)

    assert data["revokeApiToken"] == {
        "apiToken": None,
        "errors": [
            {"field": "id", "message": "The id is not of type ApiToken.", "code": "INVALID_ID"}
        ],
    }
    assert await api.data(VIEWER_NAME, as_=owner) == {"viewer": {"name": "Olive Owner"}}
