"""deleteIssue over GraphQL: an issue is deleted softly and changes no more."""

from issuetracker.models import Company, Issue

from ..support import Api, Person, error_codes, gid, make_category, make_issue
from .issue_mutation_helpers import ALL_CHANGES, DELETE_ISSUE, ISSUE_COUNT, ISSUE_STATE, attempt


async def test_a_member_deletes_an_issue_softly(
    api: Api, owner: Person, member: Person, company: Company
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


async def test_a_deleted_issue_cannot_be_changed_any_more(
    api: Api, owner: Person, company: Company
) -> None:
    # given a deleted issue
    issue = await make_issue(owner, await make_category(owner, company))
    await api.data(DELETE_ISSUE, {"input": {"id": gid("Issue", issue)}}, as_=owner)

    # when its owner tries every change
    answers = [await attempt(api, mutation, issue, owner) for mutation in ALL_CHANGES]

    # then each answers NOT_FOUND
    assert [error_codes(body) for body in answers] == [["NOT_FOUND"]] * len(ALL_CHANGES)
