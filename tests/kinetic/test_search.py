"""GET /api/v1/issues/search: the caller's issues by `status` (Open, Closed, Deleted) or by
`query` (keywords over name, description and tags), exactly one of the two, paged like the list."""

from urllib.parse import urlencode

import pytest
from aiohttp.test_utils import TestClient

from issuetracker.models import Company

from ..databases import TEST_DATABASE_URL
from ..support import Person, make_category, make_issue
from .helpers import ISSUE, PAGE_KEYS, SEARCH, UNAUTHENTICATED, create, delete, edit, get, names

ON_POSTGRES = TEST_DATABASE_URL.startswith("postgres")


async def make_mixed(client: TestClient, owner: Person) -> None:
    """An open, a closed and a deleted issue of the owner."""
    await create(client, owner, name="Still open")
    closed = await create(client, owner, name="Was closed")
    await edit(client, closed["guid"], owner, status="Closed", conclusion="Fixed.")
    deleted = await create(client, owner, name="Was deleted")
    await delete(client, ISSUE.format(deleted["guid"]), as_=owner)


@pytest.mark.parametrize(
    ("status", "expected"),
    [("Open", ["Still open"]), ("Closed", ["Was closed"]), ("Deleted", ["Was deleted"])],
)
async def test_status_finds_the_callers_issues_with_that_status(
    client: TestClient, owner: Person, member: Person, status: str, expected: list[str]
) -> None:
    # given open, closed and deleted issues of the owner, and of someone else
    await make_mixed(client, owner)
    await make_mixed(client, member)

    # when the owner searches by status
    reply = await get(client, f"{SEARCH}?status={status}", as_=owner)

    # then only their issues with that status are found
    assert reply.status == 200
    assert set(reply.body) == PAGE_KEYS
    assert names(reply) == expected
    assert [issue["status"] for issue in reply.body["issues"]] == [status]
    assert reply.body["count"] == 1


WORDS = [
    ("printer", ["Printer on fire"]),
    ("ROUTER", ["Slow network"]),
    ("hardware", ["Tagged only"]),
    ("coffee", []),
]


@pytest.mark.parametrize(("query", "expected"), WORDS)
async def test_query_matches_the_name_the_description_or_a_tag(
    client: TestClient, owner: Person, member: Person, query: str, expected: list[str]
) -> None:
    # given issues with a word in the name, in the description, or only in a tag
    await create(client, owner, name="Printer on fire", description="Smoke on floor 2.")
    await create(client, owner, name="Slow network", description="The router restarts.")
    await create(client, owner, name="Tagged only", tag_list=["hardware"])
    # and issues the owner takes no part in, which match too
    await create(client, member, name="Printer of the member", description="router hardware")

    # when the owner searches for a keyword
    reply = await get(client, f"{SEARCH}?query={query}", as_=owner)

    # then only the owner's matching issues are found (on either database)
    assert reply.status == 200
    assert names(reply) == expected
    assert reply.body["count"] == len(expected)


async def test_query_ignores_deleted_issues_and_issues_only_visible_to_the_caller(
    client: TestClient, owner: Person, member: Person, company: Company
) -> None:
    deleted = await create(client, owner, name="Printer gone")
    await delete(client, ISSUE.format(deleted["guid"]), as_=owner)
    await make_issue(member, await make_category(member, company), name="Public printer")

    reply = await get(client, f"{SEARCH}?query=printer", as_=owner)

    assert names(reply) == []


async def test_query_results_are_paged(client: TestClient, owner: Person) -> None:
    for number in range(5):
        await create(client, owner, name=f"Printer {number}")

    reply = await get(client, f"{SEARCH}?query=printer&limit=2&page=0", as_=owner)
    last = await get(client, f"{SEARCH}?query=printer&limit=2&page=3", as_=owner)

    assert len(reply.body["issues"]) == 2
    assert (reply.body["count"], reply.body["limit"], reply.body["offset"]) == (5, 2, 0)
    assert len(last.body["issues"]) == 1
    assert last.body["offset"] == 4


async def test_a_match_in_the_name_ranks_above_one_in_the_description(
    client: TestClient, owner: Person
) -> None:
    await create(client, owner, name="Printer on fire")
    await create(client, owner, name="Smoke", description="From the printer.")

    reply = await get(client, f"{SEARCH}?query=printer", as_=owner)

    assert names(reply) == ["Printer on fire", "Smoke"]


async def test_the_documents_examples_find_what_a_kinetic_client_expects(
    client: TestClient, owner: Person
) -> None:
    # given issues of the owner, four with "the" (one as the start of "theme"), one without
    await create(client, owner, name="The printer", description="Printers down.")
    await create(client, owner, name="Slow network", description="Since the storm.")
    await create(client, owner, name="Printers down", description="All of it.")
    await create(client, owner, name="Dark theme", tag_list=["ui"])
    await create(client, owner, name="Mail", description="Queued at THE relay.")
    closed = await create(client, owner, name="Broken chair")
    await edit(client, closed["guid"], owner, status="Closed", conclusion="Replaced.")

    # when the document's four examples are asked
    by_status = await get(client, f"{SEARCH}?status=Closed&limit=10&page=2", as_=owner)
    closed_ones = await get(client, f"{SEARCH}?status=Closed", as_=owner)
    the = await get(client, f"{SEARCH}?query=the", as_=owner)
    paged = await get(client, f"{SEARCH}?query=the&limit=5&page=0", as_=owner)
    printers = await get(client, f"{SEARCH}?query=print", as_=owner)

    # then a stop word and the start of a word are found, on either database, most relevant
    # (the word in the name) first, then newest
    assert (by_status.status, by_status.body["issues"], by_status.body["count"]) == (200, [], 1)
    assert names(closed_ones) == ["Broken chair"]
    expected = ["Dark theme", "The printer", "Mail", "Slow network"]
    assert names(the) == expected
    assert the.body["count"] == 4
    assert names(paged) == expected
    assert (paged.body["count"], paged.body["limit"], paged.body["offset"]) == (4, 5, 0)
    assert names(printers) == ["Printers down", "The printer"]


async def test_a_query_is_plain_words_even_with_quotes_colons_and_minus_signs(
    client: TestClient, owner: Person
) -> None:
    # given an issue whose text holds what looks like the search language
    await create(client, owner, name="Is open", description="Printer jam, not toner.")
    await create(client, owner, name="Printer", description="Toner low.")

    # when a query uses the language's marks
    reply = await get(client, f"{SEARCH}?{urlencode({'query': 'is:open -toner'})}", as_=owner)

    # then they are only words, all of which must match
    assert reply.status == 200
    assert names(reply) == ["Is open"]


@pytest.mark.parametrize(
    ("query", "message"),
    [
        ("", "The status or the query parameter is required."),
        ("?query=&status=", "The status or the query parameter is required."),
        ("?limit=5", "The status or the query parameter is required."),
        ("?status=Open&query=printer", "Use either the status or the query parameter, not both."),
        ("?status=open", "The status must be one of: Open, Closed, Deleted."),
        ("?status=Pending", "The status must be one of: Open, Closed, Deleted."),
        ("?query=" + "x" * 256, "The query may not be greater than 255 characters."),
        ("?query=printer&limit=0", "The limit must be at least 1."),
    ],
)
async def test_a_search_needs_exactly_one_of_status_and_query(
    client: TestClient, owner: Person, query: str, message: str
) -> None:
    reply = await get(client, SEARCH + query, as_=owner)

    assert reply.status == 422
    assert reply.body == {"success": False, "message": message}


async def test_without_a_token_nothing_is_searched(client: TestClient, anonymous: Person) -> None:
    reply = await get(client, f"{SEARCH}?status=Open", as_=anonymous)

    assert (reply.status, reply.body) == (401, UNAUTHENTICATED)


@pytest.mark.parametrize("query", ["the", "printer -fire", '"on fire"', "a | b & !c", "%_'"])
async def test_any_query_text_is_answered_never_a_server_error(
    client: TestClient, owner: Person, query: str
) -> None:
    # given an issue (the document's own example searches for "the", a stop word)
    await create(client, owner, name="Printer on fire", description="The smoke.")

    reply = await get(client, f"{SEARCH}?{urlencode({'query': query})}", as_=owner)

    assert reply.status == 200
    assert set(reply.body) == PAGE_KEYS
