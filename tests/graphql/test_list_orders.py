"""Ordering everywhere: `orderBy` on the lists other than issues, each order with a direction
and keyset cursors of its own (walking a list page by page in an order meets every item once,
in that order), on both read paths (the differential tests read these documents too)."""

from typing import Any

import pytest

from issuetracker.models import Company
from issuetracker.resolvers.accounts.tokens import create_api_token
from issuetracker.resolvers.issues import writes
from issuetracker.settings import Settings

from ..sql_counter import count_sql
from ..support import Api, Person, error_codes, gid, make_category, make_company, make_issue

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


@pytest.fixture(params=["compiled", "executor"])
def settings(settings: Settings, request: pytest.FixtureRequest) -> Settings:
    return settings.model_copy(update={"graphql_compiled_reads": request.param == "compiled"})


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


COMPANY_CATEGORIES = """
query ($id: ID!, $order: CategoryOrder, $first: Int, $after: String) {
  company(id: $id) {
    categories(orderBy: $order, first: $first, after: $after) {
      totalCount edges { cursor node { name } } pageInfo { hasNextPage endCursor }
    }
  }
}
"""

EVERY_COMPANYS_CATEGORIES = """
{ companies { nodes { name categories(orderBy: {field: NAME, direction: DESC}, first: 2) {
    totalCount nodes { name } pageInfo { hasNextPage hasPreviousPage } } } } }
"""

ISSUE_EVENTS = """
query ($id: ID!, $order: IssueEventOrder, $last: Int, $before: String) {
  issue(id: $id) {
    events(orderBy: $order, last: $last, before: $before) {
      totalCount nodes { description } pageInfo { hasPreviousPage startCursor }
    }
  }
}
"""


async def test_a_companys_categories_page_through_an_order(
    api: Api, owner: Person, five_companies: list[Company]
) -> None:
    # given a company with five categories
    company = five_companies[0]
    for name in NAMES:
        await make_category(owner, company, name=name)
    order = {"field": "NAME", "direction": "DESC"}

    # when they are walked by name, highest first, two a page
    names: list[str] = []
    after = None
    while True:
        variables = {"id": gid("Company", company), "order": order, "first": 2, "after": after}
        page = (await api.data(COMPANY_CATEGORIES, variables))["company"]["categories"]
        names += [edge["node"]["name"] for edge in page["edges"]]
        assert page["totalCount"] == len(NAMES)
        if not page["pageInfo"]["hasNextPage"]:
            break
        after = page["pageInfo"]["endCursor"]

    # then each comes once, in that order
    assert names == BY_NAME[::-1]


async def test_nested_ordered_lists_are_read_in_one_batch(
    api: Api, owner: Person, five_companies: list[Company]
) -> None:
    # given each company with three categories
    for company in five_companies:
        for name in ("a", "C", "b"):
            await make_category(owner, company, name=f"{name} of {company.name}")

    # when every company's categories are read by name, highest first
    with count_sql() as statements:
        data = await api.data(EVERY_COMPANYS_CATEGORIES)

    # then each company has its own page, and the statements do not grow with the companies
    for node in data["companies"]["nodes"]:
        names = [category["name"] for category in node["categories"]["nodes"]]
        assert names == [f"C of {node['name']}", f"b of {node['name']}"]
        assert node["categories"]["totalCount"] == 3
        assert node["categories"]["pageInfo"] == {"hasNextPage": True, "hasPreviousPage": False}
    assert len(statements) <= 4, statements


async def test_an_issues_timeline_pages_backwards_newest_first(
    api: Api, owner: Person, company: Company
) -> None:
    # given an issue with a description and three notes
    issue = await make_issue(owner, await make_category(owner, company), description="Opened.")
    for number in range(3):
        await writes.add_issue_event(owner.scope, issue.id, f"Note {number}")
    order = {"field": "CREATED_AT", "direction": "DESC"}

    # when its timeline is walked newest first, backwards from the end, two a page
    seen: list[str] = []
    before = None
    while True:
        variables = {"id": gid("Issue", issue), "order": order, "last": 2, "before": before}
        page = (await api.data(ISSUE_EVENTS, variables, as_=owner))["issue"]["events"]
        seen = [node["description"] for node in page["nodes"]] + seen
        if not page["pageInfo"]["hasPreviousPage"]:
            break
        before = page["pageInfo"]["startCursor"]

    # then it holds every event, newest first
    assert seen == ["Note 2", "Note 1", "Note 0", "Opened."]


WEBHOOKS = """
query ($order: WebhookOrder, $deliveries: DeliveryOrder) {
  webhooks(orderBy: $order) {
    nodes { url deliveries(orderBy: $deliveries) { totalCount nodes { eventType } } }
  }
}
"""


async def test_webhooks_and_their_deliveries_follow_the_order_asked(
    api: Api, owner: Person
) -> None:
    # given three webhooks
    for path in ("one", "two", "three"):
        body = await api.graphql(
            CREATE_WEBHOOK, {"input": {"url": f"http://127.0.0.1:9/{path}"}}, as_=owner
        )
        assert body["data"]["createWebhook"]["errors"] == []

    # when they are listed newest first, and oldest first
    newest = {"order": {"field": "CREATED_AT", "direction": "DESC"}}
    oldest = {"order": {"field": "CREATED_AT", "direction": "ASC"}}
    newest_first = (await api.data(WEBHOOKS, newest, as_=owner))["webhooks"]["nodes"]
    oldest_first = (await api.data(WEBHOOKS, oldest, as_=owner))["webhooks"]["nodes"]

    # then each order holds them all, one the other's reverse
    urls = [node["url"] for node in oldest_first]
    assert urls == [f"http://127.0.0.1:9/{path}" for path in ("one", "two", "three")]
    assert [node["url"] for node in newest_first] == urls[::-1]
    for node in newest_first:
        assert node["deliveries"]["totalCount"] == len(node["deliveries"]["nodes"])


CREATE_WEBHOOK = """
mutation ($input: CreateWebhookInput!) {
  createWebhook(input: $input) { webhook { url } errors { code } }
}
"""


API_TOKENS = """
query ($order: ApiTokenOrder) { viewer { apiTokens(orderBy: $order) { name lastUsedAt } } }
"""


async def test_the_viewers_tokens_follow_the_order_asked(api: Api, owner: Person) -> None:
    # given two more tokens, made after the one the owner signs in with, one of them used
    await create_api_token(owner.scope, "unused", None)
    used = await create_api_token(owner.scope, "used", None)
    await api.data(API_TOKENS, {}, as_=Person(owner.user, used.secret))

    # when they are listed in each order
    def names(data: dict[str, Any]) -> list[str]:
        return [token["name"] for token in data["viewer"]["apiTokens"]]

    newest = names(await api.data(API_TOKENS, {}, as_=owner))
    by_created = {"field": "CREATED_AT", "direction": "ASC"}
    oldest = names(await api.data(API_TOKENS, {"order": by_created}, as_=owner))
    by_use = {"field": "LAST_USED_AT", "direction": "DESC"}
    last_used = names(await api.data(API_TOKENS, {"order": by_use}, as_=owner))

    # then newest first by default, oldest first when asked, and a token never used counts as
    # used after all others
    assert newest == ["used", "unused", "tests"]
    assert oldest == ["tests", "unused", "used"]
    assert last_used[0] == "unused"
    assert set(last_used[1:]) == {"used", "tests"}
