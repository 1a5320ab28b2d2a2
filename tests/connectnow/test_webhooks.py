"""ConnectNow /api/webhooks: every route needs a token, and a user sees and manages only their own
webhooks; another user's is missing (404)."""

import pytest
from aiohttp.test_utils import TestClient

from ..support import Person
from .helpers import (
    PAGE_KEYS,
    UNAUTHENTICATED,
    WEBHOOK,
    WEBHOOK_KEYS,
    WEBHOOKS,
    Reply,
    assert_timestamps,
    call,
    delete,
    get,
    ids,
    post,
    put,
)

# Loopback addresses the test settings allow, so that no name is looked up.
HOOK_URL = "http://127.0.0.1:9/hooks/slack"
OTHER_URL = "http://127.0.0.1:9/hooks/teams"


async def make_webhook(
    client: TestClient, person: Person, url: str = HOOK_URL, description: str | None = None
) -> int:
    reply = await post(client, WEBHOOKS, as_=person, json={"url": url, "description": description})
    assert reply.status == 201, reply.body
    return reply.body["id"]


async def read_webhook(client: TestClient, webhook_id: int, person: Person) -> Reply:
    return await get(client, WEBHOOK.format(webhook_id), as_=person)


# --- authentication -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("method", "url"),
    [
        ("GET", WEBHOOKS),
        ("POST", WEBHOOKS),
        ("GET", WEBHOOK.format(1)),
        ("PUT", WEBHOOK.format(1)),
        ("DELETE", WEBHOOK.format(1)),
    ],
)
async def test_every_webhook_route_needs_a_token(
    client: TestClient, member: Person, method: str, url: str
) -> None:
    # given a webhook with the id used in the URL
    assert await make_webhook(client, member) == 1

    # when anonymous calls the route
    reply = await call(client, method, url, json={"url": OTHER_URL})

    # then Laravel's 401 answers, and the webhook is untouched
    assert reply.status == 401
    assert reply.body == UNAUTHENTICATED
    assert (await read_webhook(client, 1, member)).body["url"] == HOOK_URL
    assert ids(await get(client, WEBHOOKS, as_=member)) == [1]


async def test_a_bad_token_is_refused(client: TestClient) -> None:
    # when a request carries a token that was never issued
    reply = await call(client, "GET", WEBHOOKS, headers={"Authorization": "Bearer itk_forged"})

    # then 401
    assert reply.status == 401
    assert reply.body == UNAUTHENTICATED


# --- create -------------------------------------------------------------------------------------


async def test_a_user_creates_a_webhook(client: TestClient, member: Person) -> None:
    # when a signed-in user creates a webhook
    body = {"url": HOOK_URL, "description": "Slack Workflow webhook"}
    reply = await post(client, WEBHOOKS, as_=member, json=body)

    # then it is theirs, answered in the sample's shape plus its signing secret, shown once
    assert reply.status == 201
    assert set(reply.body) == WEBHOOK_KEYS | {"secret"}
    assert member.user is not None
    assert reply.body["user_id"] == member.user.id
    assert reply.body["url"] == HOOK_URL
    assert reply.body["description"] == "Slack Workflow webhook"
    assert isinstance(reply.body["secret"], str)
    assert reply.body["secret"]
    assert_timestamps(reply.body)
    shown = await read_webhook(client, reply.body["id"], member)
    assert shown.body == {key: reply.body[key] for key in WEBHOOK_KEYS}


async def test_the_description_is_optional(client: TestClient, member: Person) -> None:
    # when a webhook is created with only a url
    reply = await post(client, WEBHOOKS, as_=member, json={"url": HOOK_URL})

    # then it has no description
    assert reply.status == 201
    assert reply.body["description"] is None


async def test_a_webhook_is_created_from_a_form_body(client: TestClient, member: Person) -> None:
    # when a Laravel client posts the webhook form-encoded
    form = {"url": HOOK_URL, "description": "From a form"}
    reply = await post(client, WEBHOOKS, as_=member, data=form)

    # then it is created as from JSON
    assert reply.status == 201
    assert (reply.body["url"], reply.body["description"]) == (HOOK_URL, "From a form")


@pytest.mark.parametrize(
    "body",
    [
        {},
        {"url": ""},
        {"url": "not a url"},
        {"url": "ftp://127.0.0.1:9/hook"},
        {"url": "http://10.0.0.7/hook"},
        {"url": "http://127.0.0.1:8080/hook"},
        {"url": 12},
        {"url": "http://127.0.0.1:9/" + "x" * 2048},
    ],
    ids=["missing", "empty", "not-a-url", "ftp", "private", "loopback", "number", "too-long"],
)
async def test_a_webhook_needs_a_valid_public_url(
    client: TestClient, member: Person, body: dict
) -> None:
    # when a webhook is created without a usable url
    reply = await post(client, WEBHOOKS, as_=member, json=body)

    # then the url is reported and nothing is created
    assert reply.status == 422
    assert set(reply.body) == {"message", "errors"}
    assert list(reply.body["errors"]) == ["url"]
    assert ids(await get(client, WEBHOOKS, as_=member)) == []


async def test_a_url_is_unique_per_user(client: TestClient, member: Person) -> None:
    # given a webhook for a url
    first = await make_webhook(client, member)

    # when the same user adds the same url again
    reply = await post(client, WEBHOOKS, as_=member, json={"url": HOOK_URL})

    # then it is refused
    assert reply.status == 422
    assert list(reply.body["errors"]) == ["url"]
    assert ids(await get(client, WEBHOOKS, as_=member)) == [first]


async def test_an_over_long_description_is_refused(client: TestClient, member: Person) -> None:
    # when the description is longer than a description may be
    body = {"url": HOOK_URL, "description": "x" * 1001}
    reply = await post(client, WEBHOOKS, as_=member, json=body)

    # then it is refused
    assert reply.status == 422
    assert list(reply.body["errors"]) == ["description"]
    assert ids(await get(client, WEBHOOKS, as_=member)) == []


# --- list and show ------------------------------------------------------------------------------


async def test_a_user_lists_only_their_own_webhooks(
    client: TestClient, member: Person, outsider: Person
) -> None:
    # given webhooks of two users
    mine = [await make_webhook(client, member, url) for url in (HOOK_URL, OTHER_URL)]
    await make_webhook(client, outsider)

    # when one lists webhooks
    reply = await get(client, WEBHOOKS, as_=member)

    # then only theirs are listed, oldest first, in the paginator envelope
    assert reply.status == 200
    assert set(reply.body) == PAGE_KEYS
    assert ids(reply) == mine
    assert (reply.body["from"], reply.body["to"]) == (1, 2)
    assert member.user is not None
    for row in reply.body["data"]:
        assert set(row) == WEBHOOK_KEYS
        assert row["user_id"] == member.user.id


async def test_a_single_webhook_has_the_sample_shape(client: TestClient, member: Person) -> None:
    # given a webhook
    webhook_id = await make_webhook(client, member, description="Slack Workflow webhook")

    # when its owner reads it
    reply = await read_webhook(client, webhook_id, member)

    # then it is the sample's object, without the secret
    assert reply.status == 200
    assert set(reply.body) == WEBHOOK_KEYS
    assert reply.body["id"] == webhook_id
    assert reply.body["url"] == HOOK_URL
    assert_timestamps(reply.body)


async def test_another_users_webhook_is_missing(
    client: TestClient, member: Person, outsider: Person
) -> None:
    # given another user's webhook
    theirs = await make_webhook(client, outsider)

    # when a user reads it, and a webhook that does not exist
    reply = await read_webhook(client, theirs, member)
    missing = await read_webhook(client, 999999, member)

    # then both are not found, alike
    assert reply.status == missing.status == 404
    assert reply.body == missing.body


# --- edit ---------------------------------------------------------------------------------------


async def test_a_user_edits_their_webhook(client: TestClient, member: Person) -> None:
    # given a webhook
    webhook_id = await make_webhook(client, member, description="Old")

    # when its owner changes its url and description
    body = {"url": OTHER_URL, "description": "New"}
    reply = await put(client, WEBHOOK.format(webhook_id), as_=member, json=body)

    # then it is answered and stored changed
    assert reply.status == 200
    assert set(reply.body) == WEBHOOK_KEYS
    assert (reply.body["url"], reply.body["description"]) == (OTHER_URL, "New")
    assert_timestamps(reply.body)
    assert (await read_webhook(client, webhook_id, member)).body == reply.body


async def test_a_webhook_is_edited_from_a_form_body(client: TestClient, member: Person) -> None:
    # given a webhook
    webhook_id = await make_webhook(client, member)

    # when it is edited form-encoded
    reply = await put(client, WEBHOOK.format(webhook_id), as_=member, data={"description": "F"})

    # then the description changes and the url stays
    assert reply.status == 200
    assert (reply.body["url"], reply.body["description"]) == (HOOK_URL, "F")


@pytest.mark.parametrize(
    "body",
    [{"url": "not a url"}, {"url": "http://10.0.0.7/hook"}, {"url": OTHER_URL}, {"url": ""}],
    ids=["not-a-url", "private", "taken", "empty"],
)
async def test_an_invalid_edit_changes_nothing(
    client: TestClient, member: Person, body: dict
) -> None:
    # given a webhook, and another of the same user at OTHER_URL
    webhook_id = await make_webhook(client, member, description="Kept")
    await make_webhook(client, member, OTHER_URL)
    before = await read_webhook(client, webhook_id, member)

    # when it is edited invalidly
    changes = {**body, "description": "Changed"}
    reply = await put(client, WEBHOOK.format(webhook_id), as_=member, json=changes)

    # then the url is reported and the webhook is unchanged
    assert reply.status == 422
    assert list(reply.body["errors"]) == ["url"]
    assert (await read_webhook(client, webhook_id, member)).body == before.body


async def test_another_users_webhook_cannot_be_edited(
    client: TestClient, member: Person, outsider: Person
) -> None:
    # given another user's webhook
    theirs = await make_webhook(client, outsider)

    # when a user edits it
    reply = await put(client, WEBHOOK.format(theirs), as_=member, json={"url": OTHER_URL})

    # then it is not found, and the owner's webhook is unchanged
    assert reply.status == 404
    assert (await read_webhook(client, theirs, outsider)).body["url"] == HOOK_URL


# --- delete -------------------------------------------------------------------------------------


async def test_a_user_deletes_their_webhook(client: TestClient, member: Person) -> None:
    # given two webhooks
    kept = await make_webhook(client, member, HOOK_URL)
    gone = await make_webhook(client, member, OTHER_URL)

    # when one is deleted
    reply = await delete(client, WEBHOOK.format(gone), as_=member)

    # then 204 without a body, and it is gone
    assert reply.status == 204
    assert reply.body is None
    assert ids(await get(client, WEBHOOKS, as_=member)) == [kept]
    assert (await read_webhook(client, gone, member)).status == 404


async def test_another_users_webhook_cannot_be_deleted(
    client: TestClient, member: Person, outsider: Person
) -> None:
    # given another user's webhook
    theirs = await make_webhook(client, outsider)

    # when a user deletes it, and a webhook that does not exist
    reply = await delete(client, WEBHOOK.format(theirs), as_=member)
    missing = await delete(client, WEBHOOK.format(999999), as_=member)

    # then both are not found, and the owner still has theirs
    assert reply.status == missing.status == 404
    assert ids(await get(client, WEBHOOKS, as_=outsider)) == [theirs]
