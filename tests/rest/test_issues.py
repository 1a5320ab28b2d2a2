"""ConnectNow /api/issues: the list and its filters, `with` includes, create, show, edit, close and
delete, who may do each, and that a refused or invalid request changes nothing."""

from datetime import UTC, datetime

import pytest
from aiohttp.test_utils import TestClient

from issuetracker.models import Issue, Severity

from ..support import Api, Person, make_category, make_company, make_issue
from .helpers import (
    CATEGORY_KEYS,
    COMPANY_KEYS,
    CREATED_ISSUE_KEYS,
    EVENT_KEYS,
    ISSUE_KEYS,
    PAGE_KEYS,
    UNAUTHENTICATED,
    Reply,
    assert_timestamps,
    delete,
    get,
    ids,
    issue_body,
    names,
    post,
    put,
)

ISSUES = "/api/issues"
ISSUE = "/api/issues/{}"
CLOSE = "/api/issues/{}/close"
FULL = "?with[]=categories&with[]=events"

CONCLUSION = """
query ($id: Int!) {
  issue(databaseId: $id) { status conclusion events { nodes { kind description } } }
}
"""


async def read_issue(client: TestClient, issue_id: int, as_: Person) -> Reply:
    """The issue with its categories and timeline, to compare before and after a request."""
    return await get(client, ISSUE.format(issue_id) + FULL, as_=as_)


def category_ids_of(reply: Reply) -> list[int]:
    return sorted(category["id"] for category in reply.body["categories"])


def events_of(reply: Reply) -> list[str]:
    return [event["description"] for event in reply.body["events"]]


async def set_created_at(issue: Issue, moment: datetime) -> None:
    await Issue.filter(id=issue.id).update(created_at=moment)


# --- the list -----------------------------------------------------------------------------------


async def test_the_list_has_the_paginator_envelope_and_the_sample_issue_shape(
    client: TestClient, owner: Person, company
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


async def test_issues_are_listed_newest_first(client: TestClient, owner: Person, company) -> None:
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
    company,
    private_company,
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
    client: TestClient, owner: Person, company, query: str
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
    client: TestClient, owner: Person, company
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
    client: TestClient, owner: Person, member: Person, company, private_company
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
    client: TestClient, owner: Person, company, template: str
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
    client: TestClient, owner: Person, company, template: str
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


async def test_a_single_category_id_filters_too(client: TestClient, owner: Person, company) -> None:
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
    client: TestClient, owner: Person, outsider: Person, company, private_company, parameter: str
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


async def test_issues_filtered_by_severity(client: TestClient, owner: Person, company) -> None:
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
    client: TestClient, owner: Person, member: Person, company
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
    client: TestClient, owner: Person, company
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


async def test_filters_combine(client: TestClient, owner: Person, member: Person, company) -> None:
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


# --- create -------------------------------------------------------------------------------------


async def test_a_member_creates_an_issue(
    client: TestClient, owner: Person, member: Person, company
) -> None:
    # given a category of the member's company
    category = await make_category(owner, company)

    # when the member creates an issue in it
    reply = await post(client, ISSUES, as_=member, json=issue_body(category.id))

    # then it is created, answered in the create sample's shape (no closed_at)
    assert reply.status == 201
    assert set(reply.body) == CREATED_ISSUE_KEYS
    assert reply.body["name"] == "Server login issues"
    assert reply.body["severity"] == "critical"
    assert isinstance(reply.body["id"], int)
    assert_timestamps(reply.body)
    shown = await read_issue(client, reply.body["id"], member)
    assert shown.status == 200
    assert shown.body["closed_at"] is None
    assert category_ids_of(shown) == [category.id]


async def test_the_description_on_create_becomes_the_first_event(
    client: TestClient, owner: Person, member: Person, company
) -> None:
    # given a category
    category = await make_category(owner, company)

    # when an issue is created with a description
    body = issue_body(category.id, description="Nobody can log in.")
    created = await post(client, ISSUES, as_=member, json=body)

    # then the description is its first and only event
    shown = await get(client, ISSUE.format(created.body["id"]) + "?with=events")
    assert events_of(shown) == ["Nobody can log in."]


async def test_an_issue_is_created_in_several_categories_of_several_companies(
    client: TestClient, owner: Person, member: Person, company, private_company
) -> None:
    # given categories in two companies the member belongs to
    public = await make_category(owner, company)
    private = await make_category(owner, private_company)

    # when the member creates an issue in both
    reply = await post(client, ISSUES, as_=member, json=issue_body(public.id, private.id))

    # then it is in both
    assert reply.status == 201
    shown = await read_issue(client, reply.body["id"], member)
    assert category_ids_of(shown) == sorted([public.id, private.id])


async def test_creating_needs_a_token(client: TestClient, owner: Person, company) -> None:
    # given a category
    category = await make_category(owner, company)

    # when anonymous creates an issue
    reply = await post(client, ISSUES, json=issue_body(category.id))

    # then Laravel's 401 answers, and nothing is created
    assert reply.status == 401
    assert reply.body == UNAUTHENTICATED
    assert ids(await get(client, ISSUES)) == []


async def test_creating_without_a_token_is_401_even_when_the_body_is_invalid(
    client: TestClient,
) -> None:
    # when anonymous sends an empty body
    reply = await post(client, ISSUES, json={})

    # then authentication is checked before validation, as Laravel's middleware does
    assert reply.status == 401
    assert reply.body == UNAUTHENTICATED


async def test_creating_needs_access_to_the_company_of_each_category(
    client: TestClient, owner: Person, outsider: Person, company
) -> None:
    # given a category of a public company the outsider is not a member of
    category = await make_category(owner, company)

    # when the outsider creates an issue in it
    reply = await post(client, ISSUES, as_=outsider, json=issue_body(category.id))

    # then it is forbidden, and nothing is created
    assert reply.status == 403
    assert isinstance(reply.body["message"], str)
    assert ids(await get(client, ISSUES)) == []


async def test_creating_needs_access_to_every_company_not_just_one(
    client: TestClient, owner: Person, member: Person, outsider: Person, company
) -> None:
    # given a category of the member's company and one of a company the member is not in
    ours = await make_category(owner, company)
    elsewhere = await make_category(outsider, await make_company(outsider))

    # when the member creates an issue in both
    reply = await post(client, ISSUES, as_=member, json=issue_body(ours.id, elsewhere.id))

    # then it is forbidden, and nothing is created
    assert reply.status == 403
    assert ids(await get(client, ISSUES)) == []


async def test_a_hidden_category_is_as_unknown_as_a_missing_one(
    client: TestClient, owner: Person, outsider: Person, private_company
) -> None:
    # given a category of a private company the outsider cannot see
    hidden = await make_category(owner, private_company)

    # when the outsider creates issues in it and in a category that does not exist
    in_hidden = await post(client, ISSUES, as_=outsider, json=issue_body(hidden.id))
    in_missing = await post(client, ISSUES, as_=outsider, json=issue_body(999999))

    # then both are the same validation error on category_ids
    assert in_hidden.status == in_missing.status == 422
    assert in_hidden.body == in_missing.body
    assert list(in_hidden.body["errors"]) == ["category_ids"]


async def test_an_unknown_category_id_among_known_ones_is_refused(
    client: TestClient, owner: Person, member: Person, company
) -> None:
    # given one real category
    category = await make_category(owner, company)

    # when an issue names it and one that does not exist
    reply = await post(client, ISSUES, as_=member, json=issue_body(category.id, 999999))

    # then nothing is created
    assert reply.status == 422
    assert list(reply.body["errors"]) == ["category_ids"]
    assert ids(await get(client, ISSUES)) == []


async def test_creating_without_fields_lists_every_missing_one(
    client: TestClient, member: Person
) -> None:
    # when a signed-in user sends an empty body
    reply = await post(client, ISSUES, as_=member, json={})

    # then each required field is named, in Laravel's form
    assert reply.status == 422
    assert set(reply.body) == {"message", "errors"}
    assert set(reply.body["errors"]) == {"category_ids", "name", "description", "severity"}
    for messages in reply.body["errors"].values():
        assert isinstance(messages, list)
        assert all(isinstance(message, str) for message in messages)


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"severity": "urgent"}, "severity"),
        ({"name": "x" * 256}, "name"),
        ({"name": "   "}, "name"),
        ({"name": 42}, "name"),
        ({"category_ids": []}, "category_ids"),
        ({"category_ids": "abc"}, "category_ids"),
        ({"category_ids": [True]}, "category_ids"),
        ({"category_ids": {"a": 1}}, "category_ids"),
        ({"description": ""}, "description"),
        ({"description": "   "}, "description"),
    ],
    ids=[
        "bad-severity",
        "name-256",
        "blank-name",
        "numeric-name",
        "no-categories",
        "text-categories",
        "boolean-category",
        "object-categories",
        "empty-description",
        "blank-description",
    ],
)
async def test_invalid_input_creates_nothing(
    client: TestClient, owner: Person, member: Person, company, overrides: dict, field: str
) -> None:
    # given a category
    category = await make_category(owner, company)

    # when an issue is created with one invalid field
    reply = await post(client, ISSUES, as_=member, json=issue_body(category.id, **overrides))

    # then that field is reported and nothing is created
    assert reply.status == 422
    assert field in reply.body["errors"]
    assert ids(await get(client, ISSUES, as_=member)) == []


async def test_a_name_of_255_characters_is_accepted(
    client: TestClient, owner: Person, member: Person, company
) -> None:
    # given a category
    category = await make_category(owner, company)

    # when an issue's name is exactly 255 characters
    reply = await post(client, ISSUES, as_=member, json=issue_body(category.id, name="x" * 255))

    # then it is created with that name
    assert reply.status == 201
    assert reply.body["name"] == "x" * 255


async def test_an_issue_is_created_from_a_form_body(
    client: TestClient, owner: Person, member: Person, company
) -> None:
    # given two categories
    network = await make_category(owner, company)
    printers = await make_category(owner, company)

    # when a Laravel client posts the issue form-encoded
    form = [
        ("category_ids[]", str(network.id)),
        ("category_ids[]", str(printers.id)),
        ("name", "Printers offline"),
        ("description", "Since the update."),
        ("severity", "important"),
    ]
    reply = await post(client, ISSUES, as_=member, data=form)

    # then it is created as from JSON
    assert reply.status == 201
    assert reply.body["severity"] == "important"
    shown = await read_issue(client, reply.body["id"], member)
    assert category_ids_of(shown) == sorted([network.id, printers.id])
    assert events_of(shown) == ["Since the update."]


# --- show ---------------------------------------------------------------------------------------


async def test_a_single_issue_has_the_sample_shape(
    client: TestClient, owner: Person, company
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
    client: TestClient, owner: Person, company, query: str
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
    client: TestClient, owner: Person, company
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
    private_company,
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


# --- edit ---------------------------------------------------------------------------------------


async def test_a_member_edits_an_issue(
    client: TestClient, owner: Person, member: Person, company
) -> None:
    # given an issue
    issue = await make_issue(owner, await make_category(owner, company), name="Old name")

    # when a member edits its name, severity and description
    changes = {"name": "New name", "severity": "critical", "description": "Worse now."}
    reply = await put(client, ISSUE.format(issue.id), as_=member, json=changes)

    # then the issue is answered and stored with the changes
    assert reply.status == 200
    assert set(reply.body) == ISSUE_KEYS
    assert reply.body["name"] == "New name"
    assert reply.body["severity"] == "critical"
    assert reply.body["closed_at"] is None
    assert_timestamps(reply.body)
    shown = await get(client, ISSUE.format(issue.id))
    assert (shown.body["name"], shown.body["severity"]) == ("New name", "critical")


async def test_the_description_on_edit_becomes_a_new_event(
    client: TestClient, owner: Person, member: Person, company
) -> None:
    # given an issue with its first event
    issue = await make_issue(owner, await make_category(owner, company), description="Begun.")

    # when it is edited with only a description
    reply = await put(client, ISSUE.format(issue.id), as_=member, json={"description": "Worse."})

    # then the timeline grows by that description, and the rest is unchanged
    assert reply.status == 200
    assert reply.body["name"] == issue.name
    shown = await get(client, ISSUE.format(issue.id) + "?with[]=events")
    assert events_of(shown) == ["Begun.", "Worse."]


async def test_editing_needs_a_description(
    client: TestClient, owner: Person, member: Person, company
) -> None:
    # given an issue
    issue = await make_issue(owner, await make_category(owner, company), name="Kept")
    before = await read_issue(client, issue.id, member)

    # when it is edited without a description
    reply = await put(client, ISSUE.format(issue.id), as_=member, json={"name": "Changed"})

    # then it is refused and nothing changes
    assert reply.status == 422
    assert list(reply.body["errors"]) == ["description"]
    assert (await read_issue(client, issue.id, member)).body == before.body


async def test_category_ids_on_edit_are_synced(
    client: TestClient, owner: Person, member: Person, company
) -> None:
    # given an issue in categories A and B
    a, b, c = [await make_category(owner, company) for _ in range(3)]
    issue = await make_issue(owner, a, b)

    # when it is edited with categories B and C
    changes = {"description": "Moved.", "category_ids": [b.id, c.id]}
    reply = await put(client, ISSUE.format(issue.id), as_=member, json=changes)

    # then A is removed and C added
    assert reply.status == 200
    assert category_ids_of(await read_issue(client, issue.id, member)) == [b.id, c.id]


async def test_category_ids_on_edit_from_a_form_body(
    client: TestClient, owner: Person, member: Person, company
) -> None:
    # given an issue in category A
    a, b, c = [await make_category(owner, company) for _ in range(3)]
    issue = await make_issue(owner, a)

    # when it is edited form-encoded with categories B and C
    form = [("description", "Moved."), ("category_ids[]", str(b.id)), ("category_ids[]", str(c.id))]
    reply = await put(client, ISSUE.format(issue.id), as_=member, data=form)

    # then it is synced as from JSON
    assert reply.status == 200
    assert category_ids_of(await read_issue(client, issue.id, member)) == [b.id, c.id]


async def test_edit_without_category_ids_keeps_the_categories(
    client: TestClient, owner: Person, member: Person, company
) -> None:
    # given an issue in two categories
    a, b = await make_category(owner, company), await make_category(owner, company)
    issue = await make_issue(owner, a, b)

    # when it is edited without category_ids
    reply = await put(client, ISSUE.format(issue.id), as_=member, json={"description": "More."})

    # then its categories stay
    assert reply.status == 200
    assert category_ids_of(await read_issue(client, issue.id, member)) == [a.id, b.id]


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"severity": "urgent"}, "severity"),
        ({"name": "x" * 256}, "name"),
        ({"name": ""}, "name"),
        ({"category_ids": [999999]}, "category_ids"),
        ({"category_ids": []}, "category_ids"),
        ({"category_ids": ["one"]}, "category_ids"),
        ({"description": " \n "}, "description"),
    ],
    ids=[
        "bad-severity",
        "name-256",
        "empty-name",
        "unknown-category",
        "no-categories",
        "text-id",
        "blank-description",
    ],
)
async def test_an_invalid_edit_changes_nothing(
    client: TestClient, owner: Person, member: Person, company, changes: dict, field: str
) -> None:
    # given an issue
    issue = await make_issue(owner, await make_category(owner, company))
    before = await read_issue(client, issue.id, member)

    # when it is edited with one invalid field
    body = {"description": "Should not be recorded.", **changes}
    reply = await put(client, ISSUE.format(issue.id), as_=member, json=body)

    # then that field is reported and the issue, its categories and timeline are unchanged
    assert reply.status == 422
    assert field in reply.body["errors"]
    assert (await read_issue(client, issue.id, member)).body == before.body


async def test_editing_needs_a_token(client: TestClient, owner: Person, company) -> None:
    # given an issue
    issue = await make_issue(owner, await make_category(owner, company))

    # when anonymous edits it
    reply = await put(client, ISSUE.format(issue.id), json={"description": "Hacked."})

    # then 401
    assert reply.status == 401
    assert reply.body == UNAUTHENTICATED


async def test_an_outsider_may_not_edit_a_public_issue(
    client: TestClient, owner: Person, outsider: Person, company
) -> None:
    # given a public issue
    issue = await make_issue(owner, await make_category(owner, company), name="Kept")
    before = await read_issue(client, issue.id, owner)

    # when an outsider edits it
    body = {"name": "Taken", "description": "Mine now."}
    reply = await put(client, ISSUE.format(issue.id), as_=outsider, json=body)

    # then it is forbidden and nothing changes
    assert reply.status == 403
    assert (await read_issue(client, issue.id, owner)).body == before.body


async def test_an_outsider_cannot_find_a_private_issue_to_edit(
    client: TestClient, owner: Person, outsider: Person, private_company
) -> None:
    # given a private issue
    issue = await make_issue(owner, await make_category(owner, private_company))

    # when an outsider edits it
    reply = await put(client, ISSUE.format(issue.id), as_=outsider, json={"description": "x"})

    # then it is not found
    assert reply.status == 404


async def test_editing_a_missing_issue_is_404(client: TestClient, member: Person) -> None:
    # when a missing issue is edited
    reply = await put(client, ISSUE.format(999999), as_=member, json={"description": "x"})

    # then it is not found
    assert reply.status == 404


async def test_editing_an_issue_spanning_two_companies_needs_both(
    client: TestClient, owner: Person, member: Person, company
) -> None:
    # given an issue in the member's company and in a company only the owner belongs to
    owners_only = await make_company(owner, name="Owner's own")
    ours = await make_category(owner, company)
    theirs = await make_category(owner, owners_only)
    issue = await make_issue(owner, ours, theirs, name="Kept")
    before = await read_issue(client, issue.id, owner)

    # when the member edits it
    body = {"name": "Changed", "description": "x"}
    reply = await put(client, ISSUE.format(issue.id), as_=member, json=body)

    # then it is forbidden and nothing changes
    assert reply.status == 403
    assert (await read_issue(client, issue.id, owner)).body == before.body


async def test_moving_an_issue_needs_access_to_the_new_categories(
    client: TestClient, owner: Person, member: Person, company
) -> None:
    # given an issue in the member's company and a category of a company the member is not in
    ours = await make_category(owner, company)
    theirs = await make_category(owner, await make_company(owner, name="Owner's own"))
    issue = await make_issue(owner, ours)
    before = await read_issue(client, issue.id, owner)

    # when the member moves the issue into that category
    body = {"description": "Moving.", "category_ids": [ours.id, theirs.id]}
    reply = await put(client, ISSUE.format(issue.id), as_=member, json=body)

    # then it is forbidden and nothing changes
    assert reply.status == 403
    assert (await read_issue(client, issue.id, owner)).body == before.body


async def test_a_closed_issue_cannot_be_edited(
    client: TestClient, owner: Person, member: Person, company
) -> None:
    # given a closed issue
    issue = await make_issue(owner, await make_category(owner, company), name="Done")
    await post(client, CLOSE.format(issue.id), as_=member, json={"description": "Fixed."})
    before = await read_issue(client, issue.id, member)

    # when it is edited
    body = {"name": "Reopened?", "description": "Again."}
    reply = await put(client, ISSUE.format(issue.id), as_=member, json=body)

    # then ConnectNow answers 403 and nothing changes
    assert reply.status == 403
    assert isinstance(reply.body["message"], str)
    assert (await read_issue(client, issue.id, member)).body == before.body


# --- close --------------------------------------------------------------------------------------


async def test_a_member_closes_an_issue(
    client: TestClient, api: Api, owner: Person, member: Person, company
) -> None:
    # given an open issue
    issue = await make_issue(owner, await make_category(owner, company), description="Begun.")

    # when a member closes it with a description
    reply = await post(client, CLOSE.format(issue.id), as_=member, json={"description": "Fixed."})

    # then it is closed now, the description is the closing event and the conclusion
    assert reply.status == 200
    assert set(reply.body) == ISSUE_KEYS
    assert_timestamps(reply.body, "closed_at", "created_at", "updated_at")
    shown = await get(client, ISSUE.format(issue.id) + "?with=events")
    assert shown.body["closed_at"] == reply.body["closed_at"]
    assert events_of(shown) == ["Begun.", "Fixed."]
    data = await api.data(CONCLUSION, {"id": issue.id}, as_=member)
    assert data["issue"]["status"] == "CLOSED"
    assert data["issue"]["conclusion"] == "Fixed."
    assert data["issue"]["events"]["nodes"][-1] == {"kind": "CLOSED", "description": "Fixed."}


async def test_a_closed_issue_cannot_be_closed_again(
    client: TestClient, owner: Person, member: Person, company
) -> None:
    # given a closed issue
    issue = await make_issue(owner, await make_category(owner, company))
    await post(client, CLOSE.format(issue.id), as_=member, json={"description": "Fixed."})
    before = await read_issue(client, issue.id, member)

    # when it is closed again
    reply = await post(client, CLOSE.format(issue.id), as_=member, json={"description": "Again."})

    # then 403, and no second closing event
    assert reply.status == 403
    assert (await read_issue(client, issue.id, member)).body == before.body


async def test_closing_needs_a_description(
    client: TestClient, owner: Person, member: Person, company
) -> None:
    # given an open issue
    issue = await make_issue(owner, await make_category(owner, company))
    before = await read_issue(client, issue.id, member)

    # when it is closed without a description
    reply = await post(client, CLOSE.format(issue.id), as_=member, json={})

    # then it is refused and the issue stays open
    assert reply.status == 422
    assert list(reply.body["errors"]) == ["description"]
    assert (await read_issue(client, issue.id, member)).body == before.body


async def test_closing_from_a_form_body(
    client: TestClient, owner: Person, member: Person, company
) -> None:
    # given an open issue
    issue = await make_issue(owner, await make_category(owner, company))

    # when it is closed form-encoded
    reply = await post(client, CLOSE.format(issue.id), as_=member, data={"description": "Done."})

    # then it is closed
    assert reply.status == 200
    assert reply.body["closed_at"] is not None


async def test_closing_needs_a_token(client: TestClient, owner: Person, company) -> None:
    # given an open issue
    issue = await make_issue(owner, await make_category(owner, company))

    # when anonymous closes it
    reply = await post(client, CLOSE.format(issue.id), json={"description": "Bye."})

    # then 401, and it stays open
    assert reply.status == 401
    assert reply.body == UNAUTHENTICATED
    assert (await get(client, ISSUE.format(issue.id))).body["closed_at"] is None


async def test_an_outsider_may_not_close_a_public_issue(
    client: TestClient, owner: Person, outsider: Person, company
) -> None:
    # given a public open issue
    issue = await make_issue(owner, await make_category(owner, company))
    before = await read_issue(client, issue.id, owner)

    # when an outsider closes it
    reply = await post(client, CLOSE.format(issue.id), as_=outsider, json={"description": "x"})

    # then it is forbidden and nothing changes
    assert reply.status == 403
    assert (await read_issue(client, issue.id, owner)).body == before.body


async def test_closing_an_issue_spanning_two_companies_needs_both(
    client: TestClient, owner: Person, member: Person, company
) -> None:
    # given an issue in the member's company and in one only the owner belongs to
    theirs = await make_category(owner, await make_company(owner, name="Owner's own"))
    issue = await make_issue(owner, await make_category(owner, company), theirs)

    # when the member closes it
    reply = await post(client, CLOSE.format(issue.id), as_=member, json={"description": "x"})

    # then it is forbidden
    assert reply.status == 403
    assert (await get(client, ISSUE.format(issue.id))).body["closed_at"] is None


@pytest.mark.parametrize("hidden", [True, False], ids=["private", "missing"])
async def test_closing_a_hidden_or_missing_issue_is_404(
    client: TestClient, owner: Person, outsider: Person, private_company, hidden: bool
) -> None:
    # given a private issue
    issue = await make_issue(owner, await make_category(owner, private_company))

    # when an outsider closes it, or an issue that does not exist
    issue_id = issue.id if hidden else 999999
    reply = await post(client, CLOSE.format(issue_id), as_=outsider, json={"description": "x"})

    # then it is not found
    assert reply.status == 404


# --- delete -------------------------------------------------------------------------------------


async def test_a_member_deletes_an_issue_softly(
    client: TestClient, owner: Person, member: Person, company
) -> None:
    # given two issues
    category = await make_category(owner, company)
    kept = await make_issue(owner, category, name="Kept")
    gone = await make_issue(owner, category, name="Gone")

    # when a member deletes one
    reply = await delete(client, ISSUE.format(gone.id), as_=member)

    # then 204 without a body; it leaves the list and cannot be shown, but the row is kept
    assert reply.status == 204
    assert reply.body is None
    assert ids(await get(client, ISSUES, as_=member)) == [kept.id]
    assert (await get(client, ISSUE.format(gone.id), as_=member)).status == 404
    assert (await Issue.get(id=gone.id)).deleted_at is not None


async def test_a_deleted_issue_cannot_be_deleted_again(
    client: TestClient, owner: Person, member: Person, company
) -> None:
    # given a deleted issue
    issue = await make_issue(owner, await make_category(owner, company))
    await delete(client, ISSUE.format(issue.id), as_=member)

    # when it is deleted again
    reply = await delete(client, ISSUE.format(issue.id), as_=member)

    # then it is not found
    assert reply.status == 404


async def test_deleting_needs_a_token(client: TestClient, owner: Person, company) -> None:
    # given an issue
    issue = await make_issue(owner, await make_category(owner, company))

    # when anonymous deletes it
    reply = await delete(client, ISSUE.format(issue.id))

    # then 401 and it is still there
    assert reply.status == 401
    assert reply.body == UNAUTHENTICATED
    assert ids(await get(client, ISSUES)) == [issue.id]


async def test_an_outsider_may_not_delete_a_public_issue(
    client: TestClient, owner: Person, outsider: Person, company
) -> None:
    # given a public issue
    issue = await make_issue(owner, await make_category(owner, company))

    # when an outsider deletes it
    reply = await delete(client, ISSUE.format(issue.id), as_=outsider)

    # then it is forbidden and still there
    assert reply.status == 403
    assert ids(await get(client, ISSUES)) == [issue.id]


async def test_deleting_an_issue_spanning_two_companies_needs_both(
    client: TestClient, owner: Person, member: Person, company
) -> None:
    # given an issue in the member's company and in one only the owner belongs to
    theirs = await make_category(owner, await make_company(owner, name="Owner's own"))
    issue = await make_issue(owner, await make_category(owner, company), theirs)

    # when the member deletes it
    reply = await delete(client, ISSUE.format(issue.id), as_=member)

    # then it is forbidden and still there
    assert reply.status == 403
    assert ids(await get(client, ISSUES)) == [issue.id]


async def test_a_closed_issue_cannot_be_deleted(
    client: TestClient, owner: Person, member: Person, company
) -> None:
    # given a closed issue
    issue = await make_issue(owner, await make_category(owner, company))
    await post(client, CLOSE.format(issue.id), as_=member, json={"description": "Fixed."})

    # when it is deleted
    reply = await delete(client, ISSUE.format(issue.id), as_=member)

    # then 403 and it is still there
    assert reply.status == 403
    assert ids(await get(client, ISSUES)) == [issue.id]


@pytest.mark.parametrize("hidden", [True, False], ids=["private", "missing"])
async def test_deleting_a_hidden_or_missing_issue_is_404(
    client: TestClient,
    owner: Person,
    outsider: Person,
    member: Person,
    private_company,
    hidden: bool,
) -> None:
    # given a private issue
    issue = await make_issue(owner, await make_category(owner, private_company))

    # when an outsider deletes it, or an issue that does not exist
    reply = await delete(client, ISSUE.format(issue.id if hidden else 999999), as_=outsider)

    # then it is not found, and the private issue is still there for members
    assert reply.status == 404
    assert ids(await get(client, ISSUES, as_=member)) == [issue.id]
