"""Ordering everywhere: `orderBy` on the lists other than issues, each order with a direction
and keyset cursors of its own (walking a list page by page in an order meets every item once,
in that order), on both read paths (the differential tests read these documents too)."""

from typing import Any

import pytest

from issuetracker.models import Company

from ..support import Api, Person, error_codes, make_company

COMPANIES = """
query ($order: CompanyOrder, $first: Int, $after: String, $last: Int, $before: String) {
  companies(orderBy: $order, first: $first, after: $after, last: $last, before: $before) {
    edges { cursor node { name } }
    pageInfo { hasNextPage hasPreviousPage startCursor endCursor }
  }
}
"""

VIEWER_COMPANIES = """
query ($order: CompanyOrder, $first: Int, $after: String) {
  viewer {
    companies(orderBy: $order, first: $first, after: $after) {
      edges { cursor node { name } }
      pageInfo { hasNextPage hasPreviousPage startCursor endCursor }
    }
  }
}
"""

NAMES = ["beta", "Alpha", "gamma", "Delta", "epsilon"]
BY_NAME = sorted(NAMES, key=str.lower)


@pytest.fixture
async def five_companies(owner: Person) -> list[Company]:
    return [await make_company(owner, name=name) for name in NAMES]


async def _walk_forwards(
    api: Api, query: str, path: list[str], order: dict[str, str], as_: Person
) -> list[str]:
    """Every name, two a page, following `endCursor`."""
    names: list[str] = []
    after = None
    while True:
        variables = {"order": order, "first": 2, "after": after}
        data: Any = await api.data(query, variables, as_=as_)
        for step in path:
            data = data[step]
        names += [edge["node"]["name"] for edge in data["edges"]]
        if not data["pageInfo"]["hasNextPage"]:
            return names
        after = data["pageInfo"]["endCursor"]


async def _walk_backwards(api: Api, order: dict[str, str], as_: Person) -> list[str]:
    names: list[str] = []
    before = None
    while True:
        variables = {"order": order, "last": 2, "before": before}
        data = (await api.data(COMPANIES, variables, as_=as_))["companies"]
        names = [edge["node"]["name"] for edge in data["edges"]] + names
        if not data["pageInfo"]["hasPreviousPage"]:
            return names
        before = data["pageInfo"]["startCursor"]


@pytest.mark.parametrize(
    ("field", "direction", "expected"),
    [
        ("NAME", "ASC", BY_NAME),
        ("NAME", "DESC", BY_NAME[::-1]),
        ("CREATED_AT", "ASC", NAMES),
        ("CREATED_AT", "DESC", NAMES[::-1]),
    ],
)
async def test_companies_page_through_each_order_both_ways(
    api: Api,
    owner: Person,
    five_companies: list[Company],
    field: str,
    direction: str,
    expected: list[str],
) -> None:
    order = {"field": field, "direction": direction}

    # when the companies are walked forwards and backwards, two a page
    forwards = await _walk_forwards(api, COMPANIES, ["companies"], order, owner)
    backwards = await _walk_backwards(api, order, owner)
    mine = await _walk_forwards(api, VIEWER_COMPANIES, ["viewer", "companies"], order, owner)

    # then each meets every company once, in the order asked for
    assert forwards == backwards == mine == expected


async def test_a_cursor_works_only_in_the_order_it_came_from(
    api: Api, owner: Person, five_companies: list[Company]
) -> None:
    # given a cursor of the list by name
    by_name = {"field": "NAME", "direction": "ASC"}
    first = await api.data(COMPANIES, {"order": by_name, "first": 1}, as_=owner)
    cursor = first["companies"]["pageInfo"]["endCursor"]

    # when it is given to the list in id order, and by creation
    by_created = {"field": "CREATED_AT", "direction": "ASC"}
    plain = await api.graphql(COMPANIES, {"after": cursor}, as_=owner)
    created = await api.graphql(COMPANIES, {"order": by_created, "after": cursor}, as_=owner)

    # then both refuse it
    assert error_codes(plain) == ["BAD_USER_INPUT"]
    assert error_codes(created) == ["BAD_USER_INPUT"]
