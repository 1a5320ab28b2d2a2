"""Counts that stay fast: `totalCount` is exact up to `COUNT_LIMIT` and an estimate past it,
which `totalCountIsExact` tells; the compiled path and the executor answer the same. Here the
bound is 3, so a few rows pass it."""

import json

import pytest
from pytest_aiohttp import AiohttpClient

from issuetracker.models import Company, Severity
from issuetracker.settings import Settings

from ..support import Api, Person, make_category, make_company, make_issue
from .differential import same_answer, two_apps

LIMIT = 3

ISSUE_COUNTS = """
query ($severity: Severity) {
  issues(first: 2, filter: {severity: $severity}) { totalCount totalCountIsExact nodes { name } }
}
"""

EVERY_COUNT = """
{
  issues(last: 1) { totalCountIsExact totalCount }
  companies(first: 1) { totalCount totalCountIsExact }
  categories { totalCount totalCountIsExact }
  viewer { companies { totalCount totalCountIsExact } }
}
"""

NESTED_COUNTS = """
{ companies { nodes { issues { totalCount totalCountIsExact }
                      categories { totalCount totalCountIsExact } } } }
"""

SPLIT_COUNTS = """
{
  issues { exact: totalCountIsExact nodes { name } total: totalCount }
  companies { totalCountIsExact nodes { categories { totalCountIsExact } } }
  categories { totalCount totalCountIsExact totalCount }
}
"""


@pytest.fixture
def settings(settings: Settings) -> Settings:
    return settings.model_copy(update={"count_limit": LIMIT})


@pytest.fixture
async def ten_issues(owner: Person, company: Company) -> None:
    """Ten issues, every other one critical, in ascending ids."""
    category = await make_category(owner, company)
    for number in range(10):
        severity = Severity.CRITICAL if number % 2 else Severity.INFO
        await make_issue(owner, category, name=f"Counted {number}", severity=severity)


async def test_a_count_within_the_bound_is_exact(api: Api, owner: Person, company: Company) -> None:
    # given three issues: the bound exactly
    category = await make_category(owner, company)
    for _ in range(LIMIT):
        await make_issue(owner, category)

    # when they are counted
    data = await api.data(ISSUE_COUNTS, {})

    # then the count is exact
    assert data["issues"]["totalCount"] == LIMIT
    assert data["issues"]["totalCountIsExact"] is True


async def test_past_the_bound_the_count_is_an_estimate_from_the_rows_walked(
    api: Api, ten_issues: None
) -> None:
    # when all ten, and the five critical ones, are counted
    every = (await api.data(ISSUE_COUNTS, {}))["issues"]
    critical = (await api.data(ISSUE_COUNTS, {"severity": "CRITICAL"}))["issues"]

    # then both are estimates: the newest four of ten ids hold four rows (10 exactly), and the
    # newest seven hold the four critical ones walked (5.7, rounded down)
    assert (every["totalCount"], every["totalCountIsExact"]) == (10, False)
    assert (critical["totalCount"], critical["totalCountIsExact"]) == (5, False)
    assert len(every["nodes"]) == 2


async def test_every_list_read_by_a_query_is_bounded_and_loaded_lists_are_exact(
    api: Api, owner: Person, ten_issues: None
) -> None:
    # given five companies the owner is a member of
    for number in range(4):
        await make_company(owner, name=f"Counted Ltd {number}")

    # when every list is counted
    data = await api.data(EVERY_COUNT, {}, as_=owner)
    nested = await api.data(NESTED_COUNTS, {}, as_=owner)

    # then the root lists are bounded, and so is the viewer's; a company's issues and
    # categories (read whole, or counted per company) are exact
    assert data["issues"] == {"totalCountIsExact": False, "totalCount": 10}
    assert data["companies"]["totalCountIsExact"] is False
    assert data["viewer"]["companies"]["totalCountIsExact"] is False
    assert data["categories"] == {"totalCount": 1, "totalCountIsExact": True}
    first = nested["companies"]["nodes"][0]
    assert first["issues"] == {"totalCount": 10, "totalCountIsExact": True}


async def test_the_compiled_path_counts_as_the_executor_does(
    aiohttp_client: AiohttpClient,
    database: None,
    settings: Settings,
    owner: Person,
    ten_issues: None,
) -> None:
    # given more companies than the bound
    for number in range(4):
        await make_company(owner, name=f"Counted Ltd {number}")
    apps = await two_apps(aiohttp_client, settings)

    # when each count is read compiled and executed, anonymous and signed in
    cases: list[tuple[str, dict[str, object]]] = [
        (ISSUE_COUNTS, {}),
        (ISSUE_COUNTS, {"severity": "CRITICAL"}),
        (EVERY_COUNT, {}),
        (NESTED_COUNTS, {}),
        (SPLIT_COUNTS, {}),
    ]
    for query, variables in cases:
        for person in (None, owner):
            compiled, executed = await apps.both(query, variables, person)

            # then both answer the same, and without errors
            assert same_answer(compiled, executed), (query, compiled, executed)
            assert "errors" not in json.loads(compiled), compiled
    counts = apps.compiled_reads.counts
    assert counts["failed"] == 0
    assert counts["compiled"] > counts["executed"], counts
