"""ConnectNow GET /api/issues: the paginator envelope, newest first, `with` includes, and the
filters (companies, categories, severity, status, creation day), for what the caller may see."""

from datetime import UTC, datetime

import pytest
from aiohttp.test_utils import TestClient

from issuetracker.models import Company, Issue, Severity

from ..support import Person, make_category, make_company, make_issue
from .helpers import (
    CATEGORY_KEYS,
    CLOSE,
    COMPANY_KEYS,
    EVENT_KEYS,
    ISSUE_KEYS,
    ISSUES,
    PAGE_KEYS,
    assert_timestamps,
    get,
    names,
    post,
)


async def set_created_at(issue: Issue, moment: datetime) -> None:
    await Issue.filter(id=issue.id).update(created_at=moment)


# --- the list -----------------------------------------------------------------------------------


async def test_the_list_has_the_paginator_envelope_and_the_sample_issue_shape(
    client: TestClient, owner: Person, company: Company
) -> None:
    # given one issue
    issue = await make_issue(owner, await make_category(owner, company), name="Bad printers")

    # when anyone lists issues
    reply = await get(client, ISSUES)

    # then the envelope and the row are those of the sample
    assert reply.status == 200
    assert set(reply.body) == PAGE_KEYS
    assert reply.body["current_page"] == 1
    assert reply.body["per_page"] == 15
    assert (reply.body["from"], reply.body["to"]) == (1, 1)
    assert reply.body["next_page_url"] is None
    assert reply.body["prev_page_url"] is None
    assert reply.body["path"].endswith("/api/issues")
    assert reply.body["first_page_url"] == reply.body["path"] + "?page=1"
    [row] = reply.body["data"]
    assert set(row) == ISSUE_KEYS
    assert row["id"] == issue.id
    assert row["name"] == "Bad printers"
    assert row["severity"] == "info"
    assert row["closed_at"] is None
    assert_timestamps(row)


async def test_issues_are_listed_newest_first(
    client: TestClient, owner: Person, company: Company
) -> None:
    # given three issues created one after another
    category = await make_category(owner, company)
    for name in ("First", "Second", "Third"):
        await make_issue(owner, category, name=name)

    # when anyone lists them
    reply = await get(client, ISSUES)

    # then the newest comes first
    assert names(reply) == ["Third", "Second", "First"]


async def test_an_empty_list_has_null_from_and_to(client: TestClient) -> None:
    # given no issues at all

    # when anyone lists issues
    reply = await get(client, ISSUES)

    # then the page is empty, like Laravel's
    assert reply.status == 200
    assert reply.body["data"] == []
    assert (reply.body["from"], reply.body["to"]) == (None, None)


async def test_private_issues_are_listed_for_members_only(
    client: TestClient,
    owner: Person,
    member: Person,
    outsider: Person,
    anonymous: Person,
    company: Company,
    private_company: Company,
) -> None:
    # given an issue in a public company and one in a private company
    await make_issue(owner, await make_category(owner, company), name="Public")
    await make_issue(owner, await make_category(owner, private_company), name="Private")

    # when each person lists issues
    as_member = await get(client, ISSUES, as_=member)
    as_outsider = await get(client, ISSUES, as_=outsider)
    as_anonymous = await get(client, ISSUES, as_=anonymous)

    # then only members see the private company's issue
    assert names(as_member) == ["Private", "Public"]
    assert names(as_outsider) == ["Public"]
    assert names(as_anonymous) == ["Public"]


async def test_an_unknown_with_value_is_refused(client: TestClient) -> None:
    # when the list asks for a relation the dialect does not have
    reply = await get(client, ISSUES + "?with[]=owner")

    # then it is a validation error on `with`
    assert reply.status == 422
    assert set(reply.body) == {"message", "errors"}
    assert "with" in reply.body["errors"]


@pytest.mark.parametrize(
    "query", ["?with[]=categories&with[]=events", "?with=categories,events"], ids=["array", "csv"]
)
async def test_with_categories_and_events_in_either_form(
    client: TestClient, owner: Person, company: Company, query: str
) -> None:
    # given an issue in two categories
    network = await make_category(owner, company, "Network")
    printers = await make_category(owner, company, "Printers")
    await make_issue(owner, network, printers, description="Floor 2 is offline.")

    # when the list asks for categories and events
    reply = await get(client, ISSUES + query)

    # then both are appended to the issue, and nothing more
    assert reply.status == 200
    [row] = reply.body["data"]
    assert set(row) == ISSUE_KEYS | {"categories", "events"}
    assert [category["name"] for category in row["categories"]] == ["Network", "Printers"]
    for category in row["categories"]:
        assert set(category) == CATEGORY_KEYS
        assert category["company_id"] == company.id
        assert_timestamps(category)
    [event] = row["events"]
    assert set(event) == EVENT_KEYS
    assert event["issue_id"] == row["id"]
    assert event["description"] == "Floor 2 is offline."
    assert_timestamps(event)


async def test_with_categories_company_appends_each_categorys_company(
    client: TestClient, owner: Person, company: Company
) -> None:
    # given an issue in a category
    await make_issue(owner, await make_category(owner, company, "Network"))

    # when the list asks for the categories' companies
    reply = await get(client, ISSUES + "?with=categories.company")

    # then the categories come with their company, as in Laravel's nested eager loading
    [row] = reply.body["data"]
    [category] = row["categories"]
    assert set(category) == CATEGORY_KEYS | {"company"}
    assert set(category["company"]) == COMPANY_KEYS
    assert category["company"]["id"] == company.id
    assert category["company"]["name"] == company.name
    assert "events" not in row


async def test_with_categories_shows_only_the_categories_the_caller_may_see(
    client: TestClient, owner: Person, member: Person, company: Company, private_company: Company
) -> None:
    # given an issue in a public and a private category
    public = await make_category(owner, company, "Public desk")
    hidden = await make_category(owner, private_company, "Board room")
    await make_issue(owner, public, hidden, name="Shared")

    # when anonymous and a member list it with its categories
    as_anonymous = await get(client, ISSUES + "?with[]=categories")
    as_member = await get(client, ISSUES + "?with[]=categories", as_=member)

    # then anonymous sees the issue but not the private category
    assert [c["id"] for c in as_anonymous.body["data"][0]["categories"]] == [public.id]
    assert [c["id"] for c in as_member.body["data"][0]["categories"]] == [public.id, hidden.id]


# --- filters ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "template",
    ["?company_ids[]={}&company_ids[]={}", "?company_ids={},{}"],
    ids=["array", "csv"],
)
async def test_issues_filtered_by_company_ids(
    client: TestClient, owner: Person, company: Company, template: str
) -> None:
    # given issues in three companies
    second = await make_company(owner, name="Second Inc")
    third = await make_company(owner, name="Third Inc")
    await make_issue(owner, await make_category(owner, company), name="First's")
    await make_issue(owner, await make_category(owner, second), name="Second's")
    await make_issue(owner, await make_category(owner, third), name="Third's")

    # when the list is filtered by two companies
    reply = await get(client, ISSUES + template.format(company.id, third.id))

    # then only their issues remain
    assert reply.status == 200
    assert names(reply) == ["Third's", "First's"]


@pytest.mark.parametrize(
    "template",
    ["?category_ids[]={}&category_ids[]={}", "?category_ids={},{}"],
    ids=["array", "csv"],
)
async def test_issues_filtered_by_category_ids(
    client: TestClient, owner: Person, company: Company, template: str
) -> None:
    # given issues in three categories
    network = await make_category(owner, company, "Network")
    printers = await make_category(owner, company, "Printers")
    phones = await make_category(owner, company, "Phones")
    await make_issue(owner, network, name="Switch down")
    await make_issue(owner, printers, name="Paper jam")
    await make_issue(owner, phones, name="No dial tone")

    # when the list is filtered by two of them
    reply = await get(client, ISSUES + template.format(network.id, phones.id))

    # then issues of either category are listed
    assert names(reply) == ["No dial tone", "Switch down"]


async def test_a_single_category_id_filters_too(
    client: TestClient, owner: Person, company: Company
) -> None:
    # given issues in two categories
    network = await make_category(owner, company)
    printers = await make_category(owner, company)
    await make_issue(owner, network, name="Switch down")
    await make_issue(owner, printers, name="Paper jam")

    # when the list is filtered by one id without brackets
    reply = await get(client, ISSUES + f"?category_ids={printers.id}")

    # then only that category's issue is listed
    assert names(reply) == ["Paper jam"]


@pytest.mark.parametrize("parameter", ["company_ids", "category_ids"])
async def test_a_non_numeric_filter_id_is_refused(client: TestClient, parameter: str) -> None:
    # when a filter id is not a number
    reply = await get(client, ISSUES + f"?{parameter}[]=abc")

    # then it is a validation error on that parameter
    assert reply.status == 422
    assert parameter in reply.body["errors"]


@pytest.mark.parametrize("parameter", ["company_ids", "category_ids"])
async def test_an_unknown_or_hidden_filter_id_is_refused(
    client: TestClient,
    owner: Person,
    outsider: Person,
    company: Company,
    private_company: Company,
    parameter: str,
) -> None:
    # given a visible issue, and a private company and category the outsider cannot see
    await make_issue(owner, await make_category(owner, company))
    hidden_category = await make_category(owner, private_company)
    hidden_id = private_company.id if parameter == "company_ids" else hidden_category.id

    # when a filter names an id that does not exist, or one the caller cannot see
    missing = await get(client, ISSUES + f"?{parameter}[]=999999", as_=outsider)
    hidden = await get(client, ISSUES + f"?{parameter}[]={hidden_id}", as_=outsider)

    # then the documented rule "Must be an existing ID" refuses both alike
    assert missing.status == hidden.status == 422
    assert list(missing.body["errors"]) == [parameter]
    assert missing.body == hidden.body


async def test_issues_filtered_by_severity(
    client: TestClient, owner: Person, company: Company
) -> None:
    # given issues of every severity
    category = await make_category(owner, company)
    await make_issue(owner, category, name="Fire", severity=Severity.CRITICAL)
    await make_issue(owner, category, name="Smoke", severity=Severity.IMPORTANT)
    await make_issue(owner, category, name="Smell", severity=Severity.INFO)

    # when the list is filtered by severity
    reply = await get(client, ISSUES + "?severity=important")

    # then only that severity is listed
    assert names(reply) == ["Smoke"]


async def test_issues_filtered_by_status(
    client: TestClient, owner: Person, member: Person, company: Company
) -> None:
    # given one open and one closed issue
    category = await make_category(owner, company)
    await make_issue(owner, category, name="Still open")
    done = await make_issue(owner, category, name="Done")
    assert (
        await post(client, CLOSE.format(done.id), as_=member, json={"description": "Ok"})
    ).status == 200

    # when the list is filtered by status
    closed = await get(client, ISSUES + "?status=closed")
    still_open = await get(client, ISSUES + "?status=open")

    # then each status lists its own
    assert names(closed) == ["Done"]
    assert names(still_open) == ["Still open"]


@pytest.mark.parametrize(
    ("query", "field"),
    [
        ("?severity=urgent", "severity"),
        ("?status=pending", "status"),
        ("?after=2021-13-01", "after"),
        ("?after=yesterday", "after"),
        ("?before=26/04/2021", "before"),
    ],
)
async def test_a_bad_filter_value_is_refused(client: TestClient, query: str, field: str) -> None:
    # when a filter has a value outside its rules
    reply = await get(client, ISSUES + query)

    # then it is a Laravel validation error on that field
    assert reply.status == 422
    assert isinstance(reply.body["message"], str)
    assert list(reply.body["errors"]) == [field]
    assert all(isinstance(message, str) for message in reply.body["errors"][field])


async def test_after_is_inclusive_and_before_exclusive_by_day(
    client: TestClient, owner: Person, company: Company
) -> None:
    # given issues created on three days
    category = await make_category(owner, company)
    for day, name in ((9, "Ninth"), (10, "Tenth"), (11, "Eleventh")):
        issue = await make_issue(owner, category, name=name)
        await set_created_at(issue, datetime(2024, 1, day, 12, tzinfo=UTC))

    # when the list is filtered by dates
    after = await get(client, ISSUES + "?after=2024-01-10")
    before = await get(client, ISSUES + "?before=2024-01-10")
    between = await get(client, ISSUES + "?after=2024-01-10&before=2024-01-11")

    # then each bound is a day boundary
    assert names(after) == ["Eleventh", "Tenth"]
    assert names(before) == ["Ninth"]
    assert names(between) == ["Tenth"]


async def test_filters_combine(
    client: TestClient, owner: Person, member: Person, company: Company
) -> None:
    # given issues that differ in severity and status
    network = await make_category(owner, company)
    printers = await make_category(owner, company)
    await make_issue(owner, network, name="Open fire", severity=Severity.CRITICAL)
    await make_issue(owner, network, name="Open smell", severity=Severity.INFO)
    await make_issue(owner, printers, name="Printer fire", severity=Severity.CRITICAL)
    done = await make_issue(owner, network, name="Closed fire", severity=Severity.CRITICAL)
    assert (
        await post(client, CLOSE.format(done.id), as_=member, json={"description": "Ok"})
    ).status == 200

    # when every filter is given at once
    reply = await get(
        client,
        ISSUES + f"?category_ids={network.id}&severity=critical&status=open&after=2000-01-01",
    )

    # then only the issue that matches them all is listed
    assert names(reply) == ["Open fire"]
