"""Reading issues over GraphQL: the `issues` list and its filters, `issue(...)`, the fields of an
issue, who sees what, and keyset pagination (newest first)."""

import base64
from datetime import UTC, datetime

import pytest

from issuetracker.models import Issue, IssueParticipant, Membership, Severity, Subscription
from issuetracker.resolvers.issues.writes import add_issue_event, close_issue, delete_issue
from issuetracker.schema.relay import to_global_id

from ..support import Api, Person, error_codes, gid, make_category, make_company, make_issue

ISSUES = """
query ($filter: IssueFilterInput, $first: Int, $after: String, $last: Int, $before: String) {
  issues(filter: $filter, first: $first, after: $after, last: $last, before: $before) {
    edges { cursor node { name } }
    pageInfo { hasNextPage hasPreviousPage startCursor endCursor }
    totalCount
  }
}
"""

ISSUE_BY_ID = """
query ($id: ID!) { issue(id: $id) { id databaseId guid name } }
"""

ISSUE_BY_DATABASE_ID = """
query ($databaseId: Int!) { issue(databaseId: $databaseId) { id databaseId guid name } }
"""

ISSUE_BY_GUID = """
query ($guid: UUID!) { issue(guid: $guid) { id databaseId guid name } }
"""

ISSUE_BY_ID_AND_GUID = """
query ($id: ID!, $guid: UUID!) { issue(id: $id, guid: $guid) { name } }
"""

ISSUE_WITHOUT_ARGUMENTS = """
query { issue { name } }
"""

NODE = """
query ($id: ID!) { node(id: $id) { id ... on Issue { name } ... on IssueEvent { description } } }
"""

CATEGORY_ISSUES = """
query ($id: ID!) { category(id: $id) { issues { nodes { name } totalCount } } }
"""

ISSUE_DETAILS = """
query ($id: ID!) {
  issue(id: $id) {
    name description severity status conclusion closedAt
    owner { name }
    participants { name }
    tags
    subscriberCount
    categories { nodes { name company { name } } totalCount }
    events { nodes { id kind description author { name } } }
  }
}
"""

ISSUE_EVENTS_PAGE = """
query ($id: ID!, $first: Int, $after: String) {
  issue(id: $id) {
    events(first: $first, after: $after) {
      edges { cursor node { description } }
      pageInfo { hasNextPage hasPreviousPage }
    }
  }
}
"""

ISSUE_CATEGORIES = """
query ($id: ID!) { issue(id: $id) { categories { nodes { name } } } }
"""


def names(data: dict) -> list[str]:
    return [edge["node"]["name"] for edge in data["issues"]["edges"]]


def cursor_of(text: str) -> str:
    return base64.urlsafe_b64encode(text.encode()).decode().rstrip("=")


async def set_created_at(issue: Issue, moment: datetime) -> None:
    await Issue.filter(id=issue.id).update(created_at=moment)


# --- the list and its filters -------------------------------------------------------------------


async def test_issues_are_listed_newest_first(api: Api, owner: Person, company) -> None:
    # given three issues created one after another
    category = await make_category(owner, company)
    for name in ("First", "Second", "Third"):
        await make_issue(owner, category, name=name)

    # when anyone lists issues
    data = await api.data(ISSUES)

    # then the newest comes first
    assert names(data) == ["Third", "Second", "First"]
    assert data["issues"]["totalCount"] == 3


async def test_issues_filtered_by_company_ids(api: Api, owner: Person, company) -> None:
    # given issues in two companies
    other_company = await make_company(owner, name="Other Inc")
    await make_issue(owner, await make_category(owner, company), name="Ours")
    await make_issue(owner, await make_category(owner, other_company), name="Theirs")

    # when the list is filtered by one company
    data = await api.data(ISSUES, {"filter": {"companyIds": [gid("Company", other_company)]}})

    # then only that company's issues remain
    assert names(data) == ["Theirs"]
    assert data["issues"]["totalCount"] == 1


async def test_issues_filtered_by_category_ids(api: Api, owner: Person, company) -> None:
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


async def test_issues_filtered_by_severity(api: Api, owner: Person, company) -> None:
    # given issues of every severity
    category = await make_category(owner, company)
    await make_issue(owner, category, name="Fire", severity=Severity.CRITICAL)
    await make_issue(owner, category, name="Smoke", severity=Severity.IMPORTANT)
    await make_issue(owner, category, name="Smell", severity=Severity.INFO)

    # when the list is filtered by severity
    data = await api.data(ISSUES, {"filter": {"severity": "IMPORTANT"}})

    # then only that severity is listed
    assert names(data) == ["Smoke"]


async def test_issues_filtered_by_status(api: Api, owner: Person, company) -> None:
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
    api: Api, owner: Person, company
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
    api: Api, owner: Person, company
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
    api: Api, owner: Person, company
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


async def test_search_matches_name_description_or_tag(api: Api, owner: Person, company) -> None:
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


async def test_a_blank_search_filters_nothing(api: Api, owner: Person, company) -> None:
    # given two issues
    category = await make_category(owner, company)
    await make_issue(owner, category, name="One")
    await make_issue(owner, category, name="Two")

    # when the search is blank
    data = await api.data(ISSUES, {"filter": {"search": "   "}})

    # then everything is listed
    assert names(data) == ["Two", "One"]


async def test_tag_filter_matches_whole_tags_in_any_case(api: Api, owner: Person, company) -> None:
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


async def test_filters_combine(api: Api, owner: Person, company) -> None:
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
    api: Api, owner: Person, company, field: str, type_name: str, message: str
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


# --- one issue ----------------------------------------------------------------------------------


async def test_an_issue_is_found_by_id_database_id_or_guid(
    api: Api, owner: Person, company
) -> None:
    # given an issue
    issue = await make_issue(owner, await make_category(owner, company), name="Printer down")

    # when it is asked for in each of the three ways
    by_id = await api.data(ISSUE_BY_ID, {"id": gid("Issue", issue)})
    by_database_id = await api.data(ISSUE_BY_DATABASE_ID, {"databaseId": issue.id})
    by_guid = await api.data(ISSUE_BY_GUID, {"guid": str(issue.guid)})

    # then each answers the same issue
    expected = {
        "id": gid("Issue", issue),
        "databaseId": issue.id,
        "guid": str(issue.guid),
        "name": "Printer down",
    }
    assert by_id["issue"] == expected
    assert by_database_id["issue"] == expected
    assert by_guid["issue"] == expected


@pytest.mark.parametrize(
    ("query", "variables"),
    [
        (ISSUE_WITHOUT_ARGUMENTS, {}),
        (
            ISSUE_BY_ID_AND_GUID,
            {"id": to_global_id("Issue", 1), "guid": "00000000-0000-0000-0000-000000000001"},
        ),
    ],
    ids=["none", "two"],
)
async def test_an_issue_must_be_named_exactly_one_way(
    api: Api, query: str, variables: dict
) -> None:
    # when the issue is named in no way, or in two
    body = await api.graphql(query, variables)

    # then the request is refused as bad input
    assert error_codes(body) == ["BAD_USER_INPUT"]
    assert body["errors"][0]["message"] == "Pass exactly one of `id`, `databaseId`, `guid`."


async def test_a_missing_issue_is_not_found_in_every_way(api: Api, owner: Person) -> None:
    # when issues that do not exist are asked for, including an id beyond any row
    answers = [
        await api.graphql(ISSUE_BY_ID, {"id": to_global_id("Issue", 404)}, as_=owner),
        await api.graphql(ISSUE_BY_ID, {"id": cursor_of("Issue:99999999999999999999")}),
        await api.graphql(ISSUE_BY_DATABASE_ID, {"databaseId": 404}, as_=owner),
        await api.graphql(ISSUE_BY_GUID, {"guid": "00000000-0000-0000-0000-000000000404"}),
        await api.graphql(NODE, {"id": to_global_id("Issue", 404)}, as_=owner),
        await api.graphql(NODE, {"id": cursor_of("Issue:99999999999999999999")}),
    ]

    # then each answers NOT_FOUND
    assert [error_codes(body) for body in answers] == [["NOT_FOUND"]] * len(answers)
    assert {body["errors"][0]["message"] for body in answers} == {"Issue not found."}


# --- the fields of an issue ---------------------------------------------------------------------


async def test_an_issue_shows_its_fields_owner_participants_tags_and_categories(
    api: Api, owner: Person, company
) -> None:
    # given an issue in two categories, with tags
    network = await make_category(owner, company, "Network")
    printers = await make_category(owner, company, "Printers")
    issue = await make_issue(
        owner,
        network,
        printers,
        name="Printer down",
        description="Nothing prints.",
        severity=Severity.CRITICAL,
        tags=["Urgent", "hardware", "urgent "],
    )

    # when anyone asks for its details
    data = await api.data(ISSUE_DETAILS, {"id": gid("Issue", issue)})

    # then the issue, its owner (also its first participant), tags and categories are shown
    details = data["issue"]
    assert details["name"] == "Printer down"
    assert details["description"] == "Nothing prints."
    assert details["severity"] == "CRITICAL"
    assert details["status"] == "OPEN"
    assert details["conclusion"] is None
    assert details["closedAt"] is None
    assert details["owner"] == {"name": "Olive Owner"}
    assert details["participants"] == [{"name": "Olive Owner"}]
    assert details["tags"] == ["hardware", "urgent"]
    assert details["categories"]["nodes"] == [
        {"name": "Network", "company": {"name": company.name}},
        {"name": "Printers", "company": {"name": company.name}},
    ]
    assert details["categories"]["totalCount"] == 2


async def test_events_are_the_timeline_oldest_first(
    api: Api, owner: Person, member: Person, company
) -> None:
    # given an issue with a note by a member and a closing event by its owner
    issue = await make_issue(owner, await make_category(owner, company), description="It broke.")
    await add_issue_event(member.scope, issue.id, "Looking into it.")
    await close_issue(owner.scope, issue.id, "Replaced the cable.")

    # when its events are asked for
    data = await api.data(ISSUE_DETAILS, {"id": gid("Issue", issue)})

    # then they read oldest first, each with its kind and author
    events = [{k: v for k, v in e.items() if k != "id"} for e in data["issue"]["events"]["nodes"]]
    assert events == [
        {"kind": "CREATED", "description": "It broke.", "author": {"name": "Olive Owner"}},
        {"kind": "NOTE", "description": "Looking into it.", "author": {"name": "Mia Member"}},
        {"kind": "CLOSED", "description": "Replaced the cable.", "author": {"name": "Olive Owner"}},
    ]
    assert data["issue"]["status"] == "CLOSED"
    assert data["issue"]["conclusion"] == "Replaced the cable."
    assert data["issue"]["closedAt"] is not None


async def test_events_are_paginated(api: Api, owner: Person, company) -> None:
    # given an issue with three events
    issue = await make_issue(owner, await make_category(owner, company), description="One")
    await add_issue_event(owner.scope, issue.id, "Two")
    await add_issue_event(owner.scope, issue.id, "Three")

    # when the events are read two at a time
    first = await api.data(ISSUE_EVENTS_PAGE, {"id": gid("Issue", issue), "first": 2})
    after = first["issue"]["events"]["edges"][-1]["cursor"]
    second = await api.data(
        ISSUE_EVENTS_PAGE, {"id": gid("Issue", issue), "first": 2, "after": after}
    )

    # then the pages follow each other
    page_one = first["issue"]["events"]
    page_two = second["issue"]["events"]
    assert [edge["node"]["description"] for edge in page_one["edges"]] == ["One", "Two"]
    assert page_one["pageInfo"] == {"hasNextPage": True, "hasPreviousPage": False}
    assert [edge["node"]["description"] for edge in page_two["edges"]] == ["Three"]
    assert page_two["pageInfo"] == {"hasNextPage": False, "hasPreviousPage": True}


async def test_subscriber_count_counts_confirmed_subscribers_only(
    api: Api, owner: Person, company
) -> None:
    # given an issue with two confirmed and one unconfirmed subscriber, and another issue's one
    category = await make_category(owner, company)
    issue = await make_issue(owner, category)
    other = await make_issue(owner, category)
    confirmed = datetime(2024, 1, 1, tzinfo=UTC)
    await Subscription.create(email="a@example.com", issue=issue, confirmed_at=confirmed)
    await Subscription.create(email="b@example.com", issue=issue, confirmed_at=confirmed)
    await Subscription.create(email="c@example.com", issue=issue, confirmed_at=None)
    await Subscription.create(email="d@example.com", issue=other, confirmed_at=confirmed)

    # when the issue's subscriber count is asked for
    data = await api.data(ISSUE_DETAILS, {"id": gid("Issue", issue)})

    # then only its confirmed subscribers count
    assert data["issue"]["subscriberCount"] == 2


# --- visibility ---------------------------------------------------------------------------------


@pytest.mark.parametrize("viewer", ["anonymous", "outsider"])
async def test_an_issue_in_a_private_company_is_hidden_on_every_path(
    api: Api,
    owner: Person,
    outsider: Person,
    anonymous: Person,
    private_company,
    company,
    viewer: str,
) -> None:
    # given an issue only in a private company's category, and a public one
    hidden_category = await make_category(owner, private_company, "Secret")
    hidden = await make_issue(owner, hidden_category, name="Hidden", tags=["secret"])
    await add_issue_event(owner.scope, hidden.id, "A secret note.")
    await make_issue(owner, await make_category(owner, company), name="Public")
    event_id = gid("IssueEvent", (await hidden.events.all().order_by("id"))[0])
    person = {"anonymous": anonymous, "outsider": outsider}[viewer]

    # when someone without access looks for it in every way
    listed = await api.data(ISSUES, as_=person)
    searched = await api.data(ISSUES, {"filter": {"search": "Hidden"}}, as_=person)
    tagged = await api.data(ISSUES, {"filter": {"tag": "secret"}}, as_=person)
    by_company = await api.graphql(
        ISSUES, {"filter": {"companyIds": [gid("Company", private_company)]}}, as_=person
    )
    by_unknown_company = await api.graphql(
        ISSUES, {"filter": {"companyIds": [to_global_id("Company", 404)]}}, as_=person
    )
    by_category = await api.graphql(
        ISSUES, {"filter": {"categoryIds": [gid("Category", hidden_category)]}}, as_=person
    )
    by_unknown_category = await api.graphql(
        ISSUES, {"filter": {"categoryIds": [to_global_id("Category", 404)]}}, as_=person
    )
    lookups = [
        await api.graphql(ISSUE_BY_ID, {"id": gid("Issue", hidden)}, as_=person),
        await api.graphql(ISSUE_BY_DATABASE_ID, {"databaseId": hidden.id}, as_=person),
        await api.graphql(ISSUE_BY_GUID, {"guid": str(hidden.guid)}, as_=person),
        await api.graphql(NODE, {"id": gid("Issue", hidden)}, as_=person),
        await api.graphql(NODE, {"id": event_id}, as_=person),
        await api.graphql(CATEGORY_ISSUES, {"id": gid("Category", hidden_category)}, as_=person),
    ]

    # then it is in no list, a filter naming its company or category is refused as for a
    # missing one, and every lookup answers NOT_FOUND as for a missing issue
    assert names(listed) == ["Public"]
    assert listed["issues"]["totalCount"] == 1
    assert names(searched) == []
    assert names(tagged) == []
    assert error_codes(by_company) == ["BAD_USER_INPUT"]
    assert by_company["errors"][0]["message"] == "The selected company ids are invalid."
    assert by_company["errors"] == by_unknown_company["errors"]
    assert error_codes(by_category) == ["BAD_USER_INPUT"]
    assert by_category["errors"] == by_unknown_category["errors"]
    assert [error_codes(body) for body in lookups] == [["NOT_FOUND"]] * len(lookups)
    assert [body["errors"][0]["message"] for body in lookups] == [
        "Issue not found.",
        "Issue not found.",
        "Issue not found.",
        "Issue not found.",
        "Event not found.",
        "Category not found.",
    ]


@pytest.mark.parametrize("viewer", ["owner", "admin", "member"])
async def test_members_see_an_issue_of_a_private_company_on_every_path(
    api: Api, owner: Person, admin: Person, member: Person, private_company, viewer: str
) -> None:
    # given an issue only in a private company's category
    category = await make_category(owner, private_company, "Secret")
    issue = await make_issue(owner, category, name="Hidden")
    person = {"owner": owner, "admin": admin, "member": member}[viewer]

    # when a member of the company looks for it
    listed = await api.data(ISSUES, as_=person)
    by_id = await api.data(ISSUE_BY_ID, {"id": gid("Issue", issue)}, as_=person)
    by_guid = await api.data(ISSUE_BY_GUID, {"guid": str(issue.guid)}, as_=person)
    node = await api.data(NODE, {"id": gid("Issue", issue)}, as_=person)
    in_category = await api.data(CATEGORY_ISSUES, {"id": gid("Category", category)}, as_=person)
    categories = await api.data(ISSUE_CATEGORIES, {"id": gid("Issue", issue)}, as_=person)

    # then every path shows it, with its category
    assert names(listed) == ["Hidden"]
    assert by_id["issue"]["name"] == "Hidden"
    assert by_guid["issue"]["name"] == "Hidden"
    assert node["node"]["name"] == "Hidden"
    assert in_category["category"]["issues"]["nodes"] == [{"name": "Hidden"}]
    assert categories["issue"]["categories"]["nodes"] == [{"name": "Secret"}]


async def test_an_issue_shows_only_the_categories_the_viewer_may_see(
    api: Api, owner: Person, outsider: Person, company, private_company
) -> None:
    # given an issue in a public and a private company's category
    public = await make_category(owner, company, "Public desk")
    secret = await make_category(owner, private_company, "Secret desk")
    issue = await make_issue(owner, public, secret, name="Shared")

    # when an outsider and a member of both look at it
    seen_by_outsider = await api.data(ISSUE_CATEGORIES, {"id": gid("Issue", issue)}, as_=outsider)
    seen_by_owner = await api.data(ISSUE_CATEGORIES, {"id": gid("Issue", issue)}, as_=owner)
    listed = await api.data(ISSUES, as_=outsider)

    # then the issue is visible to both, but the private category only to the member
    assert names(listed) == ["Shared"]
    assert seen_by_outsider["issue"]["categories"]["nodes"] == [{"name": "Public desk"}]
    assert seen_by_owner["issue"]["categories"]["nodes"] == [
        {"name": "Public desk"},
        {"name": "Secret desk"},
    ]


async def test_the_owner_keeps_seeing_an_issue_after_leaving_its_company(
    api: Api, member: Person, private_company
) -> None:
    # given an issue a member created in a private company, which the member then left
    category = await make_category(member, private_company, "Secret")
    issue = await make_issue(member, category, name="Mine")
    await Membership.filter(user_id=member.user.id, company_id=private_company.id).delete()

    # when the former member looks for it
    listed = await api.data(ISSUES, as_=member)
    categories = await api.data(ISSUE_CATEGORIES, {"id": gid("Issue", issue)}, as_=member)
    in_category = await api.graphql(CATEGORY_ISSUES, {"id": gid("Category", category)}, as_=member)

    # then the issue is still theirs to see, but the private category is not
    assert names(listed) == ["Mine"]
    assert categories["issue"]["categories"]["nodes"] == []
    assert error_codes(in_category) == ["NOT_FOUND"]


async def test_a_participant_sees_an_issue_of_a_private_company(
    api: Api, owner: Person, outsider: Person, private_company
) -> None:
    # given a hidden issue the outsider takes part in
    issue = await make_issue(owner, await make_category(owner, private_company), name="Hidden")
    await IssueParticipant.create(issue=issue, user=outsider.user)

    # when the outsider looks for it
    listed = await api.data(ISSUES, as_=outsider)
    by_id = await api.data(ISSUE_DETAILS, {"id": gid("Issue", issue)}, as_=outsider)
    node = await api.data(NODE, {"id": gid("Issue", issue)}, as_=outsider)

    # then it is visible, with both participants, but without the hidden category
    assert names(listed) == ["Hidden"]
    assert by_id["issue"]["participants"] == [{"name": "Olive Owner"}, {"name": "Otto Outsider"}]
    assert by_id["issue"]["categories"]["nodes"] == []
    assert node["node"]["name"] == "Hidden"


async def test_an_issue_without_categories_is_seen_by_its_owner_and_participants_only(
    api: Api, owner: Person, member: Person, outsider: Person, company
) -> None:
    # given an issue without categories, owned by a member, with the outsider taking part
    issue = await make_issue(member, name="Kinetic style")
    await IssueParticipant.create(issue=issue, user=outsider.user)

    # when its owner, a participant, a colleague of the owner and anonymous look for it
    seen = {
        name: await api.graphql(ISSUE_BY_ID, {"id": gid("Issue", issue)}, as_=person)
        for name, person in (("member", member), ("outsider", outsider), ("owner", owner))
    }
    anonymous_listing = await api.data(ISSUES)
    colleague_listing = await api.data(ISSUES, as_=owner)

    # then only the owner and the participant see it
    assert seen["member"]["data"]["issue"]["name"] == "Kinetic style"
    assert seen["outsider"]["data"]["issue"]["name"] == "Kinetic style"
    assert error_codes(seen["owner"]) == ["NOT_FOUND"]
    assert names(anonymous_listing) == []
    assert names(colleague_listing) == []


async def test_a_deleted_issue_disappears_everywhere(api: Api, owner: Person, company) -> None:
    # given a deleted issue and a kept one in the same category
    category = await make_category(owner, company)
    deleted = await make_issue(owner, category, name="Deleted", tags=["gone"])
    await make_issue(owner, category, name="Kept")
    event_id = gid("IssueEvent", (await deleted.events.all())[0])
    await delete_issue(owner.scope, deleted.id)

    # when even its owner looks for it
    listed = await api.data(ISSUES, as_=owner)
    tagged = await api.data(ISSUES, {"filter": {"tag": "gone"}}, as_=owner)
    in_category = await api.data(CATEGORY_ISSUES, {"id": gid("Category", category)}, as_=owner)
    lookups = [
        await api.graphql(ISSUE_BY_ID, {"id": gid("Issue", deleted)}, as_=owner),
        await api.graphql(ISSUE_BY_DATABASE_ID, {"databaseId": deleted.id}, as_=owner),
        await api.graphql(ISSUE_BY_GUID, {"guid": str(deleted.guid)}, as_=owner),
        await api.graphql(NODE, {"id": gid("Issue", deleted)}, as_=owner),
        await api.graphql(NODE, {"id": event_id}, as_=owner),
    ]

    # then it is in no list and not found, while nothing of it was erased
    assert names(listed) == ["Kept"]
    assert listed["issues"]["totalCount"] == 1
    assert names(tagged) == []
    assert in_category["category"]["issues"] == {"nodes": [{"name": "Kept"}], "totalCount": 1}
    assert [error_codes(body) for body in lookups] == [["NOT_FOUND"]] * len(lookups)
    assert await Issue.filter(id=deleted.id, deleted_at__isnull=False).exists()


# --- pagination ---------------------------------------------------------------------------------


async def given_five_issues(owner: Person, company) -> None:
    category = await make_category(owner, company)
    for number in range(1, 6):
        await make_issue(owner, category, name=f"Issue {number}")


async def test_first_and_after_walk_forwards_from_the_newest(
    api: Api, owner: Person, company
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
    api: Api, owner: Person, company
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


async def test_cursors_name_edges_and_bound_the_page(api: Api, owner: Person, company) -> None:
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
    api: Api, owner: Person, company, argument: str, cursor: str
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
    api: Api, owner: Person, company, private_company
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
