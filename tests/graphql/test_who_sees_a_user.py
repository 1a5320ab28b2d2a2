"""Who sees a user: themself, and those who share a company or an issue with them. To anyone
else a user is hidden like any other object (NOT_FOUND, as a missing one), on the compiled read
path and the executor alike, and naming one as an issue's owner is refused as an unknown id."""

import pytest

from issuetracker.models import Company, Issue, Role, User
from issuetracker.resolvers.companies.invitations import invite_company_member
from issuetracker.resolvers.companies.joining import LinkOutcome, accept_by_link
from issuetracker.resolvers.issues.participants import accept_invitation, invite_to_issue
from issuetracker.schema.relay import to_global_id
from issuetracker.settings import Settings

from ..support import (
    Api,
    Person,
    anonymous_scope,
    make_company,
    make_issue,
    make_person,
    only_error,
)

USER = """
query ($id: ID!) { node(id: $id) { __typename id ... on User { name guid } } }
"""

USERS = """
query ($ids: [ID!]!) { nodes(ids: $ids) { ... on User { name } } }
"""

CREATE_ISSUE = """
mutation ($owner: ID!) {
  createIssue(input: {name: "Handed over", description: "Yours.", ownerId: $owner}) {
    issue { owner { name } }
    errors { field message code }
  }
}
"""


@pytest.fixture(params=["compiled", "executor"])
def settings(request: pytest.FixtureRequest, settings: Settings) -> Settings:
    """Every test reads through the compiled path and through the executor."""
    return settings.model_copy(update={"graphql_compiled_reads": request.param == "compiled"})


async def _partner_of(person: Person) -> Person:
    """Someone who shares an issue (without categories) with `person`, and nothing else."""
    assert person.user is not None
    partner = await make_person("Pat Partner")
    assert partner.user is not None
    issue = await make_issue(person, name="Just us two")
    invitation = await invite_to_issue(person.scope, issue.id, partner.user.email)
    await accept_invitation(anonymous_scope(), invitation.id)
    return partner


async def _name_seen(api: Api, viewer: Person, other: Person) -> str:
    data = await api.data(USER, {"id": other.global_id}, as_=viewer)
    return str(data["node"]["name"])


async def test_a_user_is_seen_by_themself_and_by_those_sharing_a_company_or_an_issue(
    api: Api, owner: Person, member: Person, company: Company
) -> None:
    # given the member shares a company with the owner, and an issue with a partner
    partner = await _partner_of(member)

    # then the member sees all three, and the partner sees the member
    assert await _name_seen(api, member, member) == "Mia Member"
    assert await _name_seen(api, member, owner) == "Olive Owner"
    assert await _name_seen(api, member, partner) == "Pat Partner"
    assert await _name_seen(api, partner, member) == "Mia Member"


async def test_a_user_sharing_nothing_is_not_found_like_a_missing_one(
    api: Api, member: Person, outsider: Person, company: Company
) -> None:
    # given an outsider who shares no company and no issue with the member (though the member's
    # company is public, and the outsider has an issue of their own)
    await make_issue(outsider, name="Outsider's own")

    # when the member asks for the outsider, and for a user id no one has
    hidden = await api.graphql(USER, {"id": outsider.global_id}, as_=member)
    missing = await api.graphql(USER, {"id": to_global_id("User", 987654)}, as_=member)

    # then both answer the same NOT_FOUND error
    assert (hidden["data"], hidden["errors"]) == (missing["data"], missing["errors"])
    assert only_error(hidden) == ("NOT_FOUND", "User not found.")


async def test_an_invited_account_is_seen_by_no_one_until_it_joins(
    api: Api, member: Person, outsider: Person
) -> None:
    # given the outsider's company invites a new address, whose account is named after it
    company = await make_company(outsider, name="Outsider Ltd", public=True)
    invitation = await invite_company_member(
        outsider.scope, company.id, "newcomer@example.com", Role.MEMBER
    )
    account = await User.get(email="newcomer@example.com")
    newcomer = to_global_id("User", account.id)

    # when the member (of no company with them) and the inviting outsider ask for that account
    as_member = await api.graphql(USER, {"id": newcomer}, as_=member)
    as_outsider = await api.graphql(USER, {"id": newcomer}, as_=outsider)

    # then neither sees it
    assert only_error(as_member) == ("NOT_FOUND", "User not found.")
    assert only_error(as_outsider) == ("NOT_FOUND", "User not found.")

    # and once it joins through the e-mailed link, the outsider, sharing the company, does
    assert await accept_by_link(outsider.scope, invitation.id) is LinkOutcome.DONE
    joined = await api.graphql(USER, {"id": newcomer}, as_=outsider)
    assert joined["data"]["node"]["name"] == "newcomer"


async def test_anonymous_viewers_see_no_user(
    api: Api, owner: Person, anonymous: Person, company: Company
) -> None:
    body = await api.graphql(USER, {"id": owner.global_id}, as_=anonymous)

    assert only_error(body) == ("NOT_FOUND", "User not found.")


async def test_nodes_shows_a_hidden_user_as_null(
    api: Api, owner: Person, member: Person, outsider: Person, company: Company
) -> None:
    ids = [member.global_id, outsider.global_id, owner.global_id]

    body = await api.graphql(USERS, {"ids": ids}, as_=member)

    assert body["data"]["nodes"] == [{"name": "Mia Member"}, None, {"name": "Olive Owner"}]
    [error] = body["errors"]
    assert (error["path"], error["extensions"]["code"]) == (["nodes", 1], "NOT_FOUND")


async def test_a_hidden_user_cannot_be_made_an_owner_and_is_refused_as_an_unknown_one(
    api: Api, owner: Person, member: Person, outsider: Person, company: Company
) -> None:
    # when the member names the outsider, then a user id no one has, as a new issue's owner
    hidden = await api.data(CREATE_ISSUE, {"owner": outsider.global_id}, as_=member)
    missing = await api.data(CREATE_ISSUE, {"owner": to_global_id("User", 987654)}, as_=member)

    # then both are the same payload error, and nothing is made
    error = {"field": "ownerId", "message": "The selected owner id is invalid.", "code": "UNKNOWN"}
    assert hidden["createIssue"] == missing["createIssue"] == {"issue": None, "errors": [error]}
    assert await Issue.all().count() == 0

    # and someone the member shares a company with may be made the owner
    shared = await api.data(CREATE_ISSUE, {"owner": owner.global_id}, as_=member)
    assert shared["createIssue"] == {"issue": {"owner": {"name": "Olive Owner"}}, "errors": []}
