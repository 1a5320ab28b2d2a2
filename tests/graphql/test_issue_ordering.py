"""`orderBy` on `issues`, `Category.issues` and `Company.issues`: every field in both
directions, ties broken by id, and keyset cursors that page through the whole list forwards
and backwards without skipping or repeating a row. On the compiled read path and the
executor alike."""

import logging
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest

from issuetracker.models import Category, Company, Issue, IssueCategory, Severity
from issuetracker.settings import Settings

from ..support import Api, Person, gid, make_category, make_issue

LIST = """
query ($order: IssueOrder, $first: Int, $after: String, $last: Int, $before: String) {
  issues(orderBy: $order, first: $first, after: $after, last: $last, before: $before) {
    edges { cursor node { name } }
    pageInfo { hasNextPage hasPreviousPage startCursor endCursor }
  }
}
"""
IN_CATEGORY = """
query ($id: ID!, $order: IssueOrder, $first: Int, $after: String) {
  node(id: $id) {
    ... on Category {
      issues(orderBy: $order, first: $first, after: $after) {
        nodes { name }
        pageInfo { hasNextPage endCursor }
        totalCount
      }
    }
  }
}
"""
IN_COMPANY = """
query ($id: ID!, $order: IssueOrder) {
  company(id: $id) { issues(orderBy: $order, first: 10) { nodes { name } totalCount } }
}
"""
# name, severity, created (minutes ago), updated (minutes ago): ties on every field
ISSUES = [
    ("bravo", Severity.INFO, 50, 5),
    ("Alpha", Severity.CRITICAL, 40, 5),
    ("charlie", Severity.IMPORTANT, 40, 30),
    ("alpha", Severity.INFO, 10, 20),
    ("Delta", Severity.CRITICAL, 30, 1),
]


@pytest.fixture(params=["compiled", "executor"])
def settings(request: pytest.FixtureRequest, settings: Settings) -> Settings:
    return settings.model_copy(update={"graphql_compiled_reads": request.param == "compiled"})


@pytest.fixture
async def issues(owner: Person, company: Company) -> list[Issue]:
    category = await make_category(owner, company)
    now = datetime.now(UTC)
    made = []
    for name, severity, created, updated in ISSUES:
        issue = await make_issue(owner, category, name=name, severity=severity)
        await Issue.filter(id=issue.id).update(
            created_at=now - timedelta(minutes=created),
            updated_at=now - timedelta(minutes=updated),
        )
        made.append(await Issue.get(id=issue.id))
    return made


def _expected(issues: list[Issue], field: str, descending: bool) -> list[str]:
    ranks = {Severity.INFO: 0, Severity.IMPORTANT: 1, Severity.CRITICAL: 2}
    keys: dict[str, Callable[[Issue], Any]] = {
        "CREATED_AT": lambda issue: issue.created_at,
        "UPDATED_AT": lambda issue: issue.updated_at,
        "NAME": lambda issue: issue.name.lower(),
        "SEVERITY": lambda issue: ranks[issue.severity],
    }
    ordered = sorted(issues, key=lambda issue: (keys[field](issue), issue.id), reverse=descending)
    return [issue.name for issue in ordered]


def _names(body: dict[str, Any]) -> list[str]:
    return [edge["node"]["name"] for edge in body["issues"]["edges"]]


FIELDS = ["CREATED_AT", "UPDATED_AT", "NAME", "SEVERITY"]


@pytest.mark.parametrize("field", FIELDS)
@pytest.mark.parametrize("direction", ["ASC", "DESC"])
async def test_each_order_lists_every_issue_ties_broken_by_id(
    api: Api, issues: list[Issue], field: str, direction: str
) -> None:
    order = {"field": field, "direction": direction}

    data = await api.data(LIST, {"order": order, "first": 10})

    assert _names(data) == _expected(issues, field, direction == "DESC")


@pytest.mark.parametrize("field", FIELDS)
@pytest.mark.parametrize("direction", ["ASC", "DESC"])
async def test_paging_forwards_and_backwards_visits_every_issue_once(
    api: Api, issues: list[Issue], field: str, direction: str
) -> None:
    order = {"field": field, "direction": direction}
    forwards: list[str] = []
    after = None
    while True:
        page = (await api.data(LIST, {"order": order, "first": 2, "after": after}))["issues"]
        forwards += [edge["node"]["name"] for edge in page["edges"]]
        assert page["pageInfo"]["endCursor"] == page["edges"][-1]["cursor"]
        if not page["pageInfo"]["hasNextPage"]:
            break
        after = page["pageInfo"]["endCursor"]
    backwards: list[str] = []
    before = None
    while True:
        page = (await api.data(LIST, {"order": order, "last": 2, "before": before}))["issues"]
        backwards = [edge["node"]["name"] for edge in page["edges"]] + backwards
        assert page["pageInfo"]["startCursor"] == page["edges"][0]["cursor"]
        if not page["pageInfo"]["hasPreviousPage"]:
            break
        before = page["pageInfo"]["startCursor"]

    assert forwards == backwards == _expected(issues, field, direction == "DESC")


async def test_a_cursor_of_one_order_is_refused_in_another(api: Api, issues: list[Issue]) -> None:
    by_name = await api.data(LIST, {"order": {"field": "NAME", "direction": "ASC"}, "first": 1})
    cursor = by_name["issues"]["pageInfo"]["endCursor"]

    by_severity = await api.graphql(
        LIST, {"order": {"field": "SEVERITY", "direction": "ASC"}, "after": cursor}
    )
    unordered = await api.graphql(LIST, {"after": cursor})

    for body in (by_severity, unordered):
        assert body["errors"][0]["extensions"]["code"] == "BAD_USER_INPUT"
        assert body["errors"][0]["extensions"]["errors"] == [
            {"field": "after", "message": "The cursor belongs to a list in another order."}
        ]


async def test_relevance_needs_a_search(api: Api, issues: list[Issue]) -> None:
    body = await api.graphql(LIST, {"order": {"field": "RELEVANCE", "direction": "DESC"}})

    assert body["errors"][0]["extensions"]["errors"] == [
        {"field": "orderBy", "message": "Order by relevance only together with a `search`."}
    ]


async def test_relevance_orders_a_search_best_match_first(
    api: Api, owner: Person, settings: Settings
) -> None:
    await make_issue(owner, name="Printer", description="The printer in the hall.")
    await make_issue(owner, name="Printer printer", description="Printer, printer, printer.")
    query = """query ($order: IssueOrder) {
      issues(filter: {search: "printer"}, orderBy: $order) { nodes { name } }
    }"""

    data = await api.data(query, {"order": {"field": "RELEVANCE", "direction": "DESC"}}, as_=owner)

    names = [node["name"] for node in data["issues"]["nodes"]]
    assert sorted(names) == ["Printer", "Printer printer"]
    if settings.database_url.startswith("postgres"):  # SQLite ranks every match alike
        assert names == ["Printer printer", "Printer"]


async def test_a_categorys_issues_are_ordered_and_paged(
    api: Api, owner: Person, company: Company, issues: list[Issue]
) -> None:
    category = await Category.get(company_id=company.id)
    order = {"field": "NAME", "direction": "ASC"}
    variables = {"id": gid("Category", category), "order": order, "first": 3}

    first = (await api.data(IN_CATEGORY, variables))["node"]["issues"]
    after = first["pageInfo"]["endCursor"]
    second = (await api.data(IN_CATEGORY, {**variables, "after": after}))["node"]["issues"]

    names = [node["name"] for node in first["nodes"] + second["nodes"]]
    assert names == _expected(issues, "NAME", descending=False)
    assert (first["pageInfo"]["hasNextPage"], second["pageInfo"]["hasNextPage"]) == (True, False)
    assert first["totalCount"] == second["totalCount"] == 5


async def test_a_companys_issues_are_those_of_its_categories_once_each(
    api: Api, owner: Person, company: Company, issues: list[Issue]
) -> None:
    second_category = await make_category(owner, company)
    await make_issue(owner, second_category, name="Elsewhere", severity=Severity.CRITICAL)
    await IssueCategory.create(issue=issues[0], category=second_category)  # in both: once
    order = {"field": "SEVERITY", "direction": "DESC"}

    data = await api.data(IN_COMPANY, {"id": gid("Company", company), "order": order})

    names = [node["name"] for node in data["company"]["issues"]["nodes"]]
    assert names == ["Elsewhere", "Delta", "Alpha", "charlie", "alpha", "bravo"]
    assert data["company"]["issues"]["totalCount"] == 6


async def test_relevance_of_a_search_of_qualifiers_alone_ranks_every_match_alike(
    api: Api, owner: Person, caplog: pytest.LogCaptureFixture
) -> None:
    # given an open issue and a closed one
    await make_issue(owner, name="Open printer")
    closed = await make_issue(owner, name="Closed printer")
    await Issue.filter(id=closed.id).update(status="closed")
    query = """{ issues(filter: {search: "is:open"}, orderBy: {field: RELEVANCE, direction: DESC}) {
      nodes { name } } }"""

    # when a search with no words (nothing to rank by) is ordered by relevance
    with caplog.at_level(logging.WARNING):
        data = await api.data(query, as_=owner)

    # then the open issue is found, and no statement failed on the way
    assert [node["name"] for node in data["issues"]["nodes"]] == ["Open printer"]
    assert [
        record.getMessage() for record in caplog.records if record.levelno >= logging.ERROR
    ] == []
