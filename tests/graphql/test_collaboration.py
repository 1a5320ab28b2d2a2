"""Working an issue together over GraphQL: inviting people and removing participants, and who may
change an issue's parts at all (invitations, participants, action items, facts): those who may
manage the issue, while it is open; a refused change leaves everything as it was."""

from collections.abc import Callable
from datetime import datetime
from typing import Any

import pytest

from issuetracker.models import ActionItem, Company, Fact, Invitation, Issue
from issuetracker.resolvers.issues.parts import PartChanges, add_action_item, add_fact
from issuetracker.resolvers.issues.writes import close_issue, delete_issue
from issuetracker.schema.relay import to_global_id

from ..support import Api, Person, error_codes, gid, make_category, make_issue, nothing_answered
from .collaboration_helpers import join

INVITE = """
mutation ($input: InviteToIssueInput!) {
  inviteToIssue(input: $input) {
    invitation { id databaseId email acceptedAt acceptedBy { name } invitedBy { name } }
    errors { field message code }
  }
}
"""

REMOVE_PARTICIPANT = """
mutation ($input: RemoveIssueParticipantInput!) {
  removeIssueParticipant(input: $input) {
    issue { participants { name } }
    errors { field message code }
  }
}
"""

ADD_ACTION_ITEM = """
mutation ($input: AddActionItemInput!) {
  addActionItem(input: $input) { actionItem { description } errors { field message code } }
}
"""

UPDATE_ACTION_ITEM = """
mutation ($input: UpdateActionItemInput!) {
  updateActionItem(input: $input) { actionItem { description } errors { field message code } }
}
"""

DELETE_ACTION_ITEM = """
mutation ($input: DeleteActionItemInput!) {
  deleteActionItem(input: $input) { actionItem { description } errors { field message code } }
}
"""

ADD_FACT = """
mutation ($input: AddFactInput!) {
  addFact(input: $input) { fact { description } errors { field message code } }
}
"""

UPDATE_FACT = """
mutation ($input: UpdateFactInput!) {
  updateFact(input: $input) { fact { description } errors { field message code } }
}
"""

DELETE_FACT = """
mutation ($input: DeleteFactInput!) {
  deleteFact(input: $input) { fact { description } errors { field message code } }
}
"""

ISSUE_PARTS = """
query ($id: ID!) {
  issue(id: $id) {
    participants { name }
    invitations { nodes { email } totalCount }
    actionItems { nodes { description done } }
    facts { nodes { description } }
    involvementsUpdatedAt actionItemsUpdatedAt factsUpdatedAt
  }
}
"""

INVITATIONS = """
query ($id: ID!) { issue(id: $id) { invitations { nodes { email } totalCount } } }
"""

NODE = """
query ($id: ID!) { node(id: $id) { id ... on Invitation { email } } }
"""


class Given:
    """An issue with one of each part, to change."""

    def __init__(self, issue: Issue, other: Person, item: ActionItem, fact: Fact) -> None:
        self.issue, self.other, self.item, self.fact = issue, other, item, fact

    @property
    def issue_id(self) -> str:
        return gid("Issue", self.issue)


Attempt = tuple[str, Callable[[Given], dict[str, Any]]]

CHANGES: dict[str, Attempt] = {
    "inviteToIssue": (
        INVITE,
        lambda g: {"issueId": g.issue_id, "email": "guest@example.com"},
    ),
    "removeIssueParticipant": (
        REMOVE_PARTICIPANT,
        lambda g: {"issueId": g.issue_id, "userId": g.other.global_id},
    ),
    "addActionItem": (ADD_ACTION_ITEM, lambda g: {"issueId": g.issue_id, "description": "Do."}),
    "updateActionItem": (
        UPDATE_ACTION_ITEM,
        lambda g: {"id": gid("ActionItem", g.item), "done": True},
    ),
    "deleteActionItem": (DELETE_ACTION_ITEM, lambda g: {"id": gid("ActionItem", g.item)}),
    "addFact": (ADD_FACT, lambda g: {"issueId": g.issue_id, "description": "Known."}),
    "updateFact": (UPDATE_FACT, lambda g: {"id": gid("Fact", g.fact), "description": "New."}),
    "deleteFact": (DELETE_FACT, lambda g: {"id": gid("Fact", g.fact)}),
}
"""Every change to an issue's parts, with an input that would succeed if allowed."""

ALL_CHANGES = list(CHANGES)


async def given_issue(owner: Person, other: Person, *categories: Any) -> Given:
    """An issue of the owner's that `other` joined, with an action item and a fact."""
    issue = await make_issue(owner, *categories, name="Shared")
    await join(issue, owner, other)
    item = await add_action_item(owner.scope, issue.id, PartChanges(description="Call."))
    fact = await add_fact(owner.scope, issue.id, "It is down.")
    return Given(issue, other, item, fact)


async def attempt(api: Api, mutation: str, given: Given, as_: Person | None) -> dict[str, Any]:
    query, make_input = CHANGES[mutation]
    return await api.graphql(query, {"input": make_input(given)}, as_=as_)


async def parts_of(api: Api, issue: Issue, as_: Person) -> dict[str, Any]:
    return (await api.data(ISSUE_PARTS, {"id": gid("Issue", issue)}, as_=as_))["issue"]


# --- who may change the parts -------------------------------------------------------------------


@pytest.mark.parametrize("mutation", ALL_CHANGES)
async def test_those_taking_part_may_change_an_issue_without_categories(
    api: Api, owner: Person, member: Person, mutation: str
) -> None:
    # given an issue without categories that the member joined
    given = await given_issue(owner, member)
    before = await parts_of(api, given.issue, owner)

    # when the participant (not the owner) makes the change
    body = await attempt(api, mutation, given, as_=member)

    # then it is done, and the issue's parts changed
    assert "errors" not in body, body
    assert body["data"][mutation]["errors"] == []
    assert await parts_of(api, given.issue, owner) != before


@pytest.mark.parametrize("mutation", ALL_CHANGES)
async def test_an_outsider_cannot_find_an_issue_they_do_not_take_part_in(
    api: Api, owner: Person, member: Person, outsider: Person, mutation: str
) -> None:
    given = await given_issue(owner, member)
    before = await parts_of(api, given.issue, owner)

    body = await attempt(api, mutation, given, as_=outsider)

    assert error_codes(body) == ["NOT_FOUND"]
    assert nothing_answered(body)
    assert await parts_of(api, given.issue, owner) == before


@pytest.mark.parametrize("mutation", ALL_CHANGES)
async def test_an_outsider_who_sees_a_public_issue_may_not_change_it(
    api: Api, owner: Person, member: Person, outsider: Person, company: Company, mutation: str
) -> None:
    # given an issue in a public category, which the outsider can read
    given = await given_issue(owner, member, await make_category(owner, company))
    before = await parts_of(api, given.issue, owner)

    # when the outsider tries the change
    body = await attempt(api, mutation, given, as_=outsider)

    # then it is forbidden, and nothing changed
    assert error_codes(body) == ["FORBIDDEN"]
    assert await parts_of(api, given.issue, owner) == before


@pytest.mark.parametrize("mutation", ALL_CHANGES)
async def test_anonymous_may_change_nothing(
    api: Api, owner: Person, member: Person, company: Company, mutation: str
) -> None:
    given = await given_issue(owner, member, await make_category(owner, company))
    before = await parts_of(api, given.issue, owner)

    body = await attempt(api, mutation, given, as_=None)

    assert error_codes(body) == ["UNAUTHENTICATED"]
    assert await parts_of(api, given.issue, owner) == before


@pytest.mark.parametrize("mutation", ALL_CHANGES)
async def test_a_closed_issue_takes_no_more_changes(
    api: Api, owner: Person, member: Person, mutation: str
) -> None:
    # given a closed issue
    given = await given_issue(owner, member)
    await close_issue(owner.scope, given.issue.id, "Fixed.")
    before = await parts_of(api, given.issue, owner)

    # when its owner tries the change
    body = await attempt(api, mutation, given, as_=owner)

    # then the payload says it is closed, and nothing changed
    assert body["data"][mutation] == {
        mutation_field(mutation): None,
        "errors": [{"field": None, "message": "The issue is closed.", "code": "ISSUE_CLOSED"}],
    }
    assert await parts_of(api, given.issue, owner) == before


@pytest.mark.parametrize("mutation", ALL_CHANGES)
async def test_a_deleted_issue_is_not_found(
    api: Api, owner: Person, member: Person, mutation: str
) -> None:
    given = await given_issue(owner, member)
    await delete_issue(owner.scope, given.issue.id)

    body = await attempt(api, mutation, given, as_=owner)

    assert error_codes(body) == ["NOT_FOUND"]


def mutation_field(mutation: str) -> str:
    if mutation == "inviteToIssue":
        return "invitation"
    if mutation == "removeIssueParticipant":
        return "issue"
    return "actionItem" if "ActionItem" in mutation else "fact"


# --- inviting -----------------------------------------------------------------------------------


async def test_inviting_someone_records_a_pending_invitation(
    api: Api, owner: Person, member: Person
) -> None:
    # given an issue of the member's
    issue = await make_issue(member)
    created_at = (await parts_of(api, issue, member))["involvementsUpdatedAt"]

    # when the member invites an address
    body = await api.graphql(
        INVITE,
        {"input": {"issueId": gid("Issue", issue), "email": " Guest@Example.com "}},
        as_=member,
    )

    # then the invitation is pending, for the address in lower case
    payload = body["data"]["inviteToIssue"]
    assert payload["errors"] == []
    invitation = payload["invitation"]
    assert invitation["email"] == "guest@example.com"
    assert invitation["invitedBy"] == {"name": "Mia Member"}
    assert (invitation["acceptedAt"], invitation["acceptedBy"]) == (None, None)
    assert invitation["id"] == to_global_id("Invitation", invitation["databaseId"])
    # and the issue lists it, with its involvements time moved
    parts = await parts_of(api, issue, member)
    assert parts["invitations"] == {"nodes": [{"email": "guest@example.com"}], "totalCount": 1}
    assert datetime.fromisoformat(parts["involvementsUpdatedAt"]) > datetime.fromisoformat(
        created_at
    )


async def test_inviting_the_same_address_again_answers_the_same_invitation(
    api: Api, member: Person
) -> None:
    issue = await make_issue(member)
    variables = {"input": {"issueId": gid("Issue", issue), "email": "guest@example.com"}}

    first = await api.data(INVITE, variables, as_=member)
    again = await api.data(INVITE, variables, as_=member)

    assert again["inviteToIssue"]["invitation"] == first["inviteToIssue"]["invitation"]
    assert await Invitation.filter(issue_id=issue.id).count() == 1


@pytest.mark.parametrize(
    ("email", "error"),
    [
        ("", {"field": "email", "message": "The email field is required.", "code": "REQUIRED"}),
        (
            "not an address",
            {
                "field": "email",
                "message": "The email must be a valid email address.",
                "code": "INVALID_EMAIL",
            },
        ),
        ("MIA", {"field": "email", "message": "This person already takes part.", "code": "TAKEN"}),
    ],
)
async def test_an_invitation_needs_an_address_of_someone_not_taking_part(
    api: Api, member: Person, email: str, error: dict
) -> None:
    issue = await make_issue(member)
    assert member.user is not None
    address = member.user.email if email == "MIA" else email

    body = await api.graphql(
        INVITE, {"input": {"issueId": gid("Issue", issue), "email": address}}, as_=member
    )

    assert body["data"]["inviteToIssue"] == {"invitation": None, "errors": [error]}
    assert await Invitation.filter(issue_id=issue.id).count() == 0


async def test_an_unverified_user_may_not_invite_anyone_to_an_issue(
    api: Api, owner: Person
) -> None:
    # given an issue owned by someone whose address is not verified
    issue = await make_issue(owner)
    assert owner.user is not None
    owner.user.email_verified_at = None
    await owner.user.save(update_fields=["email_verified_at"])

    # when they invite a stranger
    body = await api.graphql(
        """mutation($input: InviteToIssueInput!) {
             inviteToIssue(input: $input) { invitation { email } errors { code } } }""",
        {"input": {"issueId": gid("Issue", issue), "email": "stranger@example.com"}},
        as_=owner,
    )

    # then they are refused, and nothing is sent
    assert error_codes(body) == ["FORBIDDEN"]


async def test_invitations_are_shown_only_to_those_taking_part(
    api: Api, owner: Person, member: Person, company: Company
) -> None:
    # given a public issue of the owner's with a pending invitation
    issue = await make_issue(owner, await make_category(owner, company))
    invitation = await api.data(
        INVITE, {"input": {"issueId": gid("Issue", issue), "email": "guest@example.com"}}, as_=owner
    )
    invitation_id = invitation["inviteToIssue"]["invitation"]["id"]

    # when the owner, a company member who does not take part, and anonymous look
    seen = {
        who: await api.data(INVITATIONS, {"id": gid("Issue", issue)}, as_=person)
        for who, person in (("owner", owner), ("member", member), ("anonymous", None))
    }
    by_node = await api.data(NODE, {"id": invitation_id}, as_=owner)
    hidden_node = await api.graphql(NODE, {"id": invitation_id}, as_=member)

    # then only the owner sees the address
    assert seen["owner"]["issue"]["invitations"]["totalCount"] == 1
    assert seen["member"]["issue"]["invitations"] == {"nodes": [], "totalCount": 0}
    assert seen["anonymous"]["issue"]["invitations"] == {"nodes": [], "totalCount": 0}
    assert by_node["node"] == {"id": invitation_id, "email": "guest@example.com"}
    assert error_codes(hidden_node) == ["NOT_FOUND"]


# --- removing participants ----------------------------------------------------------------------


async def test_a_removed_participant_no_longer_sees_the_issue(
    api: Api, owner: Person, member: Person
) -> None:
    # given an issue without categories that the member joined
    issue = await make_issue(owner, name="Private matter")
    await join(issue, owner, member)
    assert (await parts_of(api, issue, member))["participants"] != []

    # when the owner removes the member
    body = await api.graphql(
        REMOVE_PARTICIPANT,
        {"input": {"issueId": gid("Issue", issue), "userId": member.global_id}},
        as_=owner,
    )

    # then the owner alone takes part, and the member cannot find the issue any more
    assert body["data"]["removeIssueParticipant"] == {
        "issue": {"participants": [{"name": "Olive Owner"}]},
        "errors": [],
    }
    hidden = await api.graphql(ISSUE_PARTS, {"id": gid("Issue", issue)}, as_=member)
    assert error_codes(hidden) == ["NOT_FOUND"]


@pytest.mark.parametrize(
    ("who", "error"),
    [
        (
            "owner",
            {
                "field": "userId",
                "message": "The owner always takes part; choose another owner first.",
                "code": "OWNER",
            },
        ),
        (
            "stranger",
            {"field": "userId", "message": "This person does not take part.", "code": "UNKNOWN"},
        ),
        (
            "mistyped",
            {"field": "userId", "message": "The id is not of type User.", "code": "INVALID_ID"},
        ),
    ],
)
async def test_only_a_participant_other_than_the_owner_can_be_removed(
    api: Api, owner: Person, member: Person, outsider: Person, who: str, error: dict
) -> None:
    issue = await make_issue(owner)
    await join(issue, owner, member)
    user_id = {
        "owner": owner.global_id,
        "stranger": outsider.global_id,
        "mistyped": gid("Issue", issue),
    }[who]

    body = await api.graphql(
        REMOVE_PARTICIPANT,
        {"input": {"issueId": gid("Issue", issue), "userId": user_id}},
        as_=member,
    )

    assert body["data"]["removeIssueParticipant"] == {"issue": None, "errors": [error]}
    names = [p["name"] for p in (await parts_of(api, issue, owner))["participants"]]
    assert sorted(names) == ["Mia Member", "Olive Owner"]
