"""closeIssue over GraphQL: closing with a conclusion, which is required."""

from issuetracker.models import Company

from ..support import Api, Person, gid, make_category, make_issue
from .issue_mutation_helpers import CLOSE_ISSUE, state_of


async def test_a_member_closes_an_issue_with_a_conclusion(
    api: Api, owner: Person, member: Person, company: Company
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
    api: Api, owner: Person, company: Company
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
