"""The Atom feeds (RFC 4287): the company's issues, a category's, and an issue's timeline. Each
parses as Atom, has the elements the RFC requires, ids that stay the same from one request to
the next, at most 50 entries, and only what is public."""

import xml.etree.ElementTree as ET

import feedparser
from aiohttp.test_utils import TestClient

from issuetracker.models import Company
from issuetracker.resolvers.issues.writes import add_issue_event

from ..support import Person, make_category, make_issue
from .conftest import StatusWorld
from .helpers import fetch, issue_path, page_path, shows_nothing_private

ATOM = "{http://www.w3.org/2005/Atom}"
REQUIRED_OF_FEED = ["id", "title", "updated"]
REQUIRED_OF_ENTRY = ["id", "title", "updated"]


def feeds_of(world: StatusWorld) -> dict[str, str]:
    company = world.company
    return {
        "company": page_path(company, "/feed.atom"),
        "category": page_path(company, f"/categories/{world.network.id}/feed.atom"),
        "issue": issue_path(company, world.outage, "/feed.atom"),
    }


def xml_of(text: str) -> ET.Element:
    return ET.fromstring(text)  # noqa: S314 (the server's own answer, under test)


def assert_valid_atom(text: str, self_url: str) -> ET.Element:
    """RFC 4287's required elements, read directly (4.1.1, 4.1.2), and feedparser's verdict."""
    parsed = feedparser.parse(text)
    assert not parsed.bozo, parsed.bozo_exception
    assert parsed.version == "atom10"
    feed = xml_of(text)
    assert feed.tag == f"{ATOM}feed"
    for name in REQUIRED_OF_FEED:
        assert len(feed.findall(f"{ATOM}{name}")) == 1, name
    [self_link] = [link for link in feed.findall(f"{ATOM}link") if link.get("rel") == "self"]
    assert self_link.get("href") == self_url
    assert feed.findall(f"{ATOM}author/{ATOM}name")  # so no entry needs an author
    for entry in feed.findall(f"{ATOM}entry"):
        for name in REQUIRED_OF_ENTRY:
            assert len(entry.findall(f"{ATOM}{name}")) == 1, name
        [content] = entry.findall(f"{ATOM}content")
        assert content.get("type") == "text"
        [link] = entry.findall(f"{ATOM}link")
        assert link.get("rel") == "alternate"
    return feed


def entries(feed: ET.Element) -> list[dict[str, str]]:
    return [
        {
            "id": entry.findtext(f"{ATOM}id") or "",
            "title": entry.findtext(f"{ATOM}title") or "",
            "content": entry.findtext(f"{ATOM}content") or "",
            "link": entry.find(f"{ATOM}link").get("href") or "",  # type: ignore[union-attr]
        }
        for entry in feed.findall(f"{ATOM}entry")
    ]


async def test_each_feed_is_valid_atom(client: TestClient, world: StatusWorld) -> None:
    for kind, path in feeds_of(world).items():
        fetched = await fetch(client, path)

        assert fetched.status == 200, kind
        assert fetched.headers["Content-Type"] == "application/atom+xml; charset=utf-8"
        assert_valid_atom(fetched.text, f"http://testserver{path}")


async def test_the_company_feed_tells_of_its_issues_created_updated_and_resolved(
    client: TestClient, world: StatusWorld
) -> None:
    feed = assert_valid_atom(
        (await fetch(client, feeds_of(world)["company"])).text,
        f"http://testserver{feeds_of(world)['company']}",
    )

    titles = [entry["title"] for entry in entries(feed)]
    assert titles == [
        "New issue: VPN flaky",
        "Resolved: Slow Wi-Fi",
        "New issue: Slow Wi-Fi",
        "New issue: Paper jam",
        "Update: Internet down",
        "New issue: Internet down",
    ]
    [resolved] = [entry for entry in entries(feed) if entry["title"].startswith("Resolved")]
    assert resolved["content"] == "A new access point."
    assert resolved["link"] == f"http://testserver{issue_path(world.company, world.fixed)}"


async def test_the_category_and_issue_feeds_hold_only_their_own(
    client: TestClient, world: StatusWorld
) -> None:
    category = xml_of((await fetch(client, feeds_of(world)["category"])).text)
    issue = xml_of((await fetch(client, feeds_of(world)["issue"])).text)

    assert {entry["title"].split(": ")[1] for entry in entries(category)} == {
        "VPN flaky",
        "Slow Wi-Fi",
        "Internet down",
    }
    assert [entry["content"] for entry in entries(issue)] == [
        "The provider is on it.",
        "No traffic.",
    ]


async def test_entry_ids_stay_the_same_across_requests_and_new_events(
    client: TestClient, world: StatusWorld, owner: Person
) -> None:
    path = feeds_of(world)["company"]
    before = [entry["id"] for entry in entries(xml_of((await fetch(client, path)).text))]
    await add_issue_event(owner.scope, world.jam.id, "A technician is coming.")
    after = [entry["id"] for entry in entries(xml_of((await fetch(client, path)).text))]

    assert after[1:] == before
    assert len(set(after)) == len(after)
    assert all(entry_id.startswith("tag:testserver,") for entry_id in after)


async def test_a_feed_holds_at_most_fifty_entries(
    client: TestClient, owner: Person, company: Company
) -> None:
    category = await make_category(owner, company, "Busy")
    issue = await make_issue(owner, category, name="Chatty")
    for number in range(55):
        await add_issue_event(owner.scope, issue.id, f"Note {number}")

    feed = xml_of((await fetch(client, issue_path(company, issue, "/feed.atom"))).text)

    assert len(entries(feed)) == 50
    assert entries(feed)[0]["content"] == "Note 54"


async def test_feeds_show_nothing_private(client: TestClient, world: StatusWorld) -> None:
    for path in feeds_of(world).values():
        assert shows_nothing_private((await fetch(client, path)).text), path


async def test_private_hidden_and_missing_feeds_are_the_same_404(
    client: TestClient, world: StatusWorld
) -> None:
    missing = await fetch(client, "/status/nobody/feed.atom")
    answers = [
        await fetch(client, page_path(world.private_company, "/feed.atom")),
        await fetch(client, issue_path(world.company, world.secret, "/feed.atom")),
        await fetch(client, issue_path(world.company, world.deleted, "/feed.atom")),
        await fetch(
            client, page_path(world.company, f"/categories/{world.secret_category.id}/feed.atom")
        ),
    ]

    assert missing.status == 404
    for answer in answers:
        assert (answer.status, answer.text) == (missing.status, missing.text)


async def test_text_that_xml_cannot_hold_is_left_out_and_markup_is_escaped(
    client: TestClient, owner: Person, company: Company
) -> None:
    category = await make_category(owner, company, "Odd")
    issue = await make_issue(owner, category, name="Bell \x07 <b>&", description="a\x01b <i>")

    fetched = await fetch(client, issue_path(company, issue, "/feed.atom"))

    feed = assert_valid_atom(
        fetched.text, f"http://testserver{issue_path(company, issue)}/feed.atom"
    )
    [entry] = entries(feed)
    assert entry["title"] == "New issue: Bell  <b>&"
    assert entry["content"] == "ab <i>"
