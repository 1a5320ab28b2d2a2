"""The `issues` list over GraphQL: its filters (companies, categories, severity, status, creation
time, search, tags) and keyset pagination, newest first."""

from datetime import UTC, datetime

import pytest

from issuetracker.models import Company, Issue, Severity
from issuetracker.resolvers.issues.writes import close_issue
from issuetracker.schema.relay import to_global_id

from ..support import Api, Person, error_codes, gid, make_category, make_company, make_issue
from .issue_helpers import ISSUES, cursor_of, names


async def set_created_at(issue: Issue, moment: datetime) -> None:
    await Issue.filter(id=issue.id).update(created_at=moment)


# --- the list and its filters -------------------------------------------------------------------


async def test_issues_are_listed_newest_first(api: Api, owner: Person, company: Company) -> None:
    # given three issues created one after another
    category = await make_category(owner, company)
    for name in ("First", "Second", "Third"):
        await make_issue(owner, category, name=name)

    # when anyone lists issues
    data = await api.data(ISSUES)

    # then the newest comes first
    assert names(data) == ["Third", "Second", "First"]
    assert data["issues"]["totalCount"] == 3


async def test_issues_filtered_by_company_ids(api: Api, owner: Person, company: Company) -> None:
    # given issues in two companies
    other_company = await make_company(owner, name="Other Inc")
    await make_issue(owner, await make_category(owner, company), name="Ours")
    await make_issue(owner, await make_category(owner, other_company), name="Theirs")

    # when the list is filtered by one company
    data = await api.data(ISSUES, {"filter": {"companyIds": [gid("Company", other_company)]}})

    # then only that company's issues remain
    assert names(data) == ["Theirs"]
    assert data["issues"]["totalCount"] == 1


async def test_issues_filtered_by_category_ids(api: Api, owner: Person, company: Company) -> None:
    # given issues in three categories
    network = await make_category(owner, company, "Network")
    printers = await make_category(owner, company, "Printers")
    phones = await make_category(owner, company, "Phones")
    await make_issue(owner, network, name="Switch down")
    await make_issue(owner, printers, name="Paper jam")
    await make_issue(owner, phones, name="No dial tone")

    # when the list is filtered by two of them
    wanted = [gid("Category", network), gid("Category", phones)]
    data = await api.data(ISSUES, {"filter": {"categoryIds": wanted}})

    # then issues of either category are listed
    assert names(data) == ["No dial tone", "Switch down"]


async def test_issues_filtered_by_severity(api: Api, owner: Person, company: Company) -> None:
    # given issues of every severity
    category = await make_category(owner, company)
    await make_issue(owner, category, name="Fire", severity=Severity.CRITICAL)
    await make_issue(owner, category, name="Smoke", severity=Severity.IMPORTANT)
    await make_issue(owner, category, name="Smell", severity=Severity.INFO)

    # when the list is filtered by severity
    data = await api.data(ISSUES, {"filter": {"severity": "IMPORTANT"}})

    # then only that severity is listed
    assert names(data) == ["Smoke"]


async def test_issues_filtered_by_status(api: Api, owner: Person, company: Company) -> None:
    # given one open and one closed issue
    category = await make_category(owner, company)
    await make_issue(owner, category, name="Still open")
    done = await make_issue(owner, category, name="Done")
    await close_issue(owner.scope, done.id, "Fixed.")

    # when the list is filtered by status
    closed = await api.data(ISSUES, {"filter": {"status": "CLOSED"}})
    still_open = await api.data(ISSUES, {"filter": {"status": "OPEN"}})

    # then each status lists its own
    assert names(closed) == ["Done"]
    assert names(still_open) == ["Still open"]


async def test_created_after_is_inclusive_and_created_before_exclusive(
    api: Api, owner: Person, company: Company
) -> None:
    # given issues created on three days
    category = await make_category(owner, company)
    for day, name in ((9, "Ninth"), (10, "Tenth"), (11, "Eleventh")):
        issue = await make_issue(owner, category, name=name)
        await set_created_at(issue, datetime(2024, 1, day, 12, tzinfo=UTC))

    # when the list is filtered from the tenth's exact moment to the eleventh's exact moment
    wanted = {"createdAfter": "2024-01-10T12:00:00+00:00", "createdBefore": "2024-01-11T12:00:00Z"}
    data = await api.data(ISSUES, {"filter": wanted})

    # then the lower bound is included and the upper bound excluded
    assert names(data) == ["Tenth"]


async def test_created_bounds_with_a_utc_offset_compare_instants(
    api: Api, owner: Person, company: Company
) -> None:
    # given an issue created at noon UTC
    issue = await make_issue(owner, await make_category(owner, company), name="Noon")
    await set_created_at(issue, datetime(2024, 1, 10, 12, tzinfo=UTC))

    # when the bounds are written in other time zones: after 13:00 UTC, before 10:00 UTC
    after = await api.data(ISSUES, {"filter": {"createdAfter": "2024-01-10T08:00:00-05:00"}})
    before = await api.data(ISSUES, {"filter": {"createdBefore": "2024-01-10T15:00:00+05:00"}})
    around = await api.data(
        ISSUES,
        {
            "filter": {
                "createdAfter": "2024-01-10T06:00:00-05:00",
                "createdBefore": "2024-01-10T18:00:00+05:00",
            }
        },
    )

    # then the instants decide, not the clock readings
    assert names(after) == []
    assert names(before) == []
    assert names(around) == ["Noon"]


async def test_created_bounds_without_an_offset_are_read_as_utc(
    api: Api, owner: Person, company: Company
) -> None:
    # given an issue created at noon UTC
    issue = await make_issue(owner, await make_category(owner, company), name="Noon")
    await set_created_at(issue, datetime(2024, 1, 10, 12, tzinfo=UTC))

    # when the bounds carry no offset
    body = await api.graphql(
        ISSUES,
        {"filter": {"createdAfter": "2024-01-10T11:00:00", "createdBefore": "2024-01-10T13:00:00"}},
    )

    # then they are taken as UTC
    assert error_codes(body) == []
    assert names(body["data"]) == ["Noon"]


async def test_search_matches_name_description_or_tag(
    api: Api, owner: Person, company: Company
) -> None:
    # given issues that mention "printer" in different places, and one that does not
    category = await make_category(owner, company)
    await make_issue(owner, category, name="Printer on fire")
    await make_issue(owner, category, name="Smoke", description="The PRINTER smokes.")
    await make_issue(owner, category, name="Tagged", tags=["Printer"])
    await make_issue(owner, category, name="Unrelated", description="The phone rings.")

    # when the list is searched, in any case
    data = await api.data(ISSUES, {"filter": {"search": "  printer "}})

    # then name, description and tag matches are listed, case-insensitively
    assert names(data) == ["Tagged", "Smoke", "Printer on fire"]


async def test_a_blank_search_filters_nothing(api: Api, owner: Person, company: Company) -> None:
    # given two issues
    category = await make_category(owner, company)
    await make_issue(owner, category, name="One")
    await make_issue(owner, category, name="Two")

    # when the search is blank
    data = await api.data(ISSUES, {"filter": {"search": "   "}})

    # then everything is listed
    assert names(data) == ["Two", "One"]


async def test_tag_filter_matches_whole_tags_in_any_case(
    api: Api, owner: Person, company: Company
) -> None:
    # given issues with different tags
    category = await make_category(owner, company)
    await make_issue(owner, category, name="Hardware", tags=["Hardware", "urgent"])
    await make_issue(owner, category, name="Hardwired", tags=["hardwired"])
    await make_issue(owner, category, name="Untagged")

    # when the list is filtered by a tag written differently
    exact = await api.data(ISSUES, {"filter": {"tag": " HARDWARE "}})
    partial = await api.data(ISSUES, {"filter": {"tag": "hard"}})

    # then only the whole tag matches
    assert names(exact) == ["Hardware"]
    assert names(partial) == []


async def test_filters_combine(api: Api, owner: Person, company: Company) -> None:
    # given issues that match one filter or both
    category = await make_category(owner, company)
    await make_issue(owner, category, name="Critical printer", severity=Severity.CRITICAL)
    await make_issue(owner, category, name="Info printer", severity=Severity.INFO)
    await make_issue(owner, category, name="Critical phone", severity=Severity.CRITICAL)

    # when two filters are given
    data = await api.data(ISSUES, {"filter": {"severity": "CRITICAL", "search": "printer"}})

    # then both must match
    assert names(data) == ["Critical printer"]
    assert data["issues"]["totalCount"] == 1


async def test_a_malformed_category_id_in_the_filter_is_bad_input(api: Api) -> None:
    # when the filter names a category with something that is not a category id
    body = await api.graphql(ISSUES, {"filter": {"categoryIds": ["not-an-id"]}})

    # then the request is refused as bad input
    assert error_codes(body) == ["BAD_USER_INPUT"]
    assert body["errors"][0]["message"] == "The id is not valid."
    assert body["errors"][0]["extensions"]["errors"] == [
        {"field": "categoryIds", "message": "The id is not valid."}
    ]


@pytest.mark.parametrize(
    ("field", "type_name", "message"),
    [
        ("companyIds", "Company", "The selected company ids are invalid."),
        ("categoryIds", "Category", "The selected category ids are invalid."),
    ],
)
async def test_filter_ids_that_name_no_row_are_bad_input(
    api: Api, owner: Person, company: Company, field: str, type_name: str, message: str
) -> None:
    # given an issue
    await make_issue(owner, await make_category(owner, company))

    # when the filter names a row that does not exist, or one no row can have
    missing = await api.graphql(ISSUES, {"filter": {field: [to_global_id(type_name, 404)]}})
    huge = await api.graphql(ISSUES, {"filter": {field: [to_global_id(type_name, 10**20)]}})

    # then both are refused as bad input, naming the field
    for body in (missing, huge):
        assert error_codes(body) == ["BAD_USER_INPUT"]
        assert body["errors"][0]["message"] == message
        assert body["errors"][0]["extensions"]["errors"] == [{"field": field, "message": message}]


# --- pagination ---------------------------------------------------------------------------------


async def given_five_issues(owner: Person, company: Company) -> None:
    category = await make_category(owner, company)
    for number in range(1, 6):
        await make_issue(owner, category, name=f"Issue {number}")


async def test_first_and_after_walk_forwards_from_the_newest(
    api: Api, owner: Person, company: Company
) -> None:
    # given five issues
    await given_five_issues(owner, company)

    # when they are read two at a time from the start
    one = await api.data(ISSUES, {"first": 2})
    two = await api.data(ISSUES, {"first": 2, "after": one["issues"]["pageInfo"]["endCursor"]})
    three = await api.data(ISSUES, {"first": 2, "after": two["issues"]["pageInfo"]["endCursor"]})

    # then the pages follow each other, newest first, each knowing what lies around it
    assert names(one) == ["Issue 5", "Issue 4"]
    assert names(two) == ["Issue 3", "Issue 2"]
    assert names(three) == ["Issue 1"]
    assert [page["issues"]["pageInfo"]["hasNextPage"] for page in (one, two, three)] == [
        True,
        True,
        False,
    ]
    assert [page["issues"]["pageInfo"]["hasPreviousPage"] for page in (one, two, three)] == [
        False,
        True,
        True,
    ]
    assert {page["issues"]["totalCount"] for page in (one, two, three)} == {5}


async def test_last_and_before_walk_backwards_from_the_oldest(
    api: Api, owner: Person, company: Company
) -> None:
    # given five issues
    await given_five_issues(owner, company)

    # when they are read two at a time from the end
    one = await api.data(ISSUES, {"last": 2})
    two = await api.data(ISSUES, {"last": 2, "before": one["issues"]["pageInfo"]["startCursor"]})
    three = await api.data(ISSUES, {"last": 2, "before": two["issues"]["pageInfo"]["startCursor"]})

    # then each page keeps the newest-first order and the pages walk towards the newest
    assert names(one) == ["Issue 2", "Issue 1"]
    assert names(two) == ["Issue 4", "Issue 3"]
    assert names(three) == ["Issue 5"]
    assert [page["issues"]["pageInfo"]["hasPreviousPage"] for page in (one, two, three)] == [
        True,
        True,
        False,
    ]
    assert [page["issues"]["pageInfo"]["hasNextPage"] for page in (one, two, three)] == [
        False,
        True,
        True,
    ]
    assert {page["issues"]["totalCount"] for page in (one, two, three)} == {5}


async def test_cursors_name_edges_and_bound_the_page(
    api: Api, owner: Person, company: Company
) -> None:
    # given five issues
    await given_five_issues(owner, company)

    # when a page of three is read, and then the page before its last edge
    page = await api.data(ISSUES, {"first": 3})
    edges = page["issues"]["edges"]
    back = await api.data(ISSUES, {"last": 5, "before": edges[2]["cursor"]})
    between = await api.data(
        ISSUES, {"first": 5, "after": edges[0]["cursor"], "before": edges[2]["cursor"]}
    )

    # then start and end cursors are those of the first and last edge, and each cursor
    # bounds a later request
    info = page["issues"]["pageInfo"]
    assert info["startCursor"] == edges[0]["cursor"]
    assert info["endCursor"] == edges[2]["cursor"]
    assert len({edge["cursor"] for edge in edges}) == 3
    assert names(back) == ["Issue 5", "Issue 4"]
    assert names(between) == ["Issue 4"]


async def test_an_empty_page_has_no_cursors(api: Api) -> None:
    # when there is nothing to list
    data = await api.data(ISSUES, {"first": 10})

    # then the page is empty and has no cursors
    assert data["issues"] == {
        "edges": [],
        "pageInfo": {
            "hasNextPage": False,
            "hasPreviousPage": False,
            "startCursor": None,
            "endCursor": None,
        },
        "totalCount": 0,
    }


async def test_a_page_holds_at_most_one_hundred_issues(api: Api) -> None:
    # when a page of 100 and pages of 101 are asked for
    allowed = await api.graphql(ISSUES, {"first": 100})
    too_many_first = await api.graphql(ISSUES, {"first": 101})
    too_many_last = await api.graphql(ISSUES, {"last": 101})
    negative = await api.graphql(ISSUES, {"first": -1})

    # then only the 100 is served
    assert error_codes(allowed) == []
    assert error_codes(too_many_first) == ["BAD_USER_INPUT"]
    assert too_many_first["errors"][0]["message"] == "`first` must be between 0 and 100."
    assert too_many_first["errors"][0]["extensions"]["errors"] == [
        {"field": "first", "message": "`first` must be between 0 and 100."}
    ]
    assert error_codes(too_many_last) == ["BAD_USER_INPUT"]
    assert too_many_last["errors"][0]["message"] == "`last` must be between 0 and 100."
    assert error_codes(negative) == ["BAD_USER_INPUT"]


async def test_first_and_last_together_are_bad_input(api: Api) -> None:
    # when both directions are asked for at once
    body = await api.graphql(ISSUES, {"first": 2, "last": 2})

    # then the request is refused
    assert error_codes(body) == ["BAD_USER_INPUT"]
    assert body["errors"][0]["message"] == "Pass either `first` or `last`, not both."


@pytest.mark.parametrize(
    ("argument", "cursor"),
    [
        ("after", "not a cursor"),
        ("after", cursor_of("Issue:1")),
        ("before", cursor_of("cursor:one")),
        ("after", cursor_of("cursor:99999999999999999999")),
        ("before", cursor_of("cursor:-99999999999999999999")),
    ],
    ids=["garbage", "global-id", "not-a-number", "too-large", "too-small"],
)
async def test_a_malformed_cursor_is_bad_input(
    api: Api, owner: Person, company: Company, argument: str, cursor: str
) -> None:
    # given an issue
    await make_issue(owner, await make_category(owner, company))

    # when a cursor the server never made is passed
    body = await api.graphql(ISSUES, {"first": 2, argument: cursor})

    # then the request is refused as bad input, naming the argument
    assert error_codes(body) == ["BAD_USER_INPUT"]
    assert body["errors"][0]["message"] == "The cursor is not valid."
    assert body["errors"][0]["extensions"]["errors"] == [
        {"field": argument, "message": "The cursor is not valid."}
    ]


async def test_total_count_counts_only_visible_and_matching_issues(
    api: Api, owner: Person, company: Company, private_company: Company
) -> None:
    # given visible, hidden and filtered-out issues
    public = await make_category(owner, company)
    await make_issue(owner, public, severity=Severity.CRITICAL)
    await make_issue(owner, public, severity=Severity.CRITICAL)
    await make_issue(owner, public, severity=Severity.INFO)
    await make_issue(owner, await make_category(owner, private_company), severity=Severity.CRITICAL)

    # when anonymous counts critical issues, one a page
    data = await api.data(ISSUES, {"filter": {"severity": "CRITICAL"}, "first": 1})

    # then the count covers every page, but only what the viewer may see and asked for
    assert data["issues"]["totalCount"] == 2
    assert len(data["issues"]["edges"]) == 1
    assert data["issues"]["pageInfo"]["hasNextPage"] is True
