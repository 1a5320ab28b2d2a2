"""One corpus of issues and searches with the issues each must find: the same sets on SQLite
and on PostgreSQL (the suite runs on both), through `issues(filter: {search})`."""

import pytest

from issuetracker.models import Company, Severity
from issuetracker.resolvers.issues.writes import close_issue, delete_issue

from ..support import Api, Person, make_category, make_company, make_issue, only_error

SEARCH = """
query ($search: String) {
  issues(first: 100, filter: {search: $search}) { nodes { name } totalCount }
}
"""

CORPUS = [
    # name, description, tags, severity
    ("Printers down", "Both printers on floor two stopped.", ["hardware"], Severity.CRITICAL),
    ("The café menu", "Crème brûlée is missing.", [], Severity.INFO),
    ("Slow network", "The router restarts at night.", ["network"], Severity.IMPORTANT),
    ("Paper jam", "A printer jam in tray 2; paper stuck.", ["hardware"], Severity.INFO),
    ("E-mail delayed", "Mails queue on the relay.", ["e-mail"], Severity.IMPORTANT),
    ("Naïve ÜBER résumé", "Accents everywhere.", [], Severity.INFO),
    ("Theme broken", "Dark theme unreadable.", ["ui"], Severity.INFO),
]

WORDS = [
    ("the", {"The café menu", "E-mail delayed", "Theme broken"}),
    ("print", {"Printers down", "Paper jam"}),
    ("PRINTERS", {"Printers down"}),
    ("cafe", {"The café menu"}),
    ("CAFÉ", {"The café menu"}),
    ("creme brulee", {"The café menu"}),
    ("uber resume naive", {"Naïve ÜBER résumé"}),
    ("hardware", {"Printers down", "Paper jam"}),
    ("e-mail", {"E-mail delayed"}),
    ("mail", {"E-mail delayed"}),
    ("outer", set()),
    ("rinter", set()),
    ("printer jam", {"Paper jam"}),
    ("tray 2", {"Paper jam"}),
    ('"paper jam"', {"Paper jam"}),
    ('"printer jam"', {"Paper jam"}),
    ('"printers jam"', set()),
    ('"print"', set()),
    ('"jam paper"', set()),
    ("printer -jam", {"Printers down"}),
    ('printer -"paper stuck"', {"Printers down"}),
    ("dark the", {"Theme broken"}),
    ("is:open print", {"Printers down"}),
    ("is:closed", {"Paper jam"}),
    ("is:deleted", {"Slow network"}),
    ("is:deleted router", {"Slow network"}),
    ("severity:critical", {"Printers down"}),
    ("severity:important the", {"E-mail delayed"}),
    ("tag:hardware", {"Printers down", "Paper jam"}),
    ("tag:HARDWARE tag:network", set()),
    ('company:"Acme Inc" menu', {"The café menu"}),
    ("company:acme", set()),
    ('category:"Front desk"', {"The café menu", "Theme broken"}),
    ("created:>2000-01-01", {name for name, *_ in CORPUS} - {"Slow network"}),
    ("created:<2000-01-01", set()),
    ("created:2000-01-01..*", {name for name, *_ in CORPUS} - {"Slow network"}),
]


@pytest.fixture
async def corpus(owner: Person, company: Company) -> None:
    """The corpus in the owner's company; "Paper jam" closed, "Slow network" deleted; the café
    and the theme also in "Front desk" of a second company, "Acme Inc"."""
    acme = await make_company(owner, name="Acme Inc")
    general = await make_category(owner, company)
    front_desk = await make_category(owner, acme, name="Front desk")
    for name, description, tags, severity in CORPUS:
        categories = (
            [general, front_desk] if name in ("The café menu", "Theme broken") else [general]
        )
        issue = await make_issue(
            owner, *categories, name=name, description=description, tags=tags, severity=severity
        )
        if name == "Paper jam":
            await close_issue(owner.scope, issue.id, "Cleared.")
        if name == "Slow network":
            await delete_issue(owner.scope, issue.id)


@pytest.mark.usefixtures("corpus")
@pytest.mark.parametrize(("text", "found"), WORDS, ids=[text for text, _ in WORDS])
async def test_each_search_finds_the_same_issues_on_either_database(
    api: Api, owner: Person, text: str, found: set[str]
) -> None:
    # when the owner searches
    data = await api.data(SEARCH, {"search": text}, as_=owner)

    # then exactly the corpus' answer is found
    names = {node["name"] for node in data["issues"]["nodes"]}
    assert names == found
    assert data["issues"]["totalCount"] == len(found)


@pytest.mark.usefixtures("corpus")
async def test_owner_and_involves_me_are_the_viewers_issues(
    api: Api, owner: Person, member: Person, company: Company
) -> None:
    # given an issue of the member in the owner's public company
    await make_issue(member, await make_category(member, company), name="Member's printer")

    # when each asks for their own printer issues
    mine = await api.data(SEARCH, {"search": "owner:me printer"}, as_=member)
    involved = await api.data(SEARCH, {"search": "involves:me print"}, as_=owner)

    # then only those they own, or take part in, are found
    assert [node["name"] for node in mine["issues"]["nodes"]] == ["Member's printer"]
    assert {node["name"] for node in involved["issues"]["nodes"]} == {"Printers down", "Paper jam"}


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("label:bug", "Unknown qualifier label: in the search"),
        ("is:pending", "is: takes open, closed or deleted, not 'pending'."),
        ("severity:high", "severity: takes critical, important or info, not 'high'."),
        ("created:yesterday", "created: takes a day such as >2026-01-01 or a range"),
        ("owner:alice", "owner: takes only me, not 'alice'."),
        ("-is:open", "A qualifier cannot be excluded: -is:."),
    ],
)
async def test_a_search_the_language_cannot_read_is_refused_naming_the_problem(
    api: Api, owner: Person, text: str, message: str
) -> None:
    body = await api.graphql(SEARCH, {"search": text}, as_=owner)

    code, said = only_error(body)
    assert code == "BAD_USER_INPUT"
    assert message in said or message in str(body["errors"][0]["extensions"])


async def test_owner_me_needs_a_token(api: Api, anonymous: Person) -> None:
    body = await api.graphql(SEARCH, {"search": "owner:me"}, as_=anonymous)

    assert only_error(body)[0] == "UNAUTHENTICATED"
