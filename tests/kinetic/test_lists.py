"""GET /api/v1/issues: the caller's issues, newest first, in the envelope {count, limit, offset,
issues} with `limit` (25 by default, capped at 100) and 1-based `page` (`page=0` is the first)."""

import pytest
from aiohttp.test_utils import TestClient

from issuetracker.models import Company

from ..sql_counter import count_sql
from ..support import Person, make_category, make_issue
from .helpers import ISSUES, PAGE_KEYS, UNAUTHENTICATED, create, edit, get, names


async def make_issues(client: TestClient, owner: Person, count: int) -> list[str]:
    """`count` issues named "Issue 0"..., their names newest first (the list's order)."""
    return [(await create(client, owner, name=f"Issue {n}"))["name"] for n in range(count)][::-1]


async def test_the_callers_issues_newest_first_in_the_envelope(
    client: TestClient, owner: Person, member: Person, company: Company
) -> None:
    assert member.user is not None
    # given issues of the owner (one handed to the member), one of the member only, and one
    # in a public category the owner may see but takes no part in
    await create(client, owner, name="First")
    await create(client, owner, name="Handed over", owner_id=member.user.id)
    await create(client, member, name="The member's")
    await make_issue(member, await make_category(member, company), name="Public")

    # when the owner lists their issues
    reply = await get(client, ISSUES, as_=owner)

    # then those they take part in are listed, newest first
    assert reply.status == 200
    assert set(reply.body) == PAGE_KEYS
    assert names(reply) == ["Handed over", "First"]
    assert (reply.body["count"], reply.body["limit"], reply.body["offset"]) == (2, 25, 0)


async def test_closed_issues_are_listed_too(client: TestClient, owner: Person) -> None:
    created = await create(client, owner, name="Closed one")
    await edit(client, created["guid"], owner, status="Closed")

    reply = await get(client, ISSUES, as_=owner)

    assert names(reply) == ["Closed one"]
    assert reply.body["issues"][0]["status"] == "Closed"


async def test_no_issues_is_an_empty_array(client: TestClient, owner: Person) -> None:
    reply = await get(client, ISSUES, as_=owner)

    assert reply.status == 200
    assert reply.body == {"count": 0, "limit": 25, "offset": 0, "issues": []}


async def test_twenty_five_a_page_by_default(client: TestClient, owner: Person) -> None:
    newest_first = await make_issues(client, owner, 26)

    first = await get(client, ISSUES, as_=owner)
    second = await get(client, ISSUES + "?page=2", as_=owner)

    assert names(first) == newest_first[:25]
    assert (first.body["count"], first.body["offset"]) == (26, 0)
    assert names(second) == newest_first[25:]
    assert (second.body["count"], second.body["limit"], second.body["offset"]) == (26, 25, 25)


@pytest.mark.parametrize(
    ("query", "window", "offset"),
    [
        ("?limit=2", slice(0, 2), 0),
        ("?limit=2&page=0", slice(0, 2), 0),
        ("?limit=2&page=1", slice(0, 2), 0),
        ("?limit=2&page=2", slice(2, 4), 2),
        ("?limit=2&page=3", slice(4, 5), 4),
        ("?limit=2&page=4", slice(5, 5), 6),
        ("?limit=100", slice(0, 5), 0),
    ],
)
async def test_limit_and_page_choose_the_window(
    client: TestClient, owner: Person, query: str, window: slice, offset: int
) -> None:
    # given five issues
    newest_first = await make_issues(client, owner, 5)

    # when a window of them is asked for
    reply = await get(client, ISSUES + query, as_=owner)

    # then the envelope says which, and counts them all
    assert reply.status == 200
    assert names(reply) == newest_first[window]
    assert reply.body["offset"] == offset
    assert reply.body["count"] == 5


@pytest.mark.parametrize("limit", ["101", "100000", "99999999999999999999"])
async def test_a_limit_above_the_maximum_is_capped_and_the_envelope_says_so(
    client: TestClient, owner: Person, limit: str
) -> None:
    # given three issues
    newest_first = await make_issues(client, owner, 3)

    # when more than a page may hold is asked for
    reply = await get(client, f"{ISSUES}?limit={limit}", as_=owner)

    # then the largest page is used, and the envelope shows its size
    assert reply.status == 200
    assert names(reply) == newest_first
    assert (reply.body["count"], reply.body["limit"], reply.body["offset"]) == (3, 100, 0)


@pytest.mark.parametrize(
    ("query", "message"),
    [
        ("?limit=0", "The limit must be at least 1."),
        ("?limit=-1", "The limit must be at least 1."),
        ("?limit=ten", "The limit must be an integer."),
        ("?page=-1", "The page may not be negative."),
        ("?page=two", "The page must be an integer."),
        ("?page=99999999999", "The page must be between 1 and 21474836."),
    ],
)
async def test_out_of_range_paging_is_refused(
    client: TestClient, owner: Person, query: str, message: str
) -> None:
    reply = await get(client, ISSUES + query, as_=owner)

    assert reply.status == 422
    assert reply.body == {"success": False, "message": message}


async def test_without_a_token_nothing_is_listed(client: TestClient, anonymous: Person) -> None:
    reply = await get(client, ISSUES, as_=anonymous)

    assert (reply.status, reply.body) == (401, UNAUTHENTICATED)


async def test_a_page_costs_the_same_number_of_statements_whatever_its_size(
    client: TestClient, owner: Person, member: Person, company: Company
) -> None:
    assert member.user is not None
    # given thirteen issues, each with another participant, a tag, an invitation, an action
    # item and a fact
    for number in range(13):
        created = await create(client, owner, owner_id=member.user.id, tag_list=[f"t{number}"])
        await edit(
            client,
            created["guid"],
            owner,
            invitations=[f"guest{number}@example.com"],
            action_items=[{"description": "Call", "assignee_id": member.user.id}],
            facts=[{"description": "A fact"}],
        )

    # when first pages of two and of twelve are read (each followed by more, so counted)
    with count_sql() as small:
        two = await get(client, ISSUES + "?limit=2", as_=owner)
    with count_sql() as large:
        twelve = await get(client, ISSUES + "?limit=12", as_=owner)

    # then both cost the same
    assert len(two.body["issues"]) == 2
    assert len(twelve.body["issues"]) == 12
    assert all(len(issue["invitations"]) == 1 for issue in twelve.body["issues"])
    assert len(small) == len(large)
    assert len(large) <= 13
