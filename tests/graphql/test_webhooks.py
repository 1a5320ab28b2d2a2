"""Webhooks over GraphQL: seen and managed by their owner only, a signing secret shown once, and
urls that may not point into our own network (the test settings allow "127.0.0.1:9" and
"localhost:9" so deliveries can be tested)."""

import pytest

from issuetracker.models import Webhook
from issuetracker.schema.relay import to_global_id

from ..support import Api, Person, error_codes, nothing_answered

HOOK_URL = "http://127.0.0.1:9/hook"
OTHER_URL = "http://127.0.0.1:9/other"

WEBHOOKS = """
query ($first: Int, $after: String) {
  webhooks(first: $first, after: $after) {
    nodes { url description }
    pageInfo { hasNextPage endCursor }
    totalCount
  }
}
"""

WEBHOOK = """
query ($id: ID!) { webhook(id: $id) { id databaseId url description active } }
"""

WEBHOOK_BY_DATABASE_ID = """
query ($databaseId: Int!) { webhook(databaseId: $databaseId) { id url } }
"""

NODE = """
query ($id: ID!) { node(id: $id) { id ... on Webhook { url } } }
"""

NODES = """
query ($ids: [ID!]!) { nodes(ids: $ids) { id ... on Webhook { url } } }
"""

WEBHOOK_SECRET_FIELD = """
query ($id: ID!) { webhook(id: $id) { secret } }
"""

CREATE_WEBHOOK = """
mutation ($input: CreateWebhookInput!) {
  createWebhook(input: $input) {
    webhook { id databaseId url description active consecutiveFailures }
    secret
    errors { field message code }
  }
}
"""

UPDATE_WEBHOOK = """
mutation ($input: UpdateWebhookInput!) {
  updateWebhook(input: $input) {
    webhook { id url description active consecutiveFailures }
    errors { field message code }
  }
}
"""

DELETE_WEBHOOK = """
mutation ($id: ID!) {
  deleteWebhook(input: {id: $id}) {
    webhook { id url }
    errors { field message code }
  }
}
"""

PRIVATE_ADDRESS = "The url points at a private, loopback or link-local address."


async def create_webhook(api: Api, by: Person, url: str = HOOK_URL, **fields: object) -> dict:
    data = await api.data(CREATE_WEBHOOK, {"input": {"url": url, **fields}}, as_=by)
    return data["createWebhook"]


async def make_webhook(api: Api, by: Person, url: str = HOOK_URL) -> dict:
    created = await create_webhook(api, by, url)
    assert created["errors"] == []
    return created["webhook"]


# Reading


async def test_webhooks_lists_only_the_viewers_own(
    api: Api, owner: Person, outsider: Person
) -> None:
    # given webhooks of two people
    await make_webhook(api, owner, HOOK_URL)
    await make_webhook(api, owner, OTHER_URL)
    await make_webhook(api, outsider, "http://127.0.0.1:9/outsider")

    # when the owner lists webhooks
    data = await api.data(WEBHOOKS, as_=owner)

    # then only theirs are listed, oldest first
    webhooks = data["webhooks"]
    assert [hook["url"] for hook in webhooks["nodes"]] == [HOOK_URL, OTHER_URL]
    assert webhooks["totalCount"] == 2


async def test_webhooks_are_paged(api: Api, owner: Person) -> None:
    for number in range(3):
        await make_webhook(api, owner, f"http://127.0.0.1:9/hook/{number}")

    first = (await api.data(WEBHOOKS, {"first": 2}, as_=owner))["webhooks"]
    after = first["pageInfo"]["endCursor"]
    rest = (await api.data(WEBHOOKS, {"first": 2, "after": after}, as_=owner))["webhooks"]

    assert [hook["url"] for hook in first["nodes"]] == [
        "http://127.0.0.1:9/hook/0",
        "http://127.0.0.1:9/hook/1",
    ]
    assert first["pageInfo"]["hasNextPage"] is True
    assert [hook["url"] for hook in rest["nodes"]] == ["http://127.0.0.1:9/hook/2"]
    assert rest["pageInfo"]["hasNextPage"] is False


async def test_the_owner_reads_a_webhook_by_either_id(api: Api, owner: Person) -> None:
    hook = await make_webhook(api, owner)

    by_id = await api.data(WEBHOOK, {"id": hook["id"]}, as_=owner)
    by_database_id = await api.data(
        WEBHOOK_BY_DATABASE_ID, {"databaseId": hook["databaseId"]}, as_=owner
    )
    by_node = await api.data(NODE, {"id": hook["id"]}, as_=owner)

    assert by_id["webhook"]["url"] == HOOK_URL
    assert by_database_id["webhook"] == {"id": hook["id"], "url": HOOK_URL}
    assert by_node["node"] == {"id": hook["id"], "url": HOOK_URL}


async def test_someone_elses_webhook_is_not_found(
    api: Api, owner: Person, outsider: Person
) -> None:
    # given the owner's webhook
    hook = await make_webhook(api, owner)

    # when an outsider asks for it in every way
    answers = [
        await api.graphql(WEBHOOK, {"id": hook["id"]}, as_=outsider),
        await api.graphql(WEBHOOK_BY_DATABASE_ID, {"databaseId": hook["databaseId"]}, as_=outsider),
        await api.graphql(NODE, {"id": hook["id"]}, as_=outsider),
    ]

    # then it looks exactly like a webhook that does not exist
    missing = await api.graphql(WEBHOOK, {"id": to_global_id("Webhook", 999)}, as_=outsider)
    for body in [*answers, missing]:
        assert nothing_answered(body)
        assert error_codes(body) == ["NOT_FOUND"]
        assert body["errors"][0]["message"] == "Webhook not found."


async def test_nodes_answers_null_for_hidden_and_missing_objects(
    api: Api, owner: Person, outsider: Person
) -> None:
    # given a webhook of the owner and one of the outsider
    own = await make_webhook(api, owner)
    theirs = await make_webhook(api, outsider, OTHER_URL)

    # when the owner asks for both and one that does not exist
    ids = [own["id"], theirs["id"], to_global_id("Webhook", 999)]
    body = await api.graphql(NODES, {"ids": ids}, as_=owner)

    # then only their own is shown, in the asked order, each other one null with its error
    assert body["data"]["nodes"] == [{"id": own["id"], "url": HOOK_URL}, None, None]
    assert [error["path"] for error in body["errors"]] == [["nodes", 1], ["nodes", 2]]
    assert error_codes(body) == ["NOT_FOUND", "NOT_FOUND"]


@pytest.mark.parametrize("malformed", ["not-an-id", "!!!", to_global_id("Webhook", 1)[:-2]])
async def test_node_with_a_malformed_id_is_bad_user_input(
    api: Api, owner: Person, malformed: str
) -> None:
    body = await api.graphql(NODE, {"id": malformed}, as_=owner)

    assert body["status"] == 200
    assert nothing_answered(body)
    assert error_codes(body) == ["BAD_USER_INPUT"]
    assert body["errors"][0]["message"] == "The id is not valid."


async def test_a_webhook_never_shows_its_secret_again(api: Api, owner: Person) -> None:
    created = await create_webhook(api, owner)

    listed = await api.graphql(WEBHOOKS, as_=owner)
    asked = await api.graphql(WEBHOOK_SECRET_FIELD, {"id": created["webhook"]["id"]}, as_=owner)

    assert created["secret"] not in str(listed)
    assert error_codes(asked) == ["GRAPHQL_VALIDATION_FAILED"]
    assert "Cannot query field 'secret'" in asked["errors"][0]["message"]


@pytest.mark.parametrize(
    "query",
    [
        WEBHOOKS,
        "query { webhook(databaseId: 1) { url } }",
    ],
)
async def test_reading_webhooks_needs_a_signed_in_user(
    api: Api, anonymous: Person, query: str
) -> None:
    body = await api.graphql(query, as_=anonymous)

    assert nothing_answered(body)
    assert error_codes(body) == ["UNAUTHENTICATED"]
    assert body["errors"][0]["message"] == "Unauthenticated."


# createWebhook


async def test_create_webhook_returns_its_signing_secret_once(api: Api, owner: Person) -> None:
    # when a webhook is created
    created = await create_webhook(api, owner, HOOK_URL, description="Ops channel")

    # then it is active, and its secret is shown now and kept for signing
    assert created["errors"] == []
    assert created["webhook"]["url"] == HOOK_URL
    assert created["webhook"]["description"] == "Ops channel"
    assert created["webhook"]["active"] is True
    assert created["webhook"]["consecutiveFailures"] == 0
    assert created["secret"].startswith("whsec_")
    assert len(created["secret"]) > len("whsec_") + 32
    row = await Webhook.get(id=created["webhook"]["databaseId"])
    assert row.secret == created["secret"]
    assert owner.user is not None
    assert row.user_id == owner.user.id


async def test_each_webhook_gets_its_own_secret(api: Api, owner: Person) -> None:
    first = await create_webhook(api, owner, HOOK_URL)
    second = await create_webhook(api, owner, OTHER_URL)

    assert first["secret"] != second["secret"]


async def test_create_webhook_refuses_a_url_the_viewer_already_has(
    api: Api, owner: Person, outsider: Person
) -> None:
    # given a webhook for a url
    await make_webhook(api, owner, HOOK_URL)

    # when the same person adds the url again, and someone else adds it too
    again = await create_webhook(api, owner, HOOK_URL)
    elsewhere = await create_webhook(api, outsider, HOOK_URL)

    # then the second one of the same person is refused, other people are not affected
    assert again["webhook"] is None
    assert again["secret"] is None
    assert again["errors"] == [
        {"field": "url", "message": "You already have a webhook for this url.", "code": "TAKEN"}
    ]
    assert elsewhere["errors"] == []
    assert await Webhook.filter(url=HOOK_URL).count() == 2


@pytest.mark.parametrize(
    ("url", "message", "code"),
    [
        ("", "The url field is required.", "REQUIRED"),
        ("not a url", "The url must be a valid http or https URL.", "UNSAFE_URL"),
        ("ftp://127.0.0.1:9/hook", "The url must be a valid http or https URL.", "UNSAFE_URL"),
        ("https://user:pass@93.184.215.14/", "The url may not carry credentials.", "UNSAFE_URL"),
        ("http://93.184.215.14:99999/", "The url has an invalid port.", "UNSAFE_URL"),
        (
            "https://93.184.215.14/" + "x" * 2048,
            "The url may not be greater than 2048 characters.",
            "TOO_LONG",
        ),
    ],
)
async def test_create_webhook_refuses_an_invalid_url(
    api: Api, owner: Person, url: str, message: str, code: str
) -> None:
    created = await create_webhook(api, owner, url)

    assert created["webhook"] is None
    assert created["secret"] is None
    assert created["errors"] == [{"field": "url", "message": message, "code": code}]
    assert await Webhook.all().count() == 0


@pytest.mark.parametrize(
    ("url", "message"),
    [
        ("http://127.0.0.1:8000/x", PRIVATE_ADDRESS),
        ("http://127.0.0.1/hook", PRIVATE_ADDRESS),
        ("http://10.0.0.1/", PRIVATE_ADDRESS),
        ("http://192.168.1.20/hook", PRIVATE_ADDRESS),
        ("http://169.254.169.254/", "The url points at a cloud metadata address."),
        ("http://169.254.10.1/", PRIVATE_ADDRESS),
        ("http://[::1]/", PRIVATE_ADDRESS),
        ("http://[::ffff:127.0.0.1]/", PRIVATE_ADDRESS),
        ("http://[64:ff9b::7f00:1]:8000/", PRIVATE_ADDRESS),  # NAT64
        ("http://[64:ff9b::a00:1]/", PRIVATE_ADDRESS),
        ("http://[64:ff9b:1::7f00:1]/", PRIVATE_ADDRESS),  # a local NAT64 prefix
        ("http://[2002:7f00:1::]:8000/", PRIVATE_ADDRESS),  # 6to4
        ("http://[2002:c0a8:114::1]/", PRIVATE_ADDRESS),
        ("http://[::ffff:0:7f00:1]/", PRIVATE_ADDRESS),  # IPv4-translated
        ("http://[::127.0.0.1]/", PRIVATE_ADDRESS),  # IPv4-compatible
        ("http://[2001:0:4136:e378:8000:63bf:80ff:fffe]/", PRIVATE_ADDRESS),  # Teredo
        ("http://[64:ff9b::a9fe:a9fe]/", "The url points at a cloud metadata address."),
        ("http://localhost/", PRIVATE_ADDRESS),
        ("http://localhost:8000/", PRIVATE_ADDRESS),
        ("http://localhost./", PRIVATE_ADDRESS),
        ("http://127.1/", PRIVATE_ADDRESS),
        ("http://0.0.0.0:9/", PRIVATE_ADDRESS),
    ],
)
async def test_create_webhook_refuses_a_url_into_our_own_network(
    api: Api, owner: Person, url: str, message: str
) -> None:
    created = await create_webhook(api, owner, url)

    assert created["webhook"] is None
    assert created["errors"] == [{"field": "url", "message": message, "code": "UNSAFE_URL"}]
    assert await Webhook.all().count() == 0


@pytest.mark.parametrize(
    "url",
    [
        "http://127.0.0.1:9/hook",
        "http://localhost:9/hook",
        "https://93.184.215.14/hooks/issues",
        "https://[64:ff9b::5db8:d70e]/hooks/issues",  # the same public address, over NAT64
        "https://[2002:5db8:d70e::1]/hooks/issues",  # and over 6to4
    ],
)
async def test_create_webhook_accepts_public_and_explicitly_allowed_urls(
    api: Api, owner: Person, url: str
) -> None:
    created = await create_webhook(api, owner, url)

    assert created["errors"] == []
    assert created["webhook"]["url"] == url


async def test_create_webhook_needs_a_signed_in_user(api: Api, anonymous: Person) -> None:
    body = await api.graphql(CREATE_WEBHOOK, {"input": {"url": HOOK_URL}}, as_=anonymous)

    assert nothing_answered(body)
    assert error_codes(body) == ["UNAUTHENTICATED"]
    assert body["errors"][0]["message"] == "Unauthenticated."
    assert await Webhook.all().count() == 0


# updateWebhook


async def test_update_webhook_changes_the_given_fields_only(api: Api, owner: Person) -> None:
    # given a webhook with a description
    created = await create_webhook(api, owner, HOOK_URL, description="Ops")
    hook_id = created["webhook"]["id"]

    # when its url changes and it is paused
    data = await api.data(
        UPDATE_WEBHOOK, {"input": {"id": hook_id, "url": OTHER_URL, "active": False}}, as_=owner
    )

    # then the rest is kept, and the secret is unchanged
    assert data["updateWebhook"] == {
        "webhook": {
            "id": hook_id,
            "url": OTHER_URL,
            "description": "Ops",
            "active": False,
            "consecutiveFailures": 0,
        },
        "errors": [],
    }
    row = await Webhook.get(id=created["webhook"]["databaseId"])
    assert row.secret == created["secret"]


async def test_reactivating_a_webhook_clears_its_failure_count(api: Api, owner: Person) -> None:
    # given a webhook switched off after failed deliveries
    hook = await make_webhook(api, owner)
    await Webhook.filter(id=hook["databaseId"]).update(active=False, consecutive_failures=7)

    # when it is switched on again
    data = await api.data(UPDATE_WEBHOOK, {"input": {"id": hook["id"], "active": True}}, as_=owner)

    # then it starts counting afresh
    webhook = data["updateWebhook"]["webhook"]
    assert webhook["active"] is True
    assert webhook["consecutiveFailures"] == 0


async def test_update_webhook_refuses_an_unsafe_url(api: Api, owner: Person) -> None:
    hook = await make_webhook(api, owner)

    data = await api.data(
        UPDATE_WEBHOOK, {"input": {"id": hook["id"], "url": "http://10.0.0.1/"}}, as_=owner
    )

    assert data["updateWebhook"] == {
        "webhook": None,
        "errors": [{"field": "url", "message": PRIVATE_ADDRESS, "code": "UNSAFE_URL"}],
    }
    assert (await Webhook.get(id=hook["databaseId"])).url == HOOK_URL


async def test_update_webhook_refuses_a_url_the_viewer_already_has(api: Api, owner: Person) -> None:
    await make_webhook(api, owner, HOOK_URL)
    other = await make_webhook(api, owner, OTHER_URL)

    data = await api.data(
        UPDATE_WEBHOOK, {"input": {"id": other["id"], "url": HOOK_URL}}, as_=owner
    )

    assert data["updateWebhook"]["errors"] == [
        {"field": "url", "message": "You already have a webhook for this url.", "code": "TAKEN"}
    ]
    assert (await Webhook.get(id=other["databaseId"])).url == OTHER_URL


async def test_update_webhook_may_keep_its_own_url(api: Api, owner: Person) -> None:
    hook = await make_webhook(api, owner)

    data = await api.data(
        UPDATE_WEBHOOK,
        {"input": {"id": hook["id"], "url": HOOK_URL, "description": "Same url"}},
        as_=owner,
    )

    assert data["updateWebhook"]["errors"] == []
    assert data["updateWebhook"]["webhook"]["description"] == "Same url"


async def test_updating_someone_elses_webhook_is_not_found(
    api: Api, owner: Person, outsider: Person
) -> None:
    hook = await make_webhook(api, owner)

    body = await api.graphql(
        UPDATE_WEBHOOK, {"input": {"id": hook["id"], "active": False}}, as_=outsider
    )

    assert nothing_answered(body)
    assert error_codes(body) == ["NOT_FOUND"]
    assert (await Webhook.get(id=hook["databaseId"])).active is True


# deleteWebhook


async def test_delete_webhook_removes_it(api: Api, owner: Person) -> None:
    hook = await make_webhook(api, owner)

    data = await api.data(DELETE_WEBHOOK, {"id": hook["id"]}, as_=owner)

    assert data["deleteWebhook"] == {
        "webhook": {"id": hook["id"], "url": HOOK_URL},
        "errors": [],
    }
    gone = await api.graphql(WEBHOOK, {"id": hook["id"]}, as_=owner)
    assert error_codes(gone) == ["NOT_FOUND"]
    assert await Webhook.all().count() == 0


async def test_a_deleted_webhooks_url_may_be_used_again(api: Api, owner: Person) -> None:
    hook = await make_webhook(api, owner)
    await api.data(DELETE_WEBHOOK, {"id": hook["id"]}, as_=owner)

    created = await create_webhook(api, owner, HOOK_URL)

    assert created["errors"] == []


async def test_deleting_someone_elses_webhook_is_not_found(
    api: Api, owner: Person, outsider: Person
) -> None:
    hook = await make_webhook(api, owner)

    body = await api.graphql(DELETE_WEBHOOK, {"id": hook["id"]}, as_=outsider)

    assert nothing_answered(body)
    assert error_codes(body) == ["NOT_FOUND"]
    assert await Webhook.filter(id=hook["databaseId"]).exists()


@pytest.mark.parametrize(
    ("mutation", "variables"),
    [
        (UPDATE_WEBHOOK, {"input": {"id": to_global_id("Webhook", 1), "active": False}}),
        (DELETE_WEBHOOK, {"id": to_global_id("Webhook", 1)}),
    ],
)
async def test_changing_webhooks_needs_a_signed_in_user(
    api: Api, owner: Person, anonymous: Person, mutation: str, variables: dict
) -> None:
    await make_webhook(api, owner)

    body = await api.graphql(mutation, variables, as_=anonymous)

    assert nothing_answered(body)
    assert error_codes(body) == ["UNAUTHENTICATED"]
    assert await Webhook.filter(active=True).count() == 1
