"""Changing issues over GraphQL: createIssue, updateIssue, addIssueEvent, closeIssue and
deleteIssue, who may do each, and what a refused or invalid change leaves behind (nothing)."""

from collections.abc import Callable
from typing import Any

import pytest

from issuetracker.models import Issue, IssueParticipant, Membership, Role
from issuetracker.schema.relay import to_global_id

from ..support import Api, Person, error_codes, gid, make_category, make_company, make_issue

CREATE_ISSUE = """
mutation ($input: CreateIssueInput!) {
  createIssue(input: $input) {
    issue {
      id name description severity status
      owner { name }
      participants { name }
      tags
      categories { nodes { name } }
      events { nodes { kind description author { name } } }
    }
    errors { field message code }
  }
}
"""

UPDATE_ISSUE = """
mutation ($input: UpdateIssueInput!) {
  updateIssue(input: $input) {
    issue { id name description severity tags categories { nodes { name } } }
    errors { field message code }
  }
}
"""

ADD_ISSUE_EVENT = """
mutation ($input: AddIssueEventInput!) {
  addIssueEvent(input: $input) {
    event { kind description author { name } }
    errors { field message code }
  }
}
"""

CLOSE_ISSUE = """
mutation ($input: CloseIssueInput!) {
  closeIssue(input: $input) {
    issue { status conclusion closedAt }
    errors { field message code }
  }
}
"""

DELETE_ISSUE = """
mutation ($input: DeleteIssueInput!) {
  deleteIssue(input: $input) {
    issue { id name }
    errors { field message code }
  }
}
"""

ISSUE_STATE = """
query ($id: ID!) {
  issue(id: $id) {
    name description severity status conclusion closedAt updatedAt tags
    categories { nodes { name } }
    events { nodes { kind description author { name } } }
  }
}
"""

ISSUE_COUNT = """
query { issues { totalCount } }
"""

ISSUE_NAMES = """
query { issues { nodes { name } } }
"""

Attempt = tuple[str, Callable[[str], dict[str, Any]]]

CHANGES: dict[str, Attempt] = {
    "updateIssue": (
        UPDATE_ISSUE,
        lambda id_: {"id": id_, "name": "Renamed", "description": "New."},
    ),
    "addIssueEvent": (ADD_ISSUE_EVENT, lambda id_: {"issueId": id_, "description": "A note."}),
    "closeIssue": (CLOSE_ISSUE, lambda id_: {"id": id_, "description": "Fixed."}),
    "deleteIssue": (DELETE_ISSUE, lambda id_: {"id": id_}),
}
"""Every change to an existing issue, with an input that would succeed if allowed."""

ALL_CHANGES = list(CHANGES)


async def state_of(api: Api, issue: Issue, as_: Person) -> dict[str, Any]:
    """What a reader sees of the issue: a refused change must leave all of it as it was."""
    return (await api.data(ISSUE_STATE, {"id": gid("Issue", issue)}, as_=as_))["issue"]


async def attempt(api: Api, mutation: str, issue: Issue | str, as_: Person) -> dict[str, Any]:
    """Try one change on an issue (or on a global id)."""
    query, make_input = CHANGES[mutation]
    issue_id = issue if isinstance(issue, str) else gid("Issue", issue)
    return await api.graphql(query, {"input": make_input(issue_id)}, as_=as_)


async def close(api: Api, issue: Issue, as_: Person) -> None:
    data = await api.data(
        CLOSE_ISSUE, {"input": {"id": gid("Issue", issue), "description": "Done."}}, as_=as_
    )
    assert data["closeIssue"]["errors"] == []


# --- createIssue --------------------------------------------------------------------------------


async def test_a_member_creates_an_issue_whose_description_opens_the_timeline(
    api: Api, member: Person, company
) -> None:
    # given a category of the member's company
    category = await make_category(member, company, "Printers")

    # when the member creates an issue in it
    body = await api.graphql(
        CREATE_ISSUE,
        {
            "input": {
                "name": "  Printer down  ",
                "description": "Nothing prints.",
                "severity": "CRITICAL",
                "categoryIds": [gid("Category", category)],
                "tags": ["Hardware", " urgent", "hardware"],
            }
        },
        as_=member,
    )

    # then the issue exists, owned by the member, and its description is the first event
    payload = body["data"]["createIssue"]
    assert payload["errors"] == []
    issue = payload["issue"]
    assert issue["name"] == "Printer down"
    assert issue["description"] == "Nothing prints."
    assert issue["severity"] == "CRITICAL"
    assert issue["status"] == "OPEN"
    assert issue["owner"] == {"name": "Mia Member"}
    assert issue["participants"] == [{"name": "Mia Member"}]
    assert issue["tags"] == ["hardware", "urgent"]
    assert issue["categories"]["nodes"] == [{"name": "Printers"}]
    assert issue["events"]["nodes"] == [
        {"kind": "CREATED", "description": "Nothing prints.", "author": {"name": "Mia Member"}}
    ]
    assert (await api.data(ISSUE_NAMES))["issues"]["nodes"] == [{"name": "Printer down"}]


async def test_severity_defaults_to_info(api: Api, member: Person, company) -> None:
    # when an issue is created without a severity
    category = await make_category(member, company)
    data = await api.data(
        CREATE_ISSUE,
        {
            "input": {
                "name": "Slow",
                "description": "A bit.",
                "categoryIds": [gid("Category", category)],
            }
        },
        as_=member,
    )

    # then it is INFO
    assert data["createIssue"]["issue"]["severity"] == "INFO"


async def test_anonymous_may_not_create_an_issue(api: Api, owner: Person, company) -> None:
    # given a public category
    category = await make_category(owner, company)

    # when anonymous tries to create an issue in it
    body = await api.graphql(
        CREATE_ISSUE,
        {
            "input": {
                "name": "Spam",
                "description": "Spam.",
                "categoryIds": [gid("Category", category)],
            }
        },
    )

    # then it is refused at the top level, and nothing was created
    assert body["status"] == 200
    assert error_codes(body) == ["UNAUTHENTICATED"]
    assert body["errors"][0]["message"] == "Unauthenticated."
    assert body["data"] is None
    assert (await api.data(ISSUE_COUNT, as_=owner))["issues"]["totalCount"] == 0


async def test_an_outsider_may_not_create_an_issue_in_a_public_company(
    api: Api, owner: Person, outsider: Person, company
) -> None:
    # given a public company's category
    category = await make_category(owner, company)

    # when an outsider tries to create an issue in it
    body = await api.graphql(
        CREATE_ISSUE,
        {
            "input": {
                "name": "Mine",
                "description": "Hi.",
                "categoryIds": [gid("Category", category)],
            }
        },
        as_=outsider,
    )

    # then it is forbidden, and nothing was created
    assert error_codes(body) == ["FORBIDDEN"]
    assert body["errors"][0]["message"] == (
        "You must have access to every company of the issue's categories."
    )
    assert (await api.data(ISSUE_COUNT, as_=owner))["issues"]["totalCount"] == 0
    assert (await api.data(ISSUE_COUNT, as_=outsider))["issues"]["totalCount"] == 0


async def test_creating_needs_access_to_every_company_of_the_categories(
    api: Api, owner: Person, member: Person, outsider: Person, company
) -> None:
    # given categories of two public companies; the member is in one, the outsider in both
    ours = await make_category(owner, company)
    theirs = await make_category(outsider, await make_company(outsider, name="Elsewhere"))
    await Membership.create(user=outsider.user, company=company, role=Role.MEMBER)
    both = {
        "name": "Both",
        "description": "Hi.",
        "categoryIds": [gid("Category", ours), gid("Category", theirs)],
    }

    # when each creates an issue in both categories
    refused = await api.graphql(CREATE_ISSUE, {"input": both}, as_=member)
    allowed = await api.graphql(CREATE_ISSUE, {"input": both}, as_=outsider)

    # then only the member of every company may
    assert error_codes(refused) == ["FORBIDDEN"]
    assert error_codes(allowed) == []
    assert allowed["data"]["createIssue"]["errors"] == []
    assert (await api.data(ISSUE_COUNT, as_=owner))["issues"]["totalCount"] == 1


async def test_an_issue_without_categories_belongs_to_its_owner(
    api: Api, owner: Person, member: Person, outsider: Person, company
) -> None:
    # when a signed-in user creates an issue without categories
    data = await api.data(
        CREATE_ISSUE, {"input": {"name": "Kinetic", "description": "Hi."}}, as_=outsider
    )
    issue_id = data["createIssue"]["issue"]["id"]

    # then the owner sees it, and nobody else does
    assert data["createIssue"]["errors"] == []
    assert data["createIssue"]["issue"]["categories"]["nodes"] == []
    assert (await api.data(ISSUE_COUNT, as_=outsider))["issues"]["totalCount"] == 1
    assert (await api.data(ISSUE_COUNT, as_=member))["issues"]["totalCount"] == 0
    assert (await api.data(ISSUE_COUNT))["issues"]["totalCount"] == 0
    hidden = await api.graphql(ISSUE_STATE, {"id": issue_id}, as_=owner)
    assert error_codes(hidden) == ["NOT_FOUND"]


async def test_an_empty_name_is_refused_in_the_payload(api: Api, member: Person, company) -> None:
    # given a category of the member's company
    category = await make_category(member, company)

    # when the member creates an issue with a blank name
    data = await api.data(
        CREATE_ISSUE,
        {
            "input": {
                "name": "   ",
                "description": "Hi.",
                "categoryIds": [gid("Category", category)],
            }
        },
        as_=member,
    )

    # then the payload names the field, and nothing was created
    assert data["createIssue"] == {
        "issue": None,
        "errors": [{"field": "name", "message": "The name field is required.", "code": "REQUIRED"}],
    }
    assert (await api.data(ISSUE_COUNT, as_=member))["issues"]["totalCount"] == 0


@pytest.mark.parametrize(
    "category_id",
    ["missing", "private"],
)
async def test_unknown_or_hidden_categories_are_refused_in_the_payload(
    api: Api, owner: Person, outsider: Person, private_company, category_id: str
) -> None:
    # given a category id that does not exist, or one of a company the outsider cannot see
    hidden = await make_category(owner, private_company)
    wanted = gid("Category", hidden) if category_id == "private" else to_global_id("Category", 404)

    # when the outsider creates an issue in it
    data = await api.data(
        CREATE_ISSUE,
        {"input": {"name": "Hi", "description": "Hi.", "categoryIds": [wanted]}},
        as_=outsider,
    )

    # then both look the same: the field is invalid; nothing was created
    assert data["createIssue"] == {
        "issue": None,
        "errors": [
            {
                "field": "categoryIds",
                "message": "The selected category ids are invalid.",
                "code": "UNKNOWN",
            }
        ],
    }
    assert (await api.data(ISSUE_COUNT, as_=owner))["issues"]["totalCount"] == 0


async def test_a_malformed_category_id_is_refused_in_the_payload(
    api: Api, member: Person, company
) -> None:
    # when a category is named by something that is not a category id
    data = await api.data(
        CREATE_ISSUE,
        {"input": {"name": "Hi", "description": "Hi.", "categoryIds": [gid("Company", company)]}},
        as_=member,
    )

    # then the payload names the field
    assert data["createIssue"]["issue"] is None
    assert data["createIssue"]["errors"] == [
        {"field": "categoryIds", "message": "The id is not of type Category.", "code": "INVALID_ID"}
    ]


async def test_every_invalid_field_is_reported_at_once(api: Api, member: Person) -> None:
    # when an issue is created with a blank name, 21 tags and an unknown category
    data = await api.data(
        CREATE_ISSUE,
        {
            "input": {
                "name": "",
                "description": "Hi.",
                "categoryIds": [to_global_id("Category", 404)],
                "tags": [f"tag-{number}" for number in range(21)],
            }
        },
        as_=member,
    )

    # then each field has its error, and nothing was created
    assert data["createIssue"]["issue"] is None
    assert data["createIssue"]["errors"] == [
        {"field": "name", "message": "The name field is required.", "code": "REQUIRED"},
        {"field": "tags", "message": "An issue may carry at most 20 tags.", "code": "TOO_MANY"},
        {
            "field": "categoryIds",
            "message": "The selected category ids are invalid.",
            "code": "UNKNOWN",
        },
    ]
    assert (await api.data(ISSUE_COUNT, as_=member))["issues"]["totalCount"] == 0


# --- updateIssue --------------------------------------------------------------------------------


async def test_a_member_updates_an_issue_and_the_description_becomes_an_update(
    api: Api, owner: Person, member: Person, company
) -> None:
    # given an issue by the owner
    issue = await make_issue(owner, await make_category(owner, company), description="Broken.")

    # when a member renames it, raises its severity and describes the change
    data = await api.data(
        UPDATE_ISSUE,
        {
            "input": {
                "id": gid("Issue", issue),
                "name": "Printer on fire",
                "severity": "CRITICAL",
                "description": "Now it smokes.",
            }
        },
        as_=member,
    )

    # then the issue is changed and the timeline has an UPDATED event by the member
    assert data["updateIssue"]["errors"] == []
    state = await state_of(api, issue, owner)
    assert state["name"] == "Printer on fire"
    assert state["severity"] == "CRITICAL"
    assert state["description"] == "Now it smokes."
    assert state["events"]["nodes"] == [
        {"kind": "CREATED", "description": "Broken.", "author": {"name": "Olive Owner"}},
        {"kind": "UPDATED", "description": "Now it smokes.", "author": {"name": "Mia Member"}},
    ]


async def test_an_update_without_description_adds_no_event(
    api: Api, owner: Person, company
) -> None:
    # given an issue
    issue = await make_issue(owner, await make_category(owner, company), description="Broken.")

    # when only its name changes
    data = await api.data(
        UPDATE_ISSUE, {"input": {"id": gid("Issue", issue), "name": "Renamed"}}, as_=owner
    )

    # then the name changes, and the description and timeline stay
    assert data["updateIssue"]["issue"]["name"] == "Renamed"
    state = await state_of(api, issue, owner)
    assert state["description"] == "Broken."
    assert [event["kind"] for event in state["events"]["nodes"]] == ["CREATED"]


async def test_category_ids_are_synced_when_given(api: Api, owner: Person, company) -> None:
    # given an issue in two of three categories
    network = await make_category(owner, company, "Network")
    printers = await make_category(owner, company, "Printers")
    phones = await make_category(owner, company, "Phones")
    issue = await make_issue(owner, network, printers)

    # when its categories are set to two others
    wanted = [gid("Category", printers), gid("Category", phones)]
    data = await api.data(
        UPDATE_ISSUE, {"input": {"id": gid("Issue", issue), "categoryIds": wanted}}, as_=owner
    )

    # then the issue is in exactly those
    assert data["updateIssue"]["issue"]["categories"]["nodes"] == [
        {"name": "Printers"},
        {"name": "Phones"},
    ]
    assert (await state_of(api, issue, owner))["categories"]["nodes"] == [
        {"name": "Printers"},
        {"name": "Phones"},
    ]


async def test_categories_and_tags_stay_when_not_given(api: Api, owner: Person, company) -> None:
    # given an issue with a category and tags
    issue = await make_issue(owner, await make_category(owner, company, "Network"), tags=["a", "b"])

    # when it is updated without categoryIds or tags
    await api.data(UPDATE_ISSUE, {"input": {"id": gid("Issue", issue), "name": "New"}}, as_=owner)

    # then both stay as they were
    state = await state_of(api, issue, owner)
    assert state["categories"]["nodes"] == [{"name": "Network"}]
    assert state["tags"] == ["a", "b"]


async def test_tags_are_synced_when_given(api: Api, owner: Person, company) -> None:
    # given an issue with tags
    issue = await make_issue(owner, await make_category(owner, company), tags=["old", "kept"])

    # when its tags are set, and then cleared
    replaced = await api.data(
        UPDATE_ISSUE,
        {"input": {"id": gid("Issue", issue), "tags": ["Kept", "new"]}},
        as_=owner,
    )
    cleared = await api.data(
        UPDATE_ISSUE, {"input": {"id": gid("Issue", issue), "tags": []}}, as_=owner
    )

    # then the issue carries exactly the given tags each time
    assert replaced["updateIssue"]["issue"]["tags"] == ["kept", "new"]
    assert cleared["updateIssue"]["issue"]["tags"] == []
    assert (await state_of(api, issue, owner))["tags"] == []


async def test_moving_an_issue_into_a_company_you_are_not_in_is_forbidden(
    api: Api, owner: Person, member: Person, outsider: Person, company
) -> None:
    # given an issue of the member's company, and a public company the member is not in
    issue = await make_issue(owner, await make_category(owner, company))
    elsewhere = await make_category(outsider, await make_company(outsider, name="Elsewhere"))
    before = await state_of(api, issue, owner)

    # when the member moves the issue into the other company's category
    body = await api.graphql(
        UPDATE_ISSUE,
        {
            "input": {
                "id": gid("Issue", issue),
                "name": "Moved",
                "categoryIds": [gid("Category", elsewhere)],
            }
        },
        as_=member,
    )

    # then it is forbidden, and nothing changed
    assert error_codes(body) == ["FORBIDDEN"]
    assert body["errors"][0]["message"] == (
        "You must have access to every company of the issue's categories."
    )
    assert await state_of(api, issue, owner) == before


async def test_moving_an_issue_into_a_hidden_category_is_refused_in_the_payload(
    api: Api, owner: Person, outsider: Person, private_company
) -> None:
    # given an issue without categories owned by the outsider, and a hidden category
    issue = await make_issue(outsider, name="Kinetic")
    hidden = await make_category(owner, private_company)
    before = await state_of(api, issue, outsider)

    # when the outsider moves the issue into the hidden category
    data = await api.data(
        UPDATE_ISSUE,
        {"input": {"id": gid("Issue", issue), "categoryIds": [gid("Category", hidden)]}},
        as_=outsider,
    )

    # then the category counts as unknown, and nothing changed
    assert data["updateIssue"] == {
        "issue": None,
        "errors": [
            {
                "field": "categoryIds",
                "message": "The selected category ids are invalid.",
                "code": "UNKNOWN",
            }
        ],
    }
    assert await state_of(api, issue, outsider) == before


async def test_an_invalid_update_changes_nothing(api: Api, owner: Person, company) -> None:
    # given an issue
    issue = await make_issue(owner, await make_category(owner, company), tags=["kept"])
    before = await state_of(api, issue, owner)

    # when an update has a valid description and tags but a blank name and an unknown category
    data = await api.data(
        UPDATE_ISSUE,
        {
            "input": {
                "id": gid("Issue", issue),
                "name": " ",
                "description": "Should not be recorded.",
                "tags": ["new"],
                "categoryIds": [to_global_id("Category", 404)],
            }
        },
        as_=owner,
    )

    # then both fields are reported, and nothing changed
    assert data["updateIssue"]["issue"] is None
    assert [error["field"] for error in data["updateIssue"]["errors"]] == ["name", "categoryIds"]
    assert data["updateIssue"]["errors"][0]["code"] == "REQUIRED"
    assert await state_of(api, issue, owner) == before


async def test_a_blank_description_in_an_update_is_no_description(
    api: Api, owner: Person, company
) -> None:
    # given an issue
    issue = await make_issue(owner, await make_category(owner, company), description="Broken.")

    # when it is renamed with a blank description
    data = await api.data(
        UPDATE_ISSUE,
        {"input": {"id": gid("Issue", issue), "name": "Renamed", "description": "   "}},
        as_=owner,
    )

    # then the name changes, but the description stays and no blank event is recorded
    assert data["updateIssue"]["errors"] == []
    state = await state_of(api, issue, owner)
    assert state["name"] == "Renamed"
    assert state["description"] == "Broken."
    assert [event["kind"] for event in state["events"]["nodes"]] == ["CREATED"]


async def test_descriptions_are_trimmed_like_every_other_text(
    api: Api, owner: Person, company
) -> None:
    # given an issue created with a padded description
    category = await make_category(owner, company)
    created = await api.data(
        CREATE_ISSUE,
        {
            "input": {
                "name": "Padded",
                "description": "  It broke.\n",
                "categoryIds": [gid("Category", category)],
            }
        },
        as_=owner,
    )
    issue_id = created["createIssue"]["issue"]["id"]

    # when it is updated with a padded description
    await api.data(
        UPDATE_ISSUE, {"input": {"id": issue_id, "description": " Still broken. "}}, as_=owner
    )

    # then the issue and its events hold the trimmed text
    state = (await api.data(ISSUE_STATE, {"id": issue_id}, as_=owner))["issue"]
    assert state["description"] == "Still broken."
    assert [event["description"] for event in state["events"]["nodes"]] == [
        "It broke.",
        "Still broken.",
    ]


async def test_a_too_long_name_is_refused_in_the_payload(api: Api, owner: Person, company) -> None:
    # given an issue
    issue = await make_issue(owner, await make_category(owner, company))
    before = await state_of(api, issue, owner)

    # when it is renamed to 256 characters
    data = await api.data(
        UPDATE_ISSUE, {"input": {"id": gid("Issue", issue), "name": "x" * 256}}, as_=owner
    )

    # then the payload names the field, and nothing changed
    assert data["updateIssue"]["errors"] == [
        {
            "field": "name",
            "message": "The name may not be greater than 255 characters.",
            "code": "TOO_LONG",
        }
    ]
    assert await state_of(api, issue, owner) == before


# --- addIssueEvent ------------------------------------------------------------------------------


async def test_a_member_adds_a_note_to_the_timeline(
    api: Api, owner: Person, member: Person, company
) -> None:
    # given an issue
    issue = await make_issue(owner, await make_category(owner, company), description="Broken.")
    before = await state_of(api, issue, owner)

    # when a member adds a note
    data = await api.data(
        ADD_ISSUE_EVENT,
        {"input": {"issueId": gid("Issue", issue), "description": "Ordered a new cable."}},
        as_=member,
    )

    # then the note is the newest event, by the member; the description is unchanged
    note = {"kind": "NOTE", "description": "Ordered a new cable.", "author": {"name": "Mia Member"}}
    assert data["addIssueEvent"] == {"event": note, "errors": []}
    state = await state_of(api, issue, owner)
    assert state["events"]["nodes"][-1] == note
    assert len(state["events"]["nodes"]) == 2
    assert state["description"] == "Broken."
    assert state["updatedAt"] > before["updatedAt"]


async def test_an_empty_note_is_refused_in_the_payload(api: Api, owner: Person, company) -> None:
    # given an issue
    issue = await make_issue(owner, await make_category(owner, company))
    before = await state_of(api, issue, owner)

    # when a blank note is added
    data = await api.data(
        ADD_ISSUE_EVENT, {"input": {"issueId": gid("Issue", issue), "description": "  "}}, as_=owner
    )

    # then the payload names the field, and nothing changed
    assert data["addIssueEvent"] == {
        "event": None,
        "errors": [
            {
                "field": "description",
                "message": "The description field is required.",
                "code": "REQUIRED",
            }
        ],
    }
    assert await state_of(api, issue, owner) == before


# --- closeIssue ---------------------------------------------------------------------------------


async def test_a_member_closes_an_issue_with_a_conclusion(
    api: Api, owner: Person, member: Person, company
) -> None:
    # given an open issue
    issue = await make_issue(owner, await make_category(owner, company), description="Broken.")

    # when a member closes it with a description
    data = await api.data(
        CLOSE_ISSUE,
        {"input": {"id": gid("Issue", issue), "description": "Replaced the cable."}},
        as_=member,
    )

    # then it is closed, the description kept as conclusion and as the CLOSED event
    closed = data["closeIssue"]
    assert closed["errors"] == []
    assert closed["issue"]["status"] == "CLOSED"
    assert closed["issue"]["conclusion"] == "Replaced the cable."
    assert closed["issue"]["closedAt"] is not None
    state = await state_of(api, issue, owner)
    assert state["status"] == "CLOSED"
    assert state["closedAt"] == closed["issue"]["closedAt"]
    assert state["description"] == "Broken."
    assert state["events"]["nodes"][-1] == {
        "kind": "CLOSED",
        "description": "Replaced the cable.",
        "author": {"name": "Mia Member"},
    }


async def test_closing_without_a_description_is_refused_in_the_payload(
    api: Api, owner: Person, company
) -> None:
    # given an open issue
    issue = await make_issue(owner, await make_category(owner, company))
    before = await state_of(api, issue, owner)

    # when it is closed with a blank description
    data = await api.data(
        CLOSE_ISSUE, {"input": {"id": gid("Issue", issue), "description": ""}}, as_=owner
    )

    # then the payload names the field, and the issue stays open
    assert data["closeIssue"]["issue"] is None
    assert data["closeIssue"]["errors"] == [
        {
            "field": "description",
            "message": "The description field is required.",
            "code": "REQUIRED",
        }
    ]
    assert await state_of(api, issue, owner) == before


# --- deleteIssue --------------------------------------------------------------------------------


async def test_a_member_deletes_an_issue_softly(
    api: Api, owner: Person, member: Person, company
) -> None:
    # given an issue
    issue = await make_issue(owner, await make_category(owner, company), name="Obsolete")

    # when a member deletes it
    data = await api.data(DELETE_ISSUE, {"input": {"id": gid("Issue", issue)}}, as_=member)

    # then the payload shows it one last time; afterwards it is gone from reads, but kept
    assert data["deleteIssue"] == {
        "issue": {"id": gid("Issue", issue), "name": "Obsolete"},
        "errors": [],
    }
    gone = await api.graphql(ISSUE_STATE, {"id": gid("Issue", issue)}, as_=owner)
    assert error_codes(gone) == ["NOT_FOUND"]
    assert (await api.data(ISSUE_COUNT, as_=owner))["issues"]["totalCount"] == 0
    assert await Issue.filter(id=issue.id, deleted_at__isnull=False).exists()


async def test_a_deleted_issue_cannot_be_changed_any_more(api: Api, owner: Person, company) -> None:
    # given a deleted issue
    issue = await make_issue(owner, await make_category(owner, company))
    await api.data(DELETE_ISSUE, {"input": {"id": gid("Issue", issue)}}, as_=owner)

    # when its owner tries every change
    answers = [await attempt(api, mutation, issue, owner) for mutation in ALL_CHANGES]

    # then each answers NOT_FOUND
    assert [error_codes(body) for body in answers] == [["NOT_FOUND"]] * len(ALL_CHANGES)


# --- who may change an issue (every mutation) ---------------------------------------------------


@pytest.mark.parametrize("mutation", ALL_CHANGES)
async def test_anonymous_may_not_change_an_issue(
    api: Api, owner: Person, anonymous: Person, company, mutation: str
) -> None:
    # given a public issue
    issue = await make_issue(owner, await make_category(owner, company))
    before = await state_of(api, issue, owner)

    # when anonymous tries to change it
    body = await attempt(api, mutation, issue, anonymous)

    # then it is refused at the top level, and nothing changed
    assert error_codes(body) == ["UNAUTHENTICATED"]
    assert body["errors"][0]["message"] == "Unauthenticated."
    assert body["errors"][0]["path"] == [mutation]
    assert await state_of(api, issue, owner) == before


@pytest.mark.parametrize("mutation", ALL_CHANGES)
async def test_an_outsider_may_not_change_a_public_issue(
    api: Api, owner: Person, outsider: Person, company, mutation: str
) -> None:
    # given a public issue the outsider can see
    issue = await make_issue(owner, await make_category(owner, company))
    before = await state_of(api, issue, owner)

    # when the outsider tries to change it
    body = await attempt(api, mutation, issue, outsider)

    # then it is forbidden, and nothing changed
    assert error_codes(body) == ["FORBIDDEN"]
    assert body["errors"][0]["message"] == (
        "You must have access to every company of the issue's categories."
    )
    assert await state_of(api, issue, owner) == before


@pytest.mark.parametrize("mutation", ALL_CHANGES)
async def test_a_hidden_issue_is_not_found_like_a_missing_one(
    api: Api, owner: Person, outsider: Person, private_company, mutation: str
) -> None:
    # given an issue of a private company
    issue = await make_issue(owner, await make_category(owner, private_company))
    before = await state_of(api, issue, owner)

    # when an outsider tries to change it, and an issue that does not exist
    hidden = await attempt(api, mutation, issue, outsider)
    missing = await attempt(api, mutation, to_global_id("Issue", issue.id + 1000), outsider)

    # then both answer the same NOT_FOUND, and nothing changed
    assert error_codes(hidden) == ["NOT_FOUND"]
    assert error_codes(missing) == ["NOT_FOUND"]
    assert hidden["errors"][0]["message"] == missing["errors"][0]["message"] == "Issue not found."
    assert await state_of(api, issue, owner) == before


@pytest.mark.parametrize("mutation", ALL_CHANGES)
@pytest.mark.parametrize("role", ["owner", "admin", "member"])
async def test_every_member_of_the_company_may_change_an_issue(
    api: Api,
    owner: Person,
    admin: Person,
    member: Person,
    private_company,
    role: str,
    mutation: str,
) -> None:
    # given an issue of a private company, created by its owner
    issue = await make_issue(owner, await make_category(owner, private_company))
    person = {"owner": owner, "admin": admin, "member": member}[role]

    # when a member of any role changes it
    body = await attempt(api, mutation, issue, person)

    # then the change is made
    assert error_codes(body) == []
    assert body["data"][mutation]["errors"] == []


@pytest.mark.parametrize("mutation", ALL_CHANGES)
async def test_changing_needs_access_to_every_company_of_the_issue(
    api: Api, owner: Person, member: Person, outsider: Person, company, mutation: str
) -> None:
    # given an issue in categories of two companies: the member is in one, the outsider in both
    ours = await make_category(owner, company)
    theirs = await make_category(outsider, await make_company(outsider, name="Elsewhere"))
    await Membership.create(user=outsider.user, company=company, role=Role.MEMBER)
    issue = await make_issue(outsider, ours, theirs)
    before = await state_of(api, issue, owner)

    # when the member tries to change it
    body = await attempt(api, mutation, issue, member)

    # then it is forbidden, and nothing changed
    assert error_codes(body) == ["FORBIDDEN"]
    assert await state_of(api, issue, owner) == before


@pytest.mark.parametrize("mutation", ALL_CHANGES)
async def test_an_issue_without_categories_is_changed_by_its_owner(
    api: Api, outsider: Person, mutation: str
) -> None:
    # given an issue without categories
    issue = await make_issue(outsider, name="Kinetic")

    # when its owner changes it
    body = await attempt(api, mutation, issue, outsider)

    # then the change is made
    assert error_codes(body) == []
    assert body["data"][mutation]["errors"] == []


@pytest.mark.parametrize("mutation", ALL_CHANGES)
async def test_an_issue_without_categories_is_changed_by_its_participants(
    api: Api, owner: Person, outsider: Person, mutation: str
) -> None:
    # given an issue without categories the outsider takes part in
    issue = await make_issue(owner, name="Kinetic")
    await IssueParticipant.create(issue=issue, user=outsider.user)

    # when the participant changes it
    body = await attempt(api, mutation, issue, outsider)

    # then the change is made
    assert error_codes(body) == []
    assert body["data"][mutation]["errors"] == []


@pytest.mark.parametrize("mutation", ALL_CHANGES)
async def test_an_issue_without_categories_is_not_found_for_anyone_else(
    api: Api, owner: Person, member: Person, company, mutation: str
) -> None:
    # given an issue without categories, owned by a colleague of the member
    issue = await make_issue(owner, name="Kinetic")
    before = await state_of(api, issue, owner)

    # when the member tries to change it
    body = await attempt(api, mutation, issue, member)

    # then it is not found, and nothing changed
    assert error_codes(body) == ["NOT_FOUND"]
    assert await state_of(api, issue, owner) == before


@pytest.mark.parametrize("mutation", ALL_CHANGES)
async def test_a_participant_who_is_not_a_member_may_not_change_an_issue_with_categories(
    api: Api, owner: Person, outsider: Person, private_company, mutation: str
) -> None:
    # given an issue of a private company the outsider takes part in (and so sees)
    issue = await make_issue(owner, await make_category(owner, private_company))
    await IssueParticipant.create(issue=issue, user=outsider.user)
    before = await state_of(api, issue, owner)

    # when the participant tries to change it
    body = await attempt(api, mutation, issue, outsider)

    # then access to the company decides: forbidden, and nothing changed
    assert error_codes(body) == ["FORBIDDEN"]
    assert await state_of(api, issue, owner) == before


@pytest.mark.parametrize("mutation", ["addIssueEvent", "closeIssue"])
async def test_permission_is_settled_before_the_input_is_checked(
    api: Api, owner: Person, outsider: Person, company, mutation: str
) -> None:
    # given a public issue, and a closed one
    category = await make_category(owner, company)
    issue = await make_issue(owner, category)
    closed = await make_issue(owner, category)
    await close(api, closed, owner)
    query, make_input = CHANGES[mutation]

    # when an outsider sends a blank description, and a member does so on the closed issue
    refused = await api.graphql(
        query, {"input": {**make_input(gid("Issue", issue)), "description": ""}}, as_=outsider
    )
    on_closed = await api.graphql(
        query, {"input": {**make_input(gid("Issue", closed)), "description": ""}}, as_=owner
    )

    # then the outsider hears FORBIDDEN and the member ISSUE_CLOSED, as for any other input
    assert error_codes(refused) == ["FORBIDDEN"]
    assert [error["code"] for error in on_closed["data"][mutation]["errors"]] == ["ISSUE_CLOSED"]


# --- a closed issue -----------------------------------------------------------------------------


@pytest.mark.parametrize("mutation", ALL_CHANGES)
async def test_a_closed_issue_refuses_every_change(
    api: Api, owner: Person, company, mutation: str
) -> None:
    # given a closed issue
    issue = await make_issue(owner, await make_category(owner, company))
    await close(api, issue, owner)
    before = await state_of(api, issue, owner)

    # when a member of its company tries to change it
    body = await attempt(api, mutation, issue, owner)

    # then the payload says the issue is closed, and nothing changed
    assert error_codes(body) == []
    payload = body["data"][mutation]
    assert payload["errors"] == [
        {"field": None, "message": "The issue is closed.", "code": "ISSUE_CLOSED"}
    ]
    assert payload.get("issue", payload.get("event")) is None
    assert await state_of(api, issue, owner) == before
