"""ConnectNow GET /api/issues/{id}: the sample shape, `with` includes, and a private issue shown to
members only."""

import pytest
from aiohttp.test_utils import TestClient

from issuetracker.models import Company, Severity

from ..support import Person, make_category, make_issue
from .helpers import ISSUE, ISSUE_KEYS, assert_timestamps, get
from .issue_helpers import events_of


async def test_a_single_issue_has_the_sample_shape(
    client: TestClient, owner: Person, company: Company
) -> None:
    # given an issue
    issue = await make_issue(
        owner, await make_category(owner, company), name="Login", severity=Severity.CRITICAL
    )

    # when anyone reads it
    reply = await get(client, ISSUE.format(issue.id))

    # then it is the sample's object
    assert reply.status == 200
    assert set(reply.body) == ISSUE_KEYS
    assert reply.body["id"] == issue.id
    assert reply.body["name"] == "Login"
    assert reply.body["severity"] == "critical"
    assert reply.body["closed_at"] is None
    assert_timestamps(reply.body)


@pytest.mark.parametrize(
    "query",
    ["?with[]=categories.company&with[]=events", "?with=categories.company,events"],
    ids=["array", "csv"],
)
async def test_a_single_issue_with_includes_in_either_form(
    client: TestClient, owner: Person, company: Company, query: str
) -> None:
    # given an issue
    issue = await make_issue(owner, await make_category(owner, company), description="Begun.")

    # when it is read with its categories' companies and events
    reply = await get(client, ISSUE.format(issue.id) + query)

    # then they are appended
    assert reply.status == 200
    assert set(reply.body) == ISSUE_KEYS | {"categories", "events"}
    assert reply.body["categories"][0]["company"]["id"] == company.id
    assert events_of(reply) == ["Begun."]


async def test_a_single_issue_refuses_an_unknown_with(
    client: TestClient, owner: Person, company: Company
) -> None:
    # given an issue
    issue = await make_issue(owner, await make_category(owner, company))

    # when it is read with an unknown relation
    reply = await get(client, ISSUE.format(issue.id) + "?with=categories,participants")

    # then it is a validation error
    assert reply.status == 422
    assert "with" in reply.body["errors"]


async def test_a_private_issue_is_shown_to_members_only(
    client: TestClient,
    owner: Person,
    member: Person,
    outsider: Person,
    anonymous: Person,
    private_company: Company,
) -> None:
    # given an issue of a private company
    issue = await make_issue(owner, await make_category(owner, private_company))

    # when each person reads it
    as_member = await get(client, ISSUE.format(issue.id), as_=member)
    as_outsider = await get(client, ISSUE.format(issue.id), as_=outsider)
    as_anonymous = await get(client, ISSUE.format(issue.id), as_=anonymous)

    # then a member sees it; for the others it is missing, exactly like an id that never existed
    missing = await get(client, ISSUE.format(999999), as_=outsider)
    assert as_member.status == 200
    assert as_outsider.status == as_anonymous.status == missing.status == 404
    assert as_outsider.body == as_anonymous.body == missing.body
