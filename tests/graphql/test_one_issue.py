"""One issue over GraphQL: `issue(...)` by id, database id or guid, and the fields of an issue (its
owner, participants, tags, categories, the timeline of events and the subscriber count)."""

from datetime import UTC, datetime

import pytest

from issuetracker.models import Company, Severity, Subscription
from issuetracker.resolvers.issues.writes import add_issue_event, close_issue
from issuetracker.schema.relay import to_global_id

from ..support import Api, Person, error_codes, gid, make_category, make_issue
from .issue_helpers import (
    ISSUE_BY_DATABASE_ID,
    ISSUE_BY_GUID,
    ISSUE_BY_ID,
    ISSUE_DETAILS,
    NODE,
    cursor_of,
)

ISSUE_BY_ID_AND_GUID = """
query ($id: ID!, $guid: UUID!) { issue(id: $id, guid: $guid) { name } }
"""

ISSUE_WITHOUT_ARGUMENTS = """
query { issue { name } }
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


# --- one issue ----------------------------------------------------------------------------------


async def test_an_issue_is_found_by_id_database_id_or_guid(
    api: Api, owner: Person, company: Company
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
    api: Api, owner: Person, company: Company
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
    api: Api, owner: Person, member: Person, company: Company
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


async def test_events_are_paginated(api: Api, owner: Person, company: Company) -> None:
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
    api: Api, owner: Person, company: Company
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
