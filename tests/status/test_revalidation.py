"""Pages and feeds are kept as rendered copies while nothing they show changes, in every
process alike: a view costs one SQL statement, whatever the number of issues; every change
they show is seen at once; clients revalidate with `ETag` and `Last-Modified` and get `304`."""

import asyncio
from collections.abc import Awaitable, Callable

import pytest
from aiohttp.test_utils import TestClient
from pytest_aiohttp import AiohttpClient

from issuetracker.models import Company, Severity
from issuetracker.resolvers.companies import categories, companies
from issuetracker.resolvers.companies.companies import CompanyChanges
from issuetracker.resolvers.issues import writes
from issuetracker.resolvers.issues.inputs import IssueChanges
from issuetracker.server import create_app
from issuetracker.settings import Settings

from ..sql_counter import count_sql
from ..support import Person, make_category, make_issue
from .conftest import StatusWorld
from .helpers import fetch, issue_path, page_path

Change = Callable[[StatusWorld, Person], Awaitable[object]]


async def _rename_issue(world: StatusWorld, owner: Person) -> object:
    return await writes.update_issue(owner.scope, world.jam.id, IssueChanges(name="Jam fixed?"))


async def _raise_severity(world: StatusWorld, owner: Person) -> object:
    changes = IssueChanges(severity=Severity.CRITICAL.value)
    return await writes.update_issue(owner.scope, world.jam.id, changes)


async def _move_to_the_private_company(world: StatusWorld, owner: Person) -> object:
    changes = IssueChanges(category_ids=[world.secret_category.id])
    return await writes.update_issue(owner.scope, world.jam.id, changes)


async def _add_note(world: StatusWorld, owner: Person) -> object:
    return await writes.add_issue_event(owner.scope, world.jam.id, "Still jammed.")


async def _close(world: StatusWorld, owner: Person) -> object:
    return await writes.close_issue(owner.scope, world.jam.id, "Cleared.")


async def _delete(world: StatusWorld, owner: Person) -> object:
    return await writes.delete_issue(owner.scope, world.jam.id)


async def _new_issue(world: StatusWorld, owner: Person) -> object:
    return await make_issue(owner, world.printers, name="Printer on fire")


async def _rename_category(world: StatusWorld, owner: Person) -> object:
    return await categories.update_category(owner.scope, world.printers.id, "Printing")


async def _new_category(world: StatusWorld, owner: Person) -> object:
    return await make_category(owner, world.company, "Telephones")


async def _delete_category(world: StatusWorld, owner: Person) -> object:
    return await categories.delete_category(owner.scope, world.printers.id)


async def _rename_company(world: StatusWorld, owner: Person) -> object:
    changes = CompanyChanges(name="Renamed Inc", logo_url="https://example.com/logo.png")
    return await companies.update_company(owner.scope, world.company.id, changes)


CHANGES: list[Change] = [
    _rename_issue,
    _raise_severity,
    _move_to_the_private_company,
    _add_note,
    _close,
    _delete,
    _new_issue,
    _rename_category,
    _new_category,
    _delete_category,
    _rename_company,
]


@pytest.mark.parametrize("change", CHANGES, ids=lambda change: change.__name__.strip("_"))
async def test_every_change_a_page_shows_is_seen_at_once(
    aiohttp_client: AiohttpClient,
    settings: Settings,
    client: TestClient,
    world: StatusWorld,
    owner: Person,
    change: Change,
) -> None:
    # given the company's page, its feed and an issue's page, each seen once (and kept)
    paths = [
        page_path(world.company),
        page_path(world.company, "/feed.atom"),
        page_path(world.company, f"/categories/{world.printers.id}/feed.atom"),
        issue_path(world.company, world.jam),
        issue_path(world.company, world.jam, "/feed.atom"),
    ]
    before = {path: await fetch(client, path) for path in paths}

    # when something they show changes
    await change(world, owner)

    # then every page and feed is what a new process, which has kept nothing, answers, also
    # to a client revalidating what it had
    new_process = await aiohttp_client(create_app(settings, manage_database=False))
    changed = []
    for path in paths:
        had = {"If-None-Match": before[path].headers.get("ETag", "")}
        kept, fresh = await fetch(client, path, **had), await fetch(new_process, path)
        if kept.status == 304:
            assert fresh.headers["ETag"] == before[path].headers["ETag"], path
        else:
            assert (kept.status, kept.text) == (fresh.status, fresh.text), path
            assert kept.headers.get("ETag") == fresh.headers.get("ETag"), path
            changed.append(path)
    assert changed


async def test_a_page_is_revalidated_with_its_etag_and_its_last_modified(
    client: TestClient, world: StatusWorld
) -> None:
    path = page_path(world.company)
    first = await fetch(client, path)

    etag, last_modified = first.headers["ETag"], first.headers["Last-Modified"]
    assert first.headers["Cache-Control"] == "public, max-age=30"
    assert (await fetch(client, path, **{"If-None-Match": etag})).status == 304
    assert (await fetch(client, path, **{"If-None-Match": f'"x", W/{etag}'})).status == 304
    assert (await fetch(client, path, **{"If-Modified-Since": last_modified})).status == 304
    stale = await fetch(
        client, path, **{"If-None-Match": '"stale"', "If-Modified-Since": last_modified}
    )
    assert stale.status == 200
    not_modified = await fetch(client, path, **{"If-None-Match": etag})
    assert not_modified.text == ""
    assert not_modified.headers["ETag"] == etag
    assert not_modified.headers["Cache-Control"] == "public, max-age=30"


async def _statements_of_two_views(client: TestClient, path: str) -> tuple[int, int]:
    """The statements of a first view (rendered) and of a second one (kept)."""
    with count_sql() as first:
        assert (await fetch(client, path)).status == 200
    with count_sql() as second:
        assert (await fetch(client, path)).status == 200
    return len(first), len(second)


async def test_a_view_costs_one_statement_and_a_new_copy_two_whatever_the_size(
    client: TestClient, owner: Person, company: Company
) -> None:
    # given a company with two issues in a category, one of them with a few notes
    category = await make_category(owner, company, "Network")
    busy = await make_issue(owner, category, name="Busy")
    await make_issue(owner, category)
    paths = [
        page_path(company),
        issue_path(company, busy),
        page_path(company, "/feed.atom"),
        page_path(company, f"/categories/{category.id}/feed.atom"),
        issue_path(company, busy, "/feed.atom"),
    ]
    small = [await _statements_of_two_views(client, path) for path in paths]

    # when it has thirty more issues and notes
    for number in range(30):
        await make_issue(owner, category, name=f"Issue {number}")
        await writes.add_issue_event(owner.scope, busy.id, f"Note {number}")
    large = [await _statements_of_two_views(client, path) for path in paths]

    # then every page and feed costs the same: the stamp, and the read when it is made anew
    assert small == large == [(2, 1)] * len(paths)


async def test_every_process_gives_a_copy_the_same_etag(
    aiohttp_client: AiohttpClient, settings: Settings, client: TestClient, world: StatusWorld
) -> None:
    other_process = await aiohttp_client(create_app(settings, manage_database=False))
    path = page_path(world.company)

    etag = (await fetch(client, path)).headers["ETag"]

    assert (await fetch(other_process, path, **{"If-None-Match": etag})).status == 304


async def test_views_coming_together_wait_for_one_rendering(
    client: TestClient, world: StatusWorld
) -> None:
    # when ten readers open the page at once
    with count_sql() as statements:
        views = await asyncio.gather(*(fetch(client, page_path(world.company)) for _ in range(10)))

    # then each was answered, with the same page, read from the database once
    assert {(view.status, view.text) for view in views} == {(200, views[0].text)}
    stamps = [sql for sql in statements if "co.status_version" in sql]
    assert len(stamps) == 10
    assert len(statements) - len(stamps) == 1
