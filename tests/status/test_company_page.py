"""GET /status/<slug>: a public company's status, as anyone sees it: its overall state, each
category's open issues, newest first, what was resolved lately, and a form to follow it. Only
what is public: a private company's page is the same 404 as a missing one's."""

from datetime import UTC, datetime, timedelta

from aiohttp.test_utils import TestClient
from pytest_aiohttp import AiohttpClient

from issuetracker.models import Company
from issuetracker.server import create_app
from issuetracker.settings import Settings

from ..support import Person, make_category, make_issue
from .conftest import StatusWorld
from .helpers import fetch, issue_names, page_path, section, shows_nothing_private


async def test_the_page_shows_each_categorys_open_issues_and_those_resolved_lately(
    client: TestClient, world: StatusWorld
) -> None:
    # when anyone opens the company's status page
    fetched = await fetch(client, page_path(world.company))

    # then each category lists its open issues, newest first, and the resolved one is below
    assert fetched.status == 200
    assert fetched.headers["Content-Type"] == "text/html; charset=utf-8"
    page = fetched.page
    assert page.one("h1").text == f"{world.company.name} status"
    assert issue_names(section(page, "Network")) == ["VPN flaky", "Internet down"]
    assert issue_names(section(page, "Printers")) == ["Paper jam"]
    assert issue_names(section(page, "Resolved in the last 7 days")) == ["Slow Wi-Fi"]


async def test_the_overall_state_is_the_most_severe_open_issues_severity(
    client: TestClient, world: StatusWorld
) -> None:
    page = (await fetch(client, page_path(world.company))).page

    overall = page.one("section", class_="overall")
    assert overall.one("h2").text == "Critical: 3 open issues"
    assert "The most severe open issue is critical." in overall.text


async def test_with_no_open_issue_all_is_clear(
    client: TestClient, owner: Person, company: Company
) -> None:
    await make_category(owner, company, "Network")

    page = (await fetch(client, page_path(company))).page

    assert page.one("section", class_="overall").one("h2").text == "All clear"
    assert "No open issues." in section(page, "Network").text


async def test_each_issue_shows_its_severity_and_when_it_started_and_was_last_updated(
    client: TestClient, world: StatusWorld
) -> None:
    page = (await fetch(client, page_path(world.company))).page

    [outage] = [item for item in section(page, "Network").all("li") if "Internet" in item.text]
    assert outage.one("a").attrs["href"] == page_path(world.company, f"/issues/{world.outage.id}")
    assert outage.one("span", class_="severity").text == "Critical"
    started, updated = outage.all("time")
    assert started.attrs["datetime"] == f"{world.outage.created_at:%Y-%m-%dT%H:%M:%SZ}"
    assert updated.attrs["datetime"] >= started.attrs["datetime"]
    assert "Started" in outage.text
    assert "Last update" in outage.text


async def test_nothing_private_is_shown(client: TestClient, world: StatusWorld) -> None:
    # given an issue only in a private company, one in both companies, and a deleted one
    fetched = await fetch(client, page_path(world.company))

    # then the shared issue is shown under the public category, and nothing else of them
    assert "VPN flaky" in fetched.text
    assert shows_nothing_private(fetched.text)


async def test_a_private_companys_page_is_the_same_404_as_a_missing_ones(
    client: TestClient, world: StatusWorld
) -> None:
    private = await fetch(client, page_path(world.private_company))
    missing = await fetch(client, "/status/no-such-company")
    malformed = await fetch(client, "/status/Not%20A%20Slug")

    assert private.status == missing.status == malformed.status == 404
    assert private.text == missing.text == malformed.text
    assert private.lasting_headers == missing.lasting_headers
    assert "Merger" not in private.text


async def test_the_page_links_its_feeds_for_readers(client: TestClient, world: StatusWorld) -> None:
    page = (await fetch(client, page_path(world.company))).page

    [alternate] = [link for link in page.all("link") if link.attrs.get("rel") == "alternate"]
    assert alternate.attrs["type"] == "application/atom+xml"
    assert alternate.attrs["href"] == page_path(world.company, "/feed.atom")
    category_feeds = [a.attrs["href"] for a in page.all("a", class_="feed-link")]
    assert category_feeds == [
        page_path(world.company, f"/categories/{world.network.id}/feed.atom"),
        page_path(world.company, f"/categories/{world.printers.id}/feed.atom"),
    ]


async def test_issues_resolved_more_than_seven_days_ago_are_no_longer_listed(
    aiohttp_client: AiohttpClient, settings: Settings, world: StatusWorld
) -> None:
    # given the server's clock nine days on
    later = datetime.now(UTC) + timedelta(days=9)
    client = await aiohttp_client(create_app(settings, manage_database=False, clock=lambda: later))

    page = (await fetch(client, page_path(world.company))).page

    resolved = section(page, "Resolved in the last 7 days")
    assert issue_names(resolved) == []
    assert "Nothing was resolved since" in resolved.text


async def test_the_page_is_readable_without_scripts_and_accessible_in_its_structure(
    client: TestClient, world: StatusWorld, owner: Person
) -> None:
    await make_issue(owner, world.network, name="<script>alert(1)</script>")

    fetched = await fetch(client, page_path(world.company))

    page = fetched.page
    assert page.one("html").attrs["lang"] == "en"
    assert len(page.all("h1")) == 1
    assert len(page.all("main")) == 1
    assert page.all("header")
    assert page.all("footer")
    assert page.all("script") == []
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in fetched.text
    assert 'name="viewport"' in fetched.text
    for field in page.one("form").all("input") + page.one("form").all("select"):
        [label] = [label for label in page.all("label") if label.attrs["for"] == field.attrs["id"]]
        assert label.text
    assert all(time.attrs["datetime"].endswith("Z") for time in page.all("time"))
