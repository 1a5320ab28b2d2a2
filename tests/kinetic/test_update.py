"""PUT /api/v1/issues/<guid>: a whole issue object or only the fields to change; fields that are
not editable are ignored; a refused change changes nothing; a closed issue takes no change."""

from typing import Any

import pytest
from aiohttp.test_utils import TestClient

from issuetracker.models import Company, EventKind, Issue, IssueEvent, User

from ..sql_counter import count_sql
from ..support import Person, make_category, make_issue
from .helpers import (
    ISSUE,
    NOT_FOUND,
    UNAUTHENTICATED,
    UNKNOWN_GUID,
    call,
    create,
    edit,
    show,
)

CLOSED = {"success": False, "message": "The issue is closed."}


async def shown(client: TestClient, issue: dict[str, Any], as_: Person) -> dict[str, Any]:
    reply = await show(client, issue["guid"], as_)
    assert reply.status == 200
    return reply.body


def without_times(issue: dict[str, Any]) -> dict[str, Any]:
    return {key: value for key, value in issue.items() if not key.endswith("_at")}


# --- partial and whole bodies -------------------------------------------------------------------


async def test_a_partial_body_changes_only_what_it_names(client: TestClient, owner: Person) -> None:
    # given an issue
    before = await create(client, owner, description="This is a description")

    # when only its name is sent
    reply = await edit(client, before["guid"], owner, name="A better name")

    # then the name changed, and nothing else did
    assert reply.status == 200
    assert reply.body["name"] == "A better name"
    assert without_times(reply.body) == {**without_times(before), "name": "A better name"}
    assert reply.body == await shown(client, before, owner)


async def test_a_fetched_issue_sent_back_with_one_edit_changes_only_that(
    client: TestClient, owner: Person, member: Person
) -> None:
    assert member.user is not None
    # given an issue with tags, an action item and a fact, as a client fetched it
    created = await create(client, owner, description="It started.", tag_list=["network"])
    await edit(
        client,
        created["guid"],
        owner,
        action_items=[{"description": "Call the ISP"}],
        facts=[{"description": "Floor 2 only"}],
    )
    fetched = await shown(client, created, owner)

    # when the whole object is sent back with a new name
    reply = await edit(client, created["guid"], owner, **{**fetched, "name": "Renamed"})

    # then only the name changed: no description event, and no part was touched
    assert reply.status == 200
    assert reply.body == {**fetched, "name": "Renamed", "updated_at": reply.body["updated_at"]}
    events = await IssueEvent.filter(issue_id=created["id"]).values_list("kind", flat=True)
    assert events == [EventKind.CREATED]


async def test_fields_that_are_not_editable_are_ignored(
    client: TestClient, owner: Person, member: Person
) -> None:
    assert member.user is not None
    created = await create(client, owner)

    # when a body tries to change what only the server sets
    reply = await edit(
        client,
        created["guid"],
        owner,
        id=999,
        guid="5b47b7b7-e102-44fe-ba18-cc531a7ebd2a",
        hash_key="c1e378a68e711abea16d9b76cfd8a06b9abb8ed5",
        conference_number="555",
        created_at="2015-04-01T11:25:39.017-05:00",
        deleted_at="2015-04-01T11:25:39.017-05:00",
        participants=[{"id": member.user.id}],
        owner={"id": member.user.id},
        uploads=[{"file_file_name": "x.exe"}],
    )

    # then none of it changed
    assert reply.status == 200
    assert without_times(reply.body) == without_times(created)
    assert reply.body["deleted_at"] is None


async def test_description_external_reference_webhook_url_and_tags_are_editable(
    client: TestClient, owner: Person
) -> None:
    created = await create(client, owner, description="Old.", tag_list=["old"])

    reply = await edit(
        client,
        created["guid"],
        owner,
        description="New.",
        external_reference_id="INC-7",
        webhook_url="http://127.0.0.1:9/hook",
        tag_list="Network, printers",
    )

    assert reply.status == 200
    issue = reply.body
    assert issue["description"] == "New."
    assert issue["external_reference_id"] == "INC-7"
    assert issue["webhook_url"] == "http://127.0.0.1:9/hook"
    assert issue["tag_list"] == ["network", "printers"]
    assert issue["messages_updated_at"] > created["messages_updated_at"]


async def test_an_empty_webhook_url_removes_it_and_an_empty_tag_list_clears_them(
    client: TestClient, owner: Person
) -> None:
    created = await create(client, owner, webhook_url="http://127.0.0.1:9/hook", tag_list=["a"])

    reply = await edit(client, created["guid"], owner, webhook_url="", tag_list=[])

    assert (reply.body["webhook_url"], reply.body["tag_list"]) == ("", [])
    assert (await Issue.get(id=created["id"])).webhook_url is None


async def test_owner_id_hands_the_issue_to_another_user_who_then_takes_part(
    client: TestClient, owner: Person, member: Person, company: Company
) -> None:
    assert owner.user is not None
    assert member.user is not None
    created = await create(client, owner)

    reply = await edit(client, created["guid"], owner, owner_id=member.user.id)

    assert reply.status == 200
    assert reply.body["owner_id"] == member.user.id
    assert reply.body["owner"]["id"] == member.user.id
    assert {user["id"] for user in reply.body["participants"]} == {owner.user.id, member.user.id}
    assert reply.body["involvements_updated_at"] > created["involvements_updated_at"]


@pytest.mark.parametrize(
    ("body", "message"),
    [
        ({"owner_id": 987654}, "The selected owner id is invalid."),
        ({"name": ""}, "The name field is required."),
        ({"name": ["a list"]}, "The name must be a string."),
        ({"status": "Pending"}, "The status must be one of: Open, Closed, Deleted."),
        ({"webhook_url": "http://10.0.0.1/hook"}, None),
        ({"tag_list": {"a": 1}}, "The tag_list must be an array."),
        ({"invitations": "guest@example.com"}, "The invitations must be an array."),
        ({"invitations": ["not an address"]}, "The email must be a valid email address."),
        ({"action_items": [{"description": "Call", "due_date": "01/04/2015"}]}, None),
        ({"action_items": [{"description": "Call", "done": "yes"}]}, None),
        ({"action_items": [{"done": True}]}, "The description field is required."),
        ({"action_items": [{"id": 987654, "done": True}]}, None),
        ({"action_items": ["Call"]}, "The action_items must be objects."),
        ({"facts": [{"id": "x", "description": "A"}]}, "The id must be an integer."),
        ({"facts": [{"description": ""}]}, "The description field is required."),
    ],
)
async def test_invalid_fields_are_refused_and_nothing_changes(
    client: TestClient, owner: Person, body: dict[str, Any], message: str | None
) -> None:
    # given an issue
    created = await create(client, owner)

    # when a valid change comes with an invalid one
    reply = await edit(client, created["guid"], owner, description="Changed.", **body)

    # then the whole request is refused, and the issue is as it was
    assert reply.status == 422
    assert reply.body["success"] is False
    if message is not None:
        assert reply.body["message"] == message
    assert await shown(client, created, owner) == created


async def test_a_valid_part_is_not_kept_when_another_part_is_refused(
    client: TestClient, owner: Person
) -> None:
    created = await create(client, owner)

    reply = await edit(
        client,
        created["guid"],
        owner,
        invitations=["guest@example.com"],
        action_items=[
            {"description": "Call the ISP"},
            {"description": "Reboot", "assignee_id": 1e6},
        ],
    )

    assert reply.status == 422
    after = await shown(client, created, owner)
    assert (after["invitations"], after["action_items"]) == ([], [])


# --- action items and facts ---------------------------------------------------------------------


async def test_action_items_are_added_without_an_id_and_changed_with_one(
    client: TestClient, owner: Person, member: Person, company: Company
) -> None:
    assert owner.user is not None
    assert member.user is not None
    created = await create(client, owner, owner_id=member.user.id)

    # when an action item is added, and then changed by its id
    added = await edit(
        client,
        created["guid"],
        owner,
        action_items=[
            {"description": "Call the ISP", "assignee_id": member.user.id, "due_date": "2015-04-30"}
        ],
    )
    [item] = added.body["action_items"]
    changed = await edit(
        client,
        created["guid"],
        owner,
        action_items=[{"id": item["id"], "done": True, "due_date": None, "assignee_id": None}],
    )

    # then the item was added with the sample's fields, and then changed
    assert added.status == 200
    assert item["issue_id"] == created["id"]
    assert (item["description"], item["done"]) == ("Call the ISP", False)
    assert (item["assignee_id"], item["due_date"]) == (member.user.id, "2015-04-30")
    assert added.body["action_items_updated_at"] > created["action_items_updated_at"]
    [done] = changed.body["action_items"]
    assert done["id"] == item["id"]
    assert (done["description"], done["done"]) == ("Call the ISP", True)
    assert (done["assignee_id"], done["due_date"]) == (None, None)


async def test_an_action_item_goes_only_to_someone_taking_part(
    client: TestClient, owner: Person, outsider: Person
) -> None:
    assert outsider.user is not None
    created = await create(client, owner)

    reply = await edit(
        client,
        created["guid"],
        owner,
        action_items=[{"description": "Call", "assignee_id": outsider.user.id}],
    )

    assert reply.status == 422
    assert reply.body["message"] == "The assignee must take part in the issue."


async def test_facts_are_added_and_changed(client: TestClient, owner: Person) -> None:
    assert owner.user is not None
    created = await create(client, owner)

    added = await edit(client, created["guid"], owner, facts=[{"description": "Floor 2 only"}])
    [fact] = added.body["facts"]
    changed = await edit(
        client, created["guid"], owner, facts=[{**fact, "description": "Floors 2 and 3"}]
    )

    assert (fact["issue_id"], fact["user_id"]) == (created["id"], owner.user.id)
    assert fact["description"] == "Floor 2 only"
    assert [row["description"] for row in changed.body["facts"]] == ["Floors 2 and 3"]
    assert changed.body["facts_updated_at"] >= added.body["facts_updated_at"]


async def test_a_part_of_another_issue_cannot_be_changed_through_this_one(
    client: TestClient, owner: Person
) -> None:
    first = await create(client, owner)
    other = await create(client, owner)
    fact = (await edit(client, other["guid"], owner, facts=[{"description": "Mine"}])).body[
        "facts"
    ][0]

    reply = await edit(client, first["guid"], owner, facts=[{**fact, "description": "Stolen"}])

    assert reply.status == 422
    assert reply.body["message"] == "The facts name an unknown id."
    assert (await shown(client, other, owner))["facts"][0]["description"] == "Mine"


# --- closing ------------------------------------------------------------------------------------


async def test_status_closed_closes_with_a_conclusion(client: TestClient, owner: Person) -> None:
    created = await create(client, owner)

    reply = await edit(
        client, created["guid"], owner, status="Closed", conclusion="Replaced the router."
    )

    assert reply.status == 200
    assert (reply.body["status"], reply.body["conclusion"]) == ("Closed", "Replaced the router.")


async def test_status_open_on_an_open_issue_changes_nothing(
    client: TestClient, owner: Person
) -> None:
    created = await create(client, owner)

    reply = await edit(client, created["guid"], owner, status="Open", conclusion="Ignored.")

    assert reply.status == 200
    assert (reply.body["status"], reply.body["conclusion"]) == ("Open", None)


@pytest.mark.parametrize(
    "body",
    [
        {"name": "Renamed"},
        {"status": "Open"},
        {"status": "Closed"},
        {"status": "Deleted"},
        {"facts": [{"description": "Late"}]},
        {"invitations": ["late@example.com"]},
        {},
    ],
)
async def test_a_closed_issue_takes_no_more_changes(
    client: TestClient, owner: Person, body: dict[str, Any]
) -> None:
    # given a closed issue
    created = await create(client, owner)
    closed = (await edit(client, created["guid"], owner, status="Closed")).body

    # when any change is asked for
    reply = await edit(client, created["guid"], owner, **body)

    # then it answers 422, and the issue stays as it was
    assert reply.status == 422
    assert reply.body == CLOSED
    assert await shown(client, created, owner) == closed


# --- who may ------------------------------------------------------------------------------------


async def test_another_users_issue_is_not_found(
    client: TestClient, owner: Person, outsider: Person
) -> None:
    created = await create(client, owner)

    reply = await edit(client, created["guid"], outsider, name="Mine now")

    assert reply.status == 404
    assert reply.body == NOT_FOUND
    assert (await shown(client, created, owner))["name"] == created["name"]


async def test_a_visible_issue_the_caller_may_not_manage_is_forbidden(
    client: TestClient, owner: Person, outsider: Person, company: Company
) -> None:
    # given an issue in a public company's category, which an outsider may see
    issue = await make_issue(owner, await make_category(owner, company), name="Public")

    reply = await edit(client, str(issue.guid), outsider, name="Mine now")

    assert reply.status == 403
    assert reply.body == {
        "success": False,
        "message": "You must have access to every company of the issue's categories.",
    }
    assert (await Issue.get(id=issue.id)).name == "Public"


async def test_a_deleted_issue_takes_no_changes(client: TestClient, owner: Person) -> None:
    created = await create(client, owner)
    await edit(client, created["guid"], owner, status="Deleted")

    reply = await edit(client, created["guid"], owner, name="Back")

    assert reply.status == 404
    assert (await shown(client, created, owner))["name"] == created["name"]


@pytest.mark.parametrize("guid", [UNKNOWN_GUID, "search", "388"])
async def test_unknown_guids_are_not_found(client: TestClient, owner: Person, guid: str) -> None:
    reply = await edit(client, guid, owner, name="Anything")

    assert reply.status == 404
    assert reply.body["success"] is False


async def test_without_a_token_nothing_changes(
    client: TestClient, owner: Person, anonymous: Person
) -> None:
    created = await create(client, owner)

    reply = await edit(client, created["guid"], anonymous, name="Anonymous was here")

    assert reply.status == 401
    assert reply.body == UNAUTHENTICATED
    assert (await shown(client, created, owner))["name"] == created["name"]


async def test_a_malformed_body_is_a_400(client: TestClient, owner: Person) -> None:
    created = await create(client, owner)

    reply = await call(
        client,
        "PUT",
        ISSUE.format(created["guid"]),
        as_=owner,
        data=b"{name",
        headers={"Content-Type": "application/json"},
    )

    assert reply.status == 400
    assert reply.body == {"success": False, "message": "The request body is not valid JSON."}


async def test_a_disabled_owner_sent_back_unchanged_is_no_change(
    client: TestClient, owner: Person, member: Person, company: Company
) -> None:
    assert member.user is not None
    created = await create(client, owner, owner_id=member.user.id)
    await User.filter(id=member.user.id).update(status="disabled")

    reply = await edit(client, created["guid"], owner, owner_id=member.user.id, name="Still")

    assert reply.status == 200
    assert reply.body["owner_id"] == member.user.id


# --- what a PUT costs -----------------------------------------------------------------------------


async def test_a_put_changing_one_field_takes_at_most_ten_statements(
    client: TestClient, owner: Person
) -> None:
    # given an issue fetched by its owner (whose token's last use is already recorded)
    fetched = await create(client, owner, description="It started.", tag_list=["network"])

    # when the whole object comes back with one field changed
    with count_sql() as statements:
        reply = await edit(client, fetched["guid"], owner, **{**fetched, "name": "Renamed"})

    # then: the token, the issue with its permission, the change, who hears of it, the answer
    assert reply.status == 200
    assert reply.body["name"] == "Renamed"
    assert len(statements) <= 10, statements


async def test_each_part_sent_with_a_put_adds_a_constant_number_of_statements(
    client: TestClient, owner: Person
) -> None:
    # given an issue
    created = await create(client, owner)

    # when one, then four new facts come with a PUT
    async def statements_for(count: int) -> int:
        facts = [{"description": f"Fact {n}"} for n in range(count)]
        with count_sql() as statements:
            reply = await edit(client, created["guid"], owner, facts=facts)
        assert reply.status == 200
        return len(statements)

    one, four = await statements_for(1), await statements_for(4)
    five = await statements_for(5)

    # then each more fact costs the same
    assert four - one == 3 * (five - four), (one, four, five)
