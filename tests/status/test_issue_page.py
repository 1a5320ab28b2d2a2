"""GET /status/<slug>/issues/<id>: one issue as anyone sees it: its timeline, newest first, its
severity and state, the company's categories it is in, and a form to follow it."""

from aiohttp.test_utils import TestClient

from issuetracker.resolvers.issues.writes import add_issue_event

from ..support import Person
from .conftest import StatusWorld
from .helpers import facts, fetch, issue_path, page_path, shows_nothing_private


async def test_the_issue_page_shows_its_timeline_newest_first_with_times(
    client: TestClient, world: StatusWorld
) -> None:
    fetched = await fetch(client, issue_path(world.company, world.outage))

    assert fetched.status == 200
    page = fetched.page
    assert page.one("h1").text == "Internet down"
    events = page.one("ol", class_="timeline").all("li")
    assert [event.one("p").text for event in events] == ["The provider is on it.", "No traffic."]
    assert [event.one("h3").one("span").text for event in events] == ["Update", "Reported"]
    times = [event.one("time").attrs["datetime"] for event in events]
    assert times == sorted(times, reverse=True)


async def test_the_issue_page_shows_its_severity_state_and_categories(
    client: TestClient, world: StatusWorld
) -> None:
    shown = facts((await fetch(client, issue_path(world.company, world.fixed))).page)

    assert shown["State"].startswith("Resolved ")
    assert shown["Severity"] == "Minor"
    assert shown["Categories"] == "Network"


async def test_an_issue_shared_with_a_private_company_shows_only_the_public_category(
    client: TestClient, world: StatusWorld
) -> None:
    fetched = await fetch(client, issue_path(world.company, world.shared))

    assert fetched.status == 200
    assert facts(fetched.page)["Categories"] == "Network"
    assert shows_nothing_private(fetched.text)


async def test_hidden_deleted_and_other_companies_issues_are_the_same_404(
    client: TestClient, world: StatusWorld
) -> None:
    missing = await fetch(client, page_path(world.company, "/issues/999999"))
    answers = [
        await fetch(client, issue_path(world.company, issue))
        for issue in (world.secret, world.deleted)
    ] + [
        await fetch(client, issue_path(world.private_company, world.secret)),
        await fetch(client, page_path(world.company, "/issues/99999999999999999999")),
        await fetch(client, page_path(world.company, "/issues/x1")),
    ]

    assert missing.status == 404
    for answer in answers:
        assert (answer.status, answer.text) == (missing.status, missing.text)


async def test_an_open_issue_has_a_follow_form_and_a_resolved_one_says_it_takes_none(
    client: TestClient, world: StatusWorld
) -> None:
    open_page = (await fetch(client, issue_path(world.company, world.outage))).page
    closed_page = (await fetch(client, issue_path(world.company, world.fixed))).page

    form = open_page.one("form")
    assert form.attrs["method"] == "post"
    assert form.attrs["action"] == issue_path(world.company, world.outage, "/follow")
    assert closed_page.all("form") == []
    assert "takes no new followers" in closed_page.text


async def test_the_issue_page_links_its_own_feed(
    client: TestClient, world: StatusWorld, owner: Person
) -> None:
    await add_issue_event(owner.scope, world.jam.id, "Cleared.")

    page = (await fetch(client, issue_path(world.company, world.jam))).page

    [alternate] = [link for link in page.all("link") if link.attrs.get("rel") == "alternate"]
    assert alternate.attrs["href"] == issue_path(world.company, world.jam, "/feed.atom")
    assert page.one("nav").one("a").attrs["href"] == page_path(world.company)
