"""ConnectNow PUT /api/issues/{id}: editing an issue, its description a new event, categories
synced; who may (access to every company, old and new); and that an invalid or refused edit, or
an edit of a closed issue, changes nothing."""

import pytest
from aiohttp.test_utils import TestClient

from issuetracker.models import Company

from ..support import Person, make_category, make_company, make_issue
from .helpers import CLOSE, ISSUE, ISSUE_KEYS, UNAUTHENTICATED, assert_timestamps, get, post, put
from .issue_helpers import category_ids_of, events_of, read_issue


async def test_a_member_edits_an_issue(
    client: TestClient, owner: Person, member: Person, company: Company
) -> None:
    # given an issue
    issue = await make_issue(owner, await make_category(owner, company), name="Old name")

    # when a member edits its name, severity and description
    changes = {"name": "New name", "severity": "critical", "description": "Worse now."}
    reply = await put(client, ISSUE.format(issue.id), as_=member, json=changes)

    # then the issue is answered and stored with the changes
    assert reply.status == 200
    assert set(reply.body) == ISSUE_KEYS
    assert reply.body["name"] == "New name"
    assert reply.body["severity"] == "critical"
    assert reply.body["closed_at"] is None
    assert_timestamps(reply.body)
    shown = await get(client, ISSUE.format(issue.id))
    assert (shown.body["name"], shown.body["severity"]) == ("New name", "critical")


async def test_the_description_on_edit_becomes_a_new_event(
    client: TestClient, owner: Person, member: Person, company: Company
) -> None:
    # given an issue with its first event
    issue = await make_issue(owner, await make_category(owner, company), description="Begun.")

    # when it is edited with only a description
    reply = await put(client, ISSUE.format(issue.id), as_=member, json={"description": "Worse."})

    # then the timeline grows by that description, and the rest is unchanged
    assert reply.status == 200
    assert reply.body["name"] == issue.name
    shown = await get(client, ISSUE.format(issue.id) + "?with[]=events")
    assert events_of(shown) == ["Begun.", "Worse."]


async def test_editing_needs_a_description(
    client: TestClient, owner: Person, member: Person, company: Company
) -> None:
    # given an issue
    issue = await make_issue(owner, await make_category(owner, company), name="Kept")
    before = await read_issue(client, issue.id, member)

    # when it is edited without a description
    reply = await put(client, ISSUE.format(issue.id), as_=member, json={"name": "Changed"})

    # then it is refused and nothing changes
    assert reply.status == 422
    assert list(reply.body["errors"]) == ["description"]
    assert (await read_issue(client, issue.id, member)).body == before.body


async def test_category_ids_on_edit_are_synced(
    client: TestClient, owner: Person, member: Person, company: Company
) -> None:
    # given an issue in categories A and B
    a, b, c = [await make_category(owner, company) for _ in range(3)]
    issue = await make_issue(owner, a, b)

    # when it is edited with categories B and C
    changes = {"description": "Moved.", "category_ids": [b.id, c.id]}
    reply = await put(client, ISSUE.format(issue.id), as_=member, json=changes)

    # then A is removed and C added
    assert reply.status == 200
    assert category_ids_of(await read_issue(client, issue.id, member)) == [b.id, c.id]


async def test_category_ids_on_edit_from_a_form_body(
    client: TestClient, owner: Person, member: Person, company: Company
) -> None:
    # given an issue in category A
    a, b, c = [await make_category(owner, company) for _ in range(3)]
    issue = await make_issue(owner, a)

    # when it is edited form-encoded with categories B and C
    form = [("description", "Moved."), ("category_ids[]", str(b.id)), ("category_ids[]", str(c.id))]
    reply = await put(client, ISSUE.format(issue.id), as_=member, data=form)

    # then it is synced as from JSON
    assert reply.status == 200
    assert category_ids_of(await read_issue(client, issue.id, member)) == [b.id, c.id]


async def test_edit_without_category_ids_keeps_the_categories(
    client: TestClient, owner: Person, member: Person, company: Company
) -> None:
    # given an issue in two categories
    a, b = await make_category(owner, company), await make_category(owner, company)
    issue = await make_issue(owner, a, b)

    # when it is edited without category_ids
    reply = await put(client, ISSUE.format(issue.id), as_=member, json={"description": "More."})

    # then its categories stay
    assert reply.status == 200
    assert category_ids_of(await read_issue(client, issue.id, member)) == [a.id, b.id]


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"severity": "urgent"}, "severity"),
        ({"name": "x" * 256}, "name"),
        ({"name": ""}, "name"),
        ({"category_ids": [999999]}, "category_ids"),
        ({"category_ids": []}, "category_ids"),
        ({"category_ids": ["one"]}, "category_ids"),
        ({"description": " \n "}, "description"),
    ],
    ids=[
        "bad-severity",
        "name-256",
        "empty-name",
        "unknown-category",
        "no-categories",
        "text-id",
        "blank-description",
    ],
)
async def test_an_invalid_edit_changes_nothing(
    client: TestClient, owner: Person, member: Person, company: Company, changes: dict, field: str
) -> None:
    # given an issue
    issue = await make_issue(owner, await make_category(owner, company))
    before = await read_issue(client, issue.id, member)

    # when it is edited with one invalid field
    body = {"description": "Should not be recorded.", **changes}
    reply = await put(client, ISSUE.format(issue.id), as_=member, json=body)

    # then that field is reported and the issue, its categories and timeline are unchanged
    assert reply.status == 422
    assert field in reply.body["errors"]
    assert (await read_issue(client, issue.id, member)).body == before.body


async def test_editing_needs_a_token(client: TestClient, owner: Person, company: Company) -> None:
    # given an issue
    issue = await make_issue(owner, await make_category(owner, company))

    # when anonymous edits it
    reply = await put(client, ISSUE.format(issue.id), json={"description": "Hacked."})

    # then 401
    assert reply.status == 401
    assert reply.body == UNAUTHENTICATED


async def test_an_outsider_may_not_edit_a_public_issue(
    client: TestClient, owner: Person, outsider: Person, company: Company
) -> None:
    # given a public issue
    issue = await make_issue(owner, await make_category(owner, company), name="Kept")
    before = await read_issue(client, issue.id, owner)

    # when an outsider edits it
    body = {"name": "Taken", "description": "Mine now."}
    reply = await put(client, ISSUE.format(issue.id), as_=outsider, json=body)

    # then it is forbidden and nothing changes
    assert reply.status == 403
    assert (await read_issue(client, issue.id, owner)).body == before.body


async def test_an_outsider_cannot_find_a_private_issue_to_edit(
    client: TestClient, owner: Person, outsider: Person, private_company: Company
) -> None:
    # given a private issue
    issue = await make_issue(owner, await make_category(owner, private_company))

    # when an outsider edits it
    reply = await put(client, ISSUE.format(issue.id), as_=outsider, json={"description": "x"})

    # then it is not found
    assert reply.status == 404


async def test_editing_a_missing_issue_is_404(client: TestClient, member: Person) -> None:
    # when a missing issue is edited
    reply = await put(client, ISSUE.format(999999), as_=member, json={"description": "x"})

    # then it is not found
    assert reply.status == 404


async def test_editing_an_issue_spanning_two_companies_needs_both(
    client: TestClient, owner: Person, member: Person, company: Company
) -> None:
    # given an issue in the member's company and in a company only the owner belongs to
    owners_only = await make_company(owner, name="Owner's own")
    ours = await make_category(owner, company)
    theirs = await make_category(owner, owners_only)
    issue = await make_issue(owner, ours, theirs, name="Kept")
    before = await read_issue(client, issue.id, owner)

    # when the member edits it
    body = {"name": "Changed", "description": "x"}
    reply = await put(client, ISSUE.format(issue.id), as_=member, json=body)

    # then it is forbidden and nothing changes
    assert reply.status == 403
    assert (await read_issue(client, issue.id, owner)).body == before.body


async def test_moving_an_issue_needs_access_to_the_new_categories(
    client: TestClient, owner: Person, member: Person, company: Company
) -> None:
    # given an issue in the member's company and a category of a company the member is not in
    ours = await make_category(owner, company)
    theirs = await make_category(owner, await make_company(owner, name="Owner's own"))
    issue = await make_issue(owner, ours)
    before = await read_issue(client, issue.id, owner)

    # when the member moves the issue into that category
    body = {"description": "Moving.", "category_ids": [ours.id, theirs.id]}
    reply = await put(client, ISSUE.format(issue.id), as_=member, json=body)

    # then it is forbidden and nothing changes
    assert reply.status == 403
    assert (await read_issue(client, issue.id, owner)).body == before.body


async def test_a_closed_issue_cannot_be_edited(
    client: TestClient, owner: Person, member: Person, company: Company
) -> None:
    # given a closed issue
    issue = await make_issue(owner, await make_category(owner, company), name="Done")
    await post(client, CLOSE.format(issue.id), as_=member, json={"description": "Fixed."})
    before = await read_issue(client, issue.id, member)

    # when it is edited
    body = {"name": "Reopened?", "description": "Again."}
    reply = await put(client, ISSUE.format(issue.id), as_=member, json=body)

    # then ConnectNow answers 403 and nothing changes
    assert reply.status == 403
    assert isinstance(reply.body["message"], str)
    assert (await read_issue(client, issue.id, member)).body == before.body
