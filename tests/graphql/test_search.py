"""Keyword search over an issue's name, description and tags through `issues(filter: {search})`.

PostgreSQL matches with full-text search and SQLite with substrings; the cases here are whole
words, which both answer alike, so this module runs unchanged on either database."""

import pytest

from issuetracker.models import Company, Issue
from issuetracker.resolvers.issues.writes import close_issue

from ..support import Api, Person, error_codes, make_category, make_issue
from .issue_helpers import FILTERED_ISSUE_NAMES

SEARCH = """
query ($filter: IssueFilterInput) { issues(filter: $filter) { nodes { name } totalCount } }
"""


@pytest.fixture
async def issues(owner: Person, company: Company) -> None:
    """Three public issues, oldest first, each matching some words by name, description or tag."""
    category = await make_category(owner, company)
    await make_issue(
        owner,
        category,
        name="Printer jammed",
        description="Paper stuck in tray two.",
        tags=["hardware"],
    )
    await make_issue(
        owner,
        category,
        name="Mail delayed",
        description="The server queue is full.",
        tags=["email"],
    )
    await make_issue(
        owner,
        category,
        name="Server room warm",
        description="Cooling failed overnight.",
        tags=["facilities"],
    )


async def search(api: Api, text: str, as_: Person | None = None, **filters: object) -> list[str]:
    data = await api.data(SEARCH, {"filter": {"search": text, **filters}}, as_=as_)
    assert data["issues"]["totalCount"] == len(data["issues"]["nodes"])
    return [node["name"] for node in data["issues"]["nodes"]]


@pytest.mark.usefixtures("issues")
@pytest.mark.parametrize(
    ("text", "found"),
    [
        pytest.param("printer", ["Printer jammed"], id="a word of the name"),
        pytest.param("PRINTER", ["Printer jammed"], id="in any case"),
        pytest.param("queue", ["Mail delayed"], id="a word of the description"),
        pytest.param("server", ["Server room warm", "Mail delayed"], id="name or description"),
        pytest.param("hardware", ["Printer jammed"], id="a tag"),
        pytest.param("Facilities", ["Server room warm"], id="a tag in any case"),
        pytest.param("  tray  ", ["Printer jammed"], id="surrounding spaces"),
        pytest.param("keyboard", [], id="nothing matches"),
    ],
)
async def test_search_finds_words_in_the_name_the_description_or_a_tag(
    api: Api, text: str, found: list[str]
) -> None:
    assert await search(api, text) == found


@pytest.mark.usefixtures("issues")
async def test_a_blank_search_finds_everything(api: Api) -> None:
    assert await search(api, "  ") == ["Server room warm", "Mail delayed", "Printer jammed"]


async def test_search_never_finds_what_the_viewer_may_not_see(
    api: Api, owner: Person, member: Person, outsider: Person, private_company: Company
) -> None:
    # given a matching issue in a private company, and one without categories
    await make_issue(owner, await make_category(owner, private_company), name="Printer secret")
    await make_issue(member, name="Printer of mine")

    # then each viewer finds only the matching issues they may see
    assert await search(api, "printer", as_=owner) == ["Printer secret"]
    assert await search(api, "printer", as_=member) == ["Printer of mine", "Printer secret"]
    assert await search(api, "printer", as_=outsider) == []
    assert await search(api, "printer") == []


@pytest.mark.usefixtures("issues")
async def test_search_combines_with_the_other_filters(api: Api, owner: Person) -> None:
    # given the server room issue closed, and an issue of the owner's own about a server
    warm = await Issue.get(name="Server room warm")
    await close_issue(owner.scope, warm.id, "Fixed the fan.")
    await make_issue(owner, name="My server", description="Mine.")

    # then the search narrows each filter's list
    assert await search(api, "server", as_=owner, status="OPEN") == ["My server", "Mail delayed"]
    assert await search(api, "server", as_=owner, status="CLOSED") == ["Server room warm"]
    assert await search(api, "server", as_=owner, involvingMe=True, tag="email") == ["Mail delayed"]


async def test_a_graphql_search_longer_than_the_limit_is_refused(api: Api, owner: Person) -> None:
    # when a search is longer than 255 characters
    body = await api.graphql(FILTERED_ISSUE_NAMES, {"filter": {"search": "x" * 256}}, as_=owner)

    # then it is refused as invalid input
    assert error_codes(body) == ["BAD_USER_INPUT"]
