"""Action items and facts over GraphQL: adding, changing and deleting them, what is invalid, the
issue's matching part time, and finding them by global id."""

from datetime import date, datetime

import pytest

from issuetracker.models import ActionItem, Company, Fact, Issue
from issuetracker.resolvers.issues.parts import PartChanges, add_action_item, add_fact
from issuetracker.schema.relay import to_global_id

from ..support import Api, Person, error_codes, gid, make_category, make_issue
from .collaboration_helpers import join

ITEM_FIELDS = "id databaseId description done dueOn assignee { name } createdBy { name }"

ADD_ACTION_ITEM = f"""
mutation ($input: AddActionItemInput!) {{
  addActionItem(input: $input) {{ actionItem {{ {ITEM_FIELDS} }} errors {{ field message code }} }}
}}
"""

UPDATE_ACTION_ITEM = f"""
mutation ($input: UpdateActionItemInput!) {{
  updateActionItem(input: $input) {{
    actionItem {{ {ITEM_FIELDS} }} errors {{ field message code }}
  }}
}}
"""

DELETE_ACTION_ITEM = """
mutation ($id: ID!) {
  deleteActionItem(input: {id: $id}) { actionItem { description } errors { field message code } }
}
"""

ADD_FACT = """
mutation ($input: AddFactInput!) {
  addFact(input: $input) {
    fact { id databaseId description author { name } } errors { field message code }
  }
}
"""

UPDATE_FACT = """
mutation ($input: UpdateFactInput!) {
  updateFact(input: $input) { fact { description } errors { field message code } }
}
"""

DELETE_FACT = """
mutation ($id: ID!) {
  deleteFact(input: {id: $id}) { fact { description } errors { field message code } }
}
"""

ISSUE_PARTS = """
query ($id: ID!, $first: Int, $after: String) {
  issue(id: $id) {
    createdAt actionItemsUpdatedAt factsUpdatedAt
    actionItems(first: $first, after: $after) {
      nodes { description done dueOn assignee { name } }
      pageInfo { hasNextPage endCursor }
      totalCount
    }
    facts { nodes { description author { name } } totalCount }
  }
}
"""

NODE = """
query ($id: ID!) {
  node(id: $id) { id ... on ActionItem { description } ... on Fact { description } }
}
"""


async def parts_of(api: Api, issue: Issue, as_: Person, **page: object) -> dict:
    variables = {"id": gid("Issue", issue), **page}
    return (await api.data(ISSUE_PARTS, variables, as_=as_))["issue"]


def later(value: str, than: str) -> bool:
    return datetime.fromisoformat(value) > datetime.fromisoformat(than)


async def an_item(by: Person, issue: Issue, description: str = "Call the vendor.") -> ActionItem:
    return await add_action_item(by.scope, issue.id, PartChanges(description=description))


# --- action items -------------------------------------------------------------------------------


async def test_an_action_item_is_added_with_an_assignee_and_a_due_date(
    api: Api, owner: Person, member: Person
) -> None:
    # given an issue the member joined
    issue = await make_issue(owner)
    await join(issue, owner, member)

    # when the owner adds an action item for the member
    body = await api.graphql(
        ADD_ACTION_ITEM,
        {
            "input": {
                "issueId": gid("Issue", issue),
                "description": " Replace the toner. ",
                "assigneeId": member.global_id,
                "dueOn": "2031-03-04",
            }
        },
        as_=owner,
    )

    # then it is open, assigned and due, and the issue lists it with its time moved
    payload = body["data"]["addActionItem"]
    assert payload["errors"] == []
    item = payload["actionItem"]
    assert item["id"] == to_global_id("ActionItem", item["databaseId"])
    assert item["description"] == "Replace the toner."
    assert item["done"] is False
    assert item["dueOn"] == "2031-03-04"
    assert item["assignee"] == {"name": "Mia Member"}
    assert item["createdBy"] == {"name": "Olive Owner"}
    parts = await parts_of(api, issue, owner)
    assert parts["actionItems"]["nodes"] == [
        {
            "description": "Replace the toner.",
            "done": False,
            "dueOn": "2031-03-04",
            "assignee": {"name": "Mia Member"},
        }
    ]
    assert later(parts["actionItemsUpdatedAt"], parts["createdAt"])
    assert parts["factsUpdatedAt"] != parts["actionItemsUpdatedAt"]


@pytest.mark.parametrize(
    ("changes", "error"),
    [
        (
            {"description": "  "},
            {
                "field": "description",
                "message": "The description field is required.",
                "code": "REQUIRED",
            },
        ),
        (
            {"description": "Do.", "assigneeId": "OUTSIDER"},
            {
                "field": "assigneeId",
                "message": "The assignee must take part in the issue.",
                "code": "UNKNOWN",
            },
        ),
        (
            {"description": "Do.", "assigneeId": to_global_id("Fact", 1)},
            {"field": "assigneeId", "message": "The id is not of type User.", "code": "INVALID_ID"},
        ),
    ],
)
async def test_an_action_item_needs_a_description_and_an_assignee_taking_part(
    api: Api, owner: Person, outsider: Person, changes: dict, error: dict
) -> None:
    issue = await make_issue(owner)
    if changes.get("assigneeId") == "OUTSIDER":
        changes = {**changes, "assigneeId": outsider.global_id}

    body = await api.graphql(
        ADD_ACTION_ITEM, {"input": {"issueId": gid("Issue", issue), **changes}}, as_=owner
    )

    assert body["data"]["addActionItem"] == {"actionItem": None, "errors": [error]}
    assert await ActionItem.filter(issue_id=issue.id).count() == 0


async def test_an_action_item_changes_only_in_what_is_given(
    api: Api, owner: Person, member: Person
) -> None:
    # given an assigned action item with a due date
    assert member.user is not None
    issue = await make_issue(owner)
    await join(issue, owner, member)
    item = await add_action_item(
        owner.scope,
        issue.id,
        PartChanges(description="Call.", assignee_id=member.user.id, due_on=date(2031, 1, 2)),
    )
    item_id = gid("ActionItem", item)

    # when it is marked done, then its assignee and due date are cleared with nulls
    done = await api.data(UPDATE_ACTION_ITEM, {"input": {"id": item_id, "done": True}}, as_=member)
    cleared = await api.data(
        UPDATE_ACTION_ITEM,
        {"input": {"id": item_id, "assigneeId": None, "dueOn": None}},
        as_=member,
    )

    # then the first change kept everything else, the second cleared only those two
    assert done["updateActionItem"]["actionItem"] == {
        "id": item_id,
        "databaseId": item.id,
        "description": "Call.",
        "done": True,
        "dueOn": "2031-01-02",
        "assignee": {"name": "Mia Member"},
        "createdBy": {"name": "Olive Owner"},
    }
    after = cleared["updateActionItem"]["actionItem"]
    assert (after["description"], after["done"]) == ("Call.", True)
    assert (after["assignee"], after["dueOn"]) == (None, None)


async def test_an_action_item_can_be_reassigned_and_renamed(
    api: Api, owner: Person, member: Person
) -> None:
    issue = await make_issue(owner)
    await join(issue, owner, member)
    item = await an_item(owner, issue)

    data = await api.data(
        UPDATE_ACTION_ITEM,
        {
            "input": {
                "id": gid("ActionItem", item),
                "description": "Email the vendor.",
                "assigneeId": member.global_id,
                "dueOn": "2032-05-06",
            }
        },
        as_=owner,
    )

    after = data["updateActionItem"]["actionItem"]
    assert after["description"] == "Email the vendor."
    assert after["assignee"] == {"name": "Mia Member"}
    assert after["dueOn"] == "2032-05-06"


async def test_an_invalid_change_to_an_action_item_changes_nothing(
    api: Api, owner: Person, outsider: Person
) -> None:
    issue = await make_issue(owner)
    item = await an_item(owner, issue, "Call.")

    body = await api.graphql(
        UPDATE_ACTION_ITEM,
        {
            "input": {
                "id": gid("ActionItem", item),
                "description": "",
                "assigneeId": outsider.global_id,
            }
        },
        as_=owner,
    )

    assert [e["field"] for e in body["data"]["updateActionItem"]["errors"]] == [
        "description",
        "assigneeId",
    ]
    stored = await ActionItem.get(id=item.id)
    assert (stored.description, stored.assignee_id) == ("Call.", None)


async def test_a_deleted_action_item_is_gone(api: Api, owner: Person) -> None:
    # given an issue with two action items
    issue = await make_issue(owner)
    item = await an_item(owner, issue, "First.")
    await an_item(owner, issue, "Second.")

    # when the first is deleted
    data = await api.data(DELETE_ACTION_ITEM, {"id": gid("ActionItem", item)}, as_=owner)

    # then the payload shows what it was, and only the second is left
    assert data["deleteActionItem"] == {"actionItem": {"description": "First."}, "errors": []}
    parts = await parts_of(api, issue, owner)
    assert parts["actionItems"]["nodes"][0]["description"] == "Second."
    assert parts["actionItems"]["totalCount"] == 1
    # and deleting it again, or finding it, finds nothing
    again = await api.graphql(DELETE_ACTION_ITEM, {"id": gid("ActionItem", item)}, as_=owner)
    assert error_codes(again) == ["NOT_FOUND"]
    assert error_codes(await api.graphql(NODE, {"id": gid("ActionItem", item)}, as_=owner)) == [
        "NOT_FOUND"
    ]


async def test_action_items_are_a_connection_oldest_first(api: Api, owner: Person) -> None:
    issue = await make_issue(owner)
    for number in range(3):
        await an_item(owner, issue, f"Step {number}")

    first = await parts_of(api, issue, owner, first=2)
    rest = await parts_of(
        api, issue, owner, first=2, after=first["actionItems"]["pageInfo"]["endCursor"]
    )

    assert [n["description"] for n in first["actionItems"]["nodes"]] == ["Step 0", "Step 1"]
    assert first["actionItems"]["pageInfo"]["hasNextPage"] is True
    assert [n["description"] for n in rest["actionItems"]["nodes"]] == ["Step 2"]
    assert rest["actionItems"]["pageInfo"]["hasNextPage"] is False


@pytest.mark.parametrize(
    "mutation", [UPDATE_ACTION_ITEM, DELETE_ACTION_ITEM], ids=["update", "delete"]
)
async def test_an_unknown_action_item_is_not_found(api: Api, owner: Person, mutation: str) -> None:
    unknown = to_global_id("ActionItem", 987654)
    variables = {"input": {"id": unknown}} if mutation == UPDATE_ACTION_ITEM else {"id": unknown}

    body = await api.graphql(mutation, variables, as_=owner)

    assert error_codes(body) == ["NOT_FOUND"]


async def test_an_action_item_id_of_another_type_is_invalid(api: Api, owner: Person) -> None:
    issue = await make_issue(owner)

    body = await api.graphql(DELETE_ACTION_ITEM, {"id": gid("Issue", issue)}, as_=owner)

    assert body["data"]["deleteActionItem"]["errors"] == [
        {"field": "id", "message": "The id is not of type ActionItem.", "code": "INVALID_ID"}
    ]


# --- facts --------------------------------------------------------------------------------------


async def test_a_fact_is_added_changed_and_deleted(api: Api, owner: Person, member: Person) -> None:
    issue = await make_issue(owner)
    await join(issue, owner, member)

    # when the member adds a fact
    added = await api.data(
        ADD_FACT,
        {"input": {"issueId": gid("Issue", issue), "description": " Disk full. "}},
        as_=member,
    )

    # then it is the member's, and the issue's facts time moved
    fact = added["addFact"]["fact"]
    assert added["addFact"]["errors"] == []
    assert fact["id"] == to_global_id("Fact", fact["databaseId"])
    assert (fact["description"], fact["author"]) == ("Disk full.", {"name": "Mia Member"})
    parts = await parts_of(api, issue, owner)
    assert parts["facts"]["nodes"] == [
        {"description": "Disk full.", "author": {"name": "Mia Member"}}
    ]
    assert later(parts["factsUpdatedAt"], parts["createdAt"])

    # when the owner corrects it, then deletes it
    changed = await api.data(
        UPDATE_FACT, {"input": {"id": fact["id"], "description": "Disk 99% full."}}, as_=owner
    )
    assert changed["updateFact"] == {"fact": {"description": "Disk 99% full."}, "errors": []}
    corrected = await parts_of(api, issue, owner)
    assert later(corrected["factsUpdatedAt"], parts["factsUpdatedAt"])
    deleted = await api.data(DELETE_FACT, {"id": fact["id"]}, as_=owner)

    # then the deleted fact is shown as it was, and the issue has none
    assert deleted["deleteFact"] == {"fact": {"description": "Disk 99% full."}, "errors": []}
    assert (await parts_of(api, issue, owner))["facts"] == {"nodes": [], "totalCount": 0}


async def test_a_fact_needs_a_description(api: Api, owner: Person) -> None:
    issue = await make_issue(owner)
    fact = await add_fact(owner.scope, issue.id, "Known.")
    required = {
        "field": "description",
        "message": "The description field is required.",
        "code": "REQUIRED",
    }

    added = await api.graphql(
        ADD_FACT, {"input": {"issueId": gid("Issue", issue), "description": " "}}, as_=owner
    )
    changed = await api.graphql(
        UPDATE_FACT, {"input": {"id": gid("Fact", fact), "description": ""}}, as_=owner
    )

    assert added["data"]["addFact"] == {"fact": None, "errors": [required]}
    assert changed["data"]["updateFact"] == {"fact": None, "errors": [required]}
    assert [f.description for f in await Fact.filter(issue_id=issue.id)] == ["Known."]


# --- finding parts by global id -----------------------------------------------------------------


async def test_parts_are_found_by_those_who_see_the_issue(
    api: Api, owner: Person, member: Person, outsider: Person, company: Company
) -> None:
    # given a public issue and a private one (without categories), each with an item and a fact
    public = await make_issue(owner, await make_category(owner, company))
    private = await make_issue(owner)
    ids = {}
    for label, issue in (("public", public), ("private", private)):
        ids[f"{label} item"] = gid("ActionItem", await an_item(owner, issue, f"{label} item"))
        ids[f"{label} fact"] = gid("Fact", await add_fact(owner.scope, issue.id, f"{label} fact"))

    # then anyone finds the public issue's parts, only those taking part the private one's
    for label, global_id in ids.items():
        found = await api.data(NODE, {"id": global_id}, as_=owner)
        assert found["node"] == {"id": global_id, "description": label}
        outsiders = await api.graphql(NODE, {"id": global_id}, as_=outsider)
        if label.startswith("public"):
            assert outsiders["data"]["node"]["description"] == label
        else:
            assert error_codes(outsiders) == ["NOT_FOUND"]
