"""Who may change an existing issue over GraphQL, for every change (updateIssue, addIssueEvent,
closeIssue, deleteIssue): members of every company of its categories, or its owner and
participants when it has none; nobody once it is closed. A refused change leaves it as it was."""

import pytest

from issuetracker.models import Company, Issue, IssueParticipant, Membership, Role
from issuetracker.schema.relay import to_global_id

from ..support import Api, Person, error_codes, gid, make_category, make_company, make_issue
from .issue_mutation_helpers import ALL_CHANGES, CHANGES, CLOSE_ISSUE, attempt, state_of


async def close(api: Api, issue: Issue, as_: Person) -> None:
    data = await api.data(
        CLOSE_ISSUE, {"input": {"id": gid("Issue", issue), "description": "Done."}}, as_=as_
    )
    assert data["closeIssue"]["errors"] == []


# --- who may change an issue (every mutation) ---------------------------------------------------


@pytest.mark.parametrize("mutation", ALL_CHANGES)
async def test_anonymous_may_not_change_an_issue(
    api: Api, owner: Person, anonymous: Person, company: Company, mutation: str
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
    api: Api, owner: Person, outsider: Person, company: Company, mutation: str
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
    api: Api, owner: Person, outsider: Person, private_company: Company, mutation: str
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
    private_company: Company,
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
    api: Api, owner: Person, member: Person, outsider: Person, company: Company, mutation: str
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
    api: Api, owner: Person, member: Person, company: Company, mutation: str
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
    api: Api, owner: Person, outsider: Person, private_company: Company, mutation: str
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
    api: Api, owner: Person, outsider: Person, company: Company, mutation: str
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
    api: Api, owner: Person, company: Company, mutation: str
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
