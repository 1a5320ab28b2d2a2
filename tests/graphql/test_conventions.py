"""The conventions client developers know from GitHub and Shopify: a `rateLimit` root field and
`X-RateLimit-*` headers, the cost requested and actual with the budget's `throttleStatus`
(under small limits here: 1,000 a request, 2,000 an hour); input errors with their path; scalars
that say where they are specified. (Batches: test_batches.py.)"""

from datetime import UTC, datetime, timedelta

import pytest
from aiohttp.test_utils import TestClient
from pytest_aiohttp import AiohttpClient

from issuetracker.models import Company
from issuetracker.resolvers.issues.writes import close_issue
from issuetracker.schema.relay import to_global_id
from issuetracker.server import GRAPHQL, create_app
from issuetracker.settings import Settings

from ..support import Api, Person, gid, make_category, make_company, make_issue

RATE_LIMIT = "rateLimit { cost limit remaining used resetAt nodeCount }"
TEN_COMPANIES = "companies(first: 10) { nodes { name } }"  # 1 + 10 x 2 = 21 points


@pytest.fixture
def settings(settings: Settings) -> Settings:
    return settings.model_copy(update={"graphql_max_cost": 1000, "graphql_hourly_budget": 2000})


def _next_hour() -> datetime:
    return datetime.now(UTC).replace(minute=0, second=0, microsecond=0) + timedelta(hours=1)


async def test_rate_limit_tells_the_cost_and_what_is_left(client: TestClient) -> None:
    query = "{ " + RATE_LIMIT + " " + TEN_COMPANIES + " }"  # 7 + 21 points

    response = await client.post("/graphql", json={"query": query})

    body = await response.json()
    assert body["data"]["rateLimit"] == {
        "cost": 28,
        "limit": 2000,
        "remaining": 2000 - 28,
        "used": 28,
        "resetAt": _next_hour().isoformat(),
        "nodeCount": 10,
    }
    assert body["data"]["companies"] == {"nodes": []}


async def test_the_executor_answers_rate_limit_and_the_compiled_path_the_rest(
    client: TestClient,
) -> None:
    reads = client.app[GRAPHQL].execution.compiled
    assert reads is not None
    before = dict(reads.counts)
    query = "{ " + RATE_LIMIT + " " + TEN_COMPANIES + " }"

    await client.post("/graphql", json={"query": query})

    assert reads.counts["compiled"] == before.get("compiled", 0) + 1
    assert reads.counts["executed"] == before.get("executed", 0) + 1


async def test_every_answer_carries_the_rate_limit_headers(client: TestClient) -> None:
    query = {"query": "{ " + TEN_COMPANIES + " }"}

    await client.post("/graphql", json=query)
    response = await client.post("/graphql", json=query)

    assert response.headers["X-RateLimit-Limit"] == "2000"
    assert response.headers["X-RateLimit-Remaining"] == str(2000 - 42)
    assert response.headers["X-RateLimit-Used"] == "42"
    assert response.headers["X-RateLimit-Reset"] == str(int(_next_hour().timestamp()))
    assert response.headers["X-RateLimit-Resource"] == "graphql"


async def test_browsers_may_read_them_and_streams_carry_them(client: TestClient) -> None:
    headers = {"Origin": "https://app.example.com", "Accept": "text/event-stream"}

    response = await client.post("/graphql", json={"query": "{ __typename }"}, headers=headers)

    await response.text()
    assert response.content_type == "text/event-stream"
    assert response.headers["X-RateLimit-Used"] == "1"
    exposed = response.headers["Access-Control-Expose-Headers"].split(", ")
    for name in ("Limit", "Remaining", "Used", "Reset", "Resource"):
        assert f"X-RateLimit-{name}" in exposed


async def test_a_dry_run_costs_the_document_without_running_it(client: TestClient) -> None:
    query = (
        "query ($dry: Boolean) { rateLimit(dryRun: $dry) { cost remaining } "
        "companies(first: 100) { nodes { name } } }"
    )

    dry = await client.post("/graphql", json={"query": query, "variables": {"dry": True}})
    wet = await client.post("/graphql", json={"query": query, "variables": {"dry": False}})

    # 3 for rateLimit, 201 for the companies; a dry run is charged one point
    dry_body, wet_body = await dry.json(), await wet.json()
    assert dry_body["data"] == {"rateLimit": {"cost": 204, "remaining": 1999}}
    assert dry_body["extensions"]["cost"]["requested"] == 204
    assert dry_body["extensions"]["cost"]["actual"] == 1
    assert dry.headers["X-RateLimit-Used"] == "1"
    assert wet_body["data"] == {
        "rateLimit": {"cost": 204, "remaining": 1999 - 204},
        "companies": {"nodes": []},
    }


async def test_without_a_budget_rate_limit_is_null_and_no_header_is_sent(
    aiohttp_client: AiohttpClient, database: None, settings: Settings
) -> None:
    no_budget = settings.model_copy(update={"graphql_hourly_budget": 0})
    client = await aiohttp_client(create_app(no_budget, manage_database=False))

    response = await client.post("/graphql", json={"query": "{ " + RATE_LIMIT + " }"})

    body = await response.json()
    assert body["data"] == {"rateLimit": None}
    assert body["extensions"] == {"cost": {"requested": 7, "actual": 1, "limit": 1000}}
    assert not [name for name in response.headers if name.startswith("X-RateLimit")]


async def test_a_spent_budget_says_so_in_its_headers_and_extensions(client: TestClient) -> None:
    query = {"query": "{ companies(first: 100) { nodes { name } } }"}  # 201 points
    for _ in range(9):
        await client.post("/graphql", json=query)

    refused = await client.post("/graphql", json=query)

    assert refused.status == 429
    assert refused.headers["X-RateLimit-Remaining"] == str(2000 - 9 * 201)
    assert refused.headers["X-RateLimit-Used"] == str(9 * 201)
    assert refused.headers["X-RateLimit-Resource"] == "graphql"
    assert refused.headers["X-RateLimit-Reset"] == str(int(_next_hour().timestamp()))
    cost = (await refused.json())["extensions"]["cost"]
    assert cost == {
        "requested": 201,
        "limit": 1000,
        "throttleStatus": {
            "maximumAvailable": 2000,
            "currentlyAvailable": 2000 - 9 * 201,
            "restoreRate": 2000 / 3600,
        },
    }


async def test_pages_shorter_than_asked_cost_less(api: Api, owner: Person) -> None:
    await make_company(owner, name="Acme")
    await make_company(owner, name="Globex")

    body = await api.graphql("{ " + TEN_COMPANIES + " }")

    # 1 for the connection, 2 for each of the two companies returned
    assert body["extensions"]["cost"] == {
        "requested": 21,
        "actual": 5,
        "limit": 1000,
        "throttleStatus": {
            "maximumAvailable": 2000,
            "currentlyAvailable": 2000 - 21,
            "restoreRate": 2000 / 3600,
        },
    }


async def test_a_full_page_costs_what_was_requested(api: Api, owner: Person) -> None:
    for name in ("Acme", "Globex", "Initech"):
        company = await make_company(owner, name=name)
        await make_category(owner, company)
    query = (
        "{ companies(first: 3) { totalCount pageInfo { hasNextPage } "
        "edges { cursor node { name categories(first: 1) { nodes { name } } } } } }"
    )

    body = await api.graphql(query, as_=owner)

    assert body["extensions"]["cost"]["actual"] == body["extensions"]["cost"]["requested"]


async def test_nulls_and_skipped_fields_cost_nothing_below_them(api: Api, owner: Person) -> None:
    query = (
        "query ($skip: Boolean!) { company(databaseId: 0) { name categories { totalCount } } "
        "companies(first: 5) @skip(if: $skip) { nodes { name } } }"
    )

    body = await api.graphql(query, {"skip": True})

    # company (1 + name 1 + categories 1 + 20) + companies (1 + 5 x 2); the answer: a null
    assert body["extensions"]["cost"]["requested"] == 23 + 11
    assert body["extensions"]["cost"]["actual"] == 1


async def test_a_query_refused_for_its_cost_says_what_it_would_cost(api: Api) -> None:
    query = "{ companies(first: 100) { nodes { categories(first: 10) { nodes { name } } } } }"

    body = await api.graphql(query)

    # 1 + 100 x (1 + 1 + 10 x 2)
    assert body["errors"][0]["extensions"]["code"] == "QUERY_TOO_COMPLEX"
    assert body["extensions"] == {"cost": {"requested": 2201, "limit": 1000}}
    assert await Company.all().count() == 0


CREATE_ISSUE = """mutation ($input: CreateIssueInput!) {
  createIssue(input: $input) { issue { name } errors { field path code } }
}"""


async def test_an_invalid_entry_of_a_list_is_named_by_its_path(
    api: Api, member: Person, company: Company
) -> None:
    mine = gid("Category", await make_category(member, company))
    for wrong, code in (
        (to_global_id("Category", 404), "UNKNOWN"),
        (gid("Company", company), "INVALID_ID"),
    ):
        given = {"name": "Hi", "description": "Hi.", "categoryIds": [mine, wrong]}

        data = await api.data(CREATE_ISSUE, {"input": given}, as_=member)

        assert data["createIssue"] == {
            "issue": None,
            "errors": [
                {"field": "categoryIds", "path": ["input", "categoryIds", "1"], "code": code}
            ],
        }


async def test_the_path_of_a_field_and_of_a_conflict(
    api: Api, member: Person, company: Company
) -> None:
    category = await make_category(member, company)
    given = {"name": " ", "description": "Hi.", "categoryIds": [gid("Category", category)]}
    blank = await api.data(CREATE_ISSUE, {"input": given}, as_=member)
    issue = await make_issue(member, category)
    await close_issue(member.scope, issue.id, "Fixed.")
    close = (
        "mutation ($input: CloseIssueInput!) { closeIssue(input: $input) { errors { path code } } }"
    )

    closed = await api.data(
        close, {"input": {"id": gid("Issue", issue), "description": "Again."}}, as_=member
    )

    assert blank["createIssue"]["errors"] == [
        {"field": "name", "path": ["input", "name"], "code": "REQUIRED"}
    ]
    assert closed["closeIssue"]["errors"] == [{"path": [], "code": "ISSUE_CLOSED"}]


async def test_date_time_date_and_uuid_say_where_they_are_specified(api: Api) -> None:
    query = (
        '{ d: __type(name: "Date") { specifiedByURL } t: __type(name: "DateTime") '
        '{ specifiedByURL } u: __type(name: "UUID") { specifiedByURL } }'
    )

    data = await api.data(query)

    rfc3339 = "https://datatracker.ietf.org/doc/html/rfc3339#section-5.6"
    assert data == {
        "d": {"specifiedByURL": rfc3339},
        "t": {"specifiedByURL": rfc3339},
        "u": {"specifiedByURL": "https://datatracker.ietf.org/doc/html/rfc9562"},
    }


async def test_node_count_multiplies_nested_pages(api: Api) -> None:
    query = (
        "{ rateLimit(dryRun: true) { cost nodeCount } "
        "issues(first: 10) { nodes { name events(first: 5) { nodes { description } } } } }"
    )

    data = await api.data(query)

    # 3 + 1 + 10 x (1 + 1 + 1 + 5 x 2); 10 issues and 5 events for each
    assert data == {"rateLimit": {"cost": 134, "nodeCount": 60}}
