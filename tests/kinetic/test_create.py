"""POST /api/v1/issues: a name is required; description and owner_id are optional; the answer is
the full issue object with 200."""

from aiohttp.test_utils import TestClient

from issuetracker.models import Company, Issue, IssueParticipant

from ..support import Person
from .helpers import ISSUE_KEYS, ISSUES, UNAUTHENTICATED, assert_recent, call, create, post


async def test_a_name_alone_makes_an_open_issue_owned_by_the_caller(
    client: TestClient, owner: Person
) -> None:
    assert owner.user is not None

    # when an issue is created with only a name
    reply = await post(client, ISSUES, as_=owner, json={"name": "This is an issue name"})

    # then it answers 200 with the whole issue: open, owned by the caller, who takes part
    assert reply.status == 200
    issue = reply.body
    assert set(issue) == ISSUE_KEYS
    assert issue["name"] == "This is an issue name"
    assert issue["description"] is None
    assert issue["status"] == "Open"
    assert issue["owner_id"] == owner.user.id
    assert issue["owner"]["id"] == owner.user.id
    assert [user["id"] for user in issue["participants"]] == [owner.user.id]
    assert (issue["conclusion"], issue["deleted_at"], issue["external_reference_id"]) == (
        None,
        None,
        None,
    )
    assert issue["webhook_url"] == ""
    assert issue["invitations"] == issue["tag_list"] == issue["action_items"] == []
    assert issue["facts"] == issue["uploads"] == []
    assert_recent(issue["created_at"])
    stored = await Issue.get(guid=issue["guid"])
    assert (stored.id, stored.hash_key) == (issue["id"], issue["hash_key"])


async def test_a_description_is_kept(client: TestClient, owner: Person) -> None:
    issue = await create(client, owner, description="This is a description")

    assert issue["description"] == "This is a description"


async def test_owner_id_makes_another_user_the_owner_and_both_take_part(
    client: TestClient, owner: Person, member: Person, company: Company
) -> None:
    assert owner.user is not None
    assert member.user is not None

    # when the owner creates an issue naming the member as its owner
    issue = await create(client, owner, owner_id=member.user.id)

    # then the member owns it, and both take part in it
    assert issue["owner_id"] == member.user.id
    assert issue["owner"]["id"] == member.user.id
    assert sorted(user["id"] for user in issue["participants"]) == sorted(
        [owner.user.id, member.user.id]
    )


async def test_tags_external_reference_and_webhook_url_may_be_given_too(
    client: TestClient, owner: Person
) -> None:
    issue = await create(
        client,
        owner,
        tag_list=["Network", "printers"],
        external_reference_id="INC-42",
        webhook_url="http://127.0.0.1:9/hook",
    )

    assert issue["tag_list"] == ["network", "printers"]
    assert issue["external_reference_id"] == "INC-42"
    assert issue["webhook_url"] == "http://127.0.0.1:9/hook"


async def test_an_unknown_owner_id_is_refused_and_nothing_is_made(
    client: TestClient, owner: Person
) -> None:
    reply = await post(client, ISSUES, as_=owner, json={"name": "Down", "owner_id": 987654})

    assert reply.status == 422
    assert reply.body == {"success": False, "message": "The selected owner id is invalid."}
    assert await Issue.all().count() == 0


async def test_a_missing_or_blank_name_is_refused(client: TestClient, owner: Person) -> None:
    missing = await post(client, ISSUES, as_=owner, json={"description": "No name."})
    blank = await post(client, ISSUES, as_=owner, json={"name": "   "})

    for reply in (missing, blank):
        assert reply.status == 422
        assert reply.body == {"success": False, "message": "The name field is required."}
    assert await Issue.all().count() == 0


async def test_fields_of_the_wrong_type_are_refused(client: TestClient, owner: Person) -> None:
    as_number = await post(client, ISSUES, as_=owner, json={"name": 42})
    bad_owner = await post(client, ISSUES, as_=owner, json={"name": "Down", "owner_id": "me"})
    bad_tags = await post(client, ISSUES, as_=owner, json={"name": "Down", "tag_list": [1]})

    assert (as_number.status, as_number.body["message"]) == (422, "The name must be a string.")
    assert (bad_owner.status, bad_owner.body["message"]) == (
        422,
        "The owner_id must be an integer.",
    )
    assert (bad_tags.status, bad_tags.body["message"]) == (
        422,
        "The tag_list must contain strings.",
    )
    assert await Issue.all().count() == 0


async def test_malformed_json_is_a_400(client: TestClient, owner: Person) -> None:
    cases = {
        b'{"name": ': "The request body is not valid JSON.",
        b'["a list"]': "The request body must be a JSON object.",
    }
    for body, message in cases.items():
        reply = await call(
            client,
            "POST",
            ISSUES,
            as_=owner,
            data=body,
            headers={"Content-Type": "application/json"},
        )

        assert reply.status == 400
        assert reply.body == {"success": False, "message": message}


async def test_without_a_valid_token_nothing_is_made(client: TestClient, anonymous: Person) -> None:
    # when one request has no token and another a token that was never issued
    missing = await post(client, ISSUES, as_=anonymous, json={"name": "Down"})
    forged = await call(
        client,
        "POST",
        ISSUES,
        json={"name": "Down"},
        headers={"Authorization": "Bearer itk_never-issued"},
    )

    # then both answer the document's 401, and no issue exists
    for reply in (missing, forged):
        assert reply.status == 401
        assert reply.body == UNAUTHENTICATED
    assert await Issue.all().count() == 0
    assert await IssueParticipant.all().count() == 0
