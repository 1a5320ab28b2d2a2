"""addIssueEvent over GraphQL: a note added to the timeline, and an empty one refused."""

from issuetracker.models import Company

from ..support import Api, Person, gid, make_category, make_issue
from .issue_mutation_helpers import ADD_ISSUE_EVENT, state_of


async def test_a_member_adds_a_note_to_the_timeline(
    api: Api, owner: Person, member: Person, company: Company
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


async def test_an_empty_note_is_refused_in_the_payload(
    api: Api, owner: Person, company: Company
) -> None:
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
