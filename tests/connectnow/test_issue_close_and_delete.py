"""ConnectNow POST /api/issues/{id}/close and DELETE /api/issues/{id}: closing with a conclusion,
deleting softly, who may do each, and hidden or missing issues answered 404."""

import pytest
from aiohttp.test_utils import TestClient

from issuetracker.models import Company, Issue

from ..support import Api, Person, make_category, make_company, make_issue
from .helpers import (
    CLOSE,
    ISSUE,
    ISSUE_KEYS,
    ISSUES,
    UNAUTHENTICATED,
    assert_timestamps,
    delete,
    get,
    ids,
    post,
)
from .issue_helpers import events_of, read_issue

CONCLUSION = """
query ($id: Int!) {
  issue(databaseId: $id) { status conclusion events { nodes { kind description } } }
}
"""


# --- close --------------------------------------------------------------------------------------


async def test_a_member_closes_an_issue(
    client: TestClient, api: Api, owner: Person, member: Person, company: Company
) -> None:
    # given an open issue
    issue = await make_issue(owner, await make_category(owner, company), description="Begun.")

    # when a member closes it with a description
    reply = await post(client, CLOSE.format(issue.id), as_=member, json={"description": "Fixed."})

    # then it is closed now, the description is the closing event and the conclusion
    assert reply.status == 200
    assert set(reply.body) == ISSUE_KEYS
    assert_timestamps(reply.body, "closed_at", "created_at", "updated_at")
    shown = await get(client, ISSUE.format(issue.id) + "?with=events")
    assert shown.body["closed_at"] == reply.body["closed_at"]
    assert events_of(shown) == ["Begun.", "Fixed."]
    data = await api.data(CONCLUSION, {"id": issue.id}, as_=member)
    assert data["issue"]["status"] == "CLOSED"
    assert data["issue"]["conclusion"] == "Fixed."
    assert data["issue"]["events"]["nodes"][-1] == {"kind": "CLOSED", "description": "Fixed."}


async def test_a_closed_issue_cannot_be_closed_again(
    client: TestClient, owner: Person, member: Person, company: Company
) -> None:
    # given a closed issue
    issue = await make_issue(owner, await make_category(owner, company))
    await post(client, CLOSE.format(issue.id), as_=member, json={"description": "Fixed."})
    before = await read_issue(client, issue.id, member)

    # when it is closed again
    reply = await post(client, CLOSE.format(issue.id), as_=member, json={"description": "Again."})

    # then 403, and no second closing event
    assert reply.status == 403
    assert (await read_issue(client, issue.id, member)).body == before.body


async def test_closing_needs_a_description(
    client: TestClient, owner: Person, member: Person, company: Company
) -> None:
    # given an open issue
    issue = await make_issue(owner, await make_category(owner, company))
    before = await read_issue(client, issue.id, member)

    # when it is closed without a description
    reply = await post(client, CLOSE.format(issue.id), as_=member, json={})

    # then it is refused and the issue stays open
    assert reply.status == 422
    assert list(reply.body["errors"]) == ["description"]
    assert (await read_issue(client, issue.id, member)).body == before.body


async def test_closing_from_a_form_body(
    client: TestClient, owner: Person, member: Person, company: Company
) -> None:
    # given an open issue
    issue = await make_issue(owner, await make_category(owner, company))

    # when it is closed form-encoded
    reply = await post(client, CLOSE.format(issue.id), as_=member, data={"description": "Done."})

    # then it is closed
    assert reply.status == 200
    assert reply.body["closed_at"] is not None


async def test_closing_needs_a_token(client: TestClient, owner: Person, company: Company) -> None:
    # given an open issue
    issue = await make_issue(owner, await make_category(owner, company))

    # when anonymous closes it
    reply = await post(client, CLOSE.format(issue.id), json={"description": "Bye."})

    # then 401, and it stays open
    assert reply.status == 401
    assert reply.body == UNAUTHENTICATED
    assert (await get(client, ISSUE.format(issue.id))).body["closed_at"] is None


async def test_an_outsider_may_not_close_a_public_issue(
    client: TestClient, owner: Person, outsider: Person, company: Company
) -> None:
    # given a public open issue
    issue = await make_issue(owner, await make_category(owner, company))
    before = await read_issue(client, issue.id, owner)

    # when an outsider closes it
    reply = await post(client, CLOSE.format(issue.id), as_=outsider, json={"description": "x"})

    # then it is forbidden and nothing changes
    assert reply.status == 403
    assert (await read_issue(client, issue.id, owner)).body == before.body


async def test_closing_an_issue_spanning_two_companies_needs_both(
    client: TestClient, owner: Person, member: Person, company: Company
) -> None:
    # given an issue in the member's company and in one only the owner belongs to
    theirs = await make_category(owner, await make_company(owner, name="Owner's own"))
    issue = await make_issue(owner, await make_category(owner, company), theirs)

    # when the member closes it
    reply = await post(client, CLOSE.format(issue.id), as_=member, json={"description": "x"})

    # then it is forbidden
    assert reply.status == 403
    assert (await get(client, ISSUE.format(issue.id))).body["closed_at"] is None


@pytest.mark.parametrize("hidden", [True, False], ids=["private", "missing"])
async def test_closing_a_hidden_or_missing_issue_is_404(
    client: TestClient, owner: Person, outsider: Person, private_company: Company, hidden: bool
) -> None:
    # given a private issue
    issue = await make_issue(owner, await make_category(owner, private_company))

    # when an outsider closes it, or an issue that does not exist
    issue_id = issue.id if hidden else 999999
    reply = await post(client, CLOSE.format(issue_id), as_=outsider, json={"description": "x"})

    # then it is not found
    assert reply.status == 404


# --- delete -------------------------------------------------------------------------------------


async def test_a_member_deletes_an_issue_softly(
    client: TestClient, owner: Person, member: Person, company: Company
) -> None:
    # given two issues
    category = await make_category(owner, company)
    kept = await make_issue(owner, category, name="Kept")
    gone = await make_issue(owner, category, name="Gone")

    # when a member deletes one
    reply = await delete(client, ISSUE.format(gone.id), as_=member)

    # then 204 without a body; it leaves the list and cannot be shown, but the row is kept
    assert reply.status == 204
    assert reply.body is None
    assert ids(await get(client, ISSUES, as_=member)) == [kept.id]
    assert (await get(client, ISSUE.format(gone.id), as_=member)).status == 404
    assert (await Issue.get(id=gone.id)).deleted_at is not None


async def test_a_deleted_issue_cannot_be_deleted_again(
    client: TestClient, owner: Person, member: Person, company: Company
) -> None:
    # given a deleted issue
    issue = await make_issue(owner, await make_category(owner, company))
    await delete(client, ISSUE.format(issue.id), as_=member)

    # when it is deleted again
    reply = await delete(client, ISSUE.format(issue.id), as_=member)

    # then it is not found
    assert reply.status == 404


async def test_deleting_needs_a_token(client: TestClient, owner: Person, company: Company) -> None:
    # given an issue
    issue = await make_issue(owner, await make_category(owner, company))

    # when anonymous deletes it
    reply = await delete(client, ISSUE.format(issue.id))

    # then 401 and it is still there
    assert reply.status == 401
    assert reply.body == UNAUTHENTICATED
    assert ids(await get(client, ISSUES)) == [issue.id]


async def test_an_outsider_may_not_delete_a_public_issue(
    client: TestClient, owner: Person, outsider: Person, company: Company
) -> None:
    # given a public issue
    issue = await make_issue(owner, await make_category(owner, company))

    # when an outsider deletes it
    reply = await delete(client, ISSUE.format(issue.id), as_=outsider)

    # then it is forbidden and still there
    assert reply.status == 403
    assert ids(await get(client, ISSUES)) == [issue.id]


async def test_deleting_an_issue_spanning_two_companies_needs_both(
    client: TestClient, owner: Person, member: Person, company: Company
) -> None:
    # given an issue in the member's company and in one only the owner belongs to
    theirs = await make_category(owner, await make_company(owner, name="Owner's own"))
    issue = await make_issue(owner, await make_category(owner, company), theirs)

    # when the member deletes it
    reply = await delete(client, ISSUE.format(issue.id), as_=member)

    # then it is forbidden and still there
    assert reply.status == 403
    assert ids(await get(client, ISSUES)) == [issue.id]


async def test_a_closed_issue_cannot_be_deleted(
    client: TestClient, owner: Person, member: Person, company: Company
) -> None:
    # given a closed issue
    issue = await make_issue(owner, await make_category(owner, company))
    await post(client, CLOSE.format(issue.id), as_=member, json={"description": "Fixed."})

    # when it is deleted
    reply = await delete(client, ISSUE.format(issue.id), as_=member)

    # then 403 and it is still there
    assert reply.status == 403
    assert ids(await get(client, ISSUES)) == [issue.id]


@pytest.mark.parametrize("hidden", [True, False], ids=["private", "missing"])
async def test_deleting_a_hidden_or_missing_issue_is_404(
    client: TestClient,
    owner: Person,
    outsider: Person,
    member: Person,
    private_company: Company,
    hidden: bool,
) -> None:
    # given a private issue
    issue = await make_issue(owner, await make_category(owner, private_company))

    # when an outsider deletes it, or an issue that does not exist
    reply = await delete(client, ISSUE.format(issue.id if hidden else 999999), as_=outsider)

    # then it is not found, and the private issue is still there for members
    assert reply.status == 404
    assert ids(await get(client, ISSUES, as_=member)) == [issue.id]
