"""Fuzzing /graphql with schemathesis: queries and mutations made from the schema the server
introspects (valid ones, and ones with arguments it forbids), sent over real HTTP as a signed-in
owner, and each answer checked: no 5xx, a GraphQL response, no INTERNAL_SERVER_ERROR, and no
null where the schema promises a value."""

import time
from typing import Any

import pytest
import requests
import schemathesis
from aiohttp.test_utils import TestClient
from graphql import get_introspection_query
from hypothesis import strategies as st
from schemathesis import Case, GenerationMode
from schemathesis.core.result import Ok
from schemathesis.specs.graphql import nodes

from issuetracker.models import Company

from ..openapi_fuzzing import (
    BUDGET_SECONDS,
    EXAMPLES,
    FuzzReport,
    base_url,
    in_its_own_thread,
    no_name_lookups,
    run_examples,
)
from ..support import Person, make_category, make_issue

pytestmark = pytest.mark.fuzz

# An upload only travels in a multipart request: in a plain one it can only be null.
schemathesis.graphql.scalar("Upload", st.just(nodes.Null))

BROKEN_PROMISE = "Cannot return null for non-nullable field"


async def test_the_graphql_schema_holds_under_fuzzing(
    client: TestClient,
    owner: Person,
    company: Company,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # given a company with a category and issues, and the token of their owner
    no_name_lookups(monkeypatch)
    category = await make_category(owner, company)
    await make_issue(owner, category, tags=["printer"])
    await make_issue(owner, category)
    introspection = await client.post(
        "/graphql", json={"query": get_introspection_query()}, headers=owner.headers
    )
    schema = (await introspection.json())["data"]

    # when schemathesis sends every root field, with arguments valid and not
    url = f"{base_url(client)}/graphql"
    report = await in_its_own_thread(lambda: fuzz_graphql(schema, url, owner.headers))

    # then no answer is a server error or breaks the schema
    print(report.summary())
    assert report.requests >= report.runs > 0
    assert report.server_errors == 0
    assert report.failures == [], "\n\n".join(report.failures[:5])


def fuzz_graphql(schema: dict[str, Any], url: str, headers: dict[str, str]) -> FuzzReport:
    operations = []
    for result in schemathesis.graphql.from_dict(schema).get_all_operations():
        assert isinstance(result, Ok), f"a root field schemathesis cannot read: {result}"
        operations.append(result.ok())
    # Signing out ends the token every request carries: it goes last.
    operations.sort(key=lambda operation: operation.label == "Mutation.logout")
    report = FuzzReport("GraphQL")
    started = time.monotonic()
    with requests.Session() as session:
        for number, operation in enumerate(operations, start=1):
            deadline = started + BUDGET_SECONDS * number / len(operations)
            for mode in (GenerationMode.POSITIVE, GenerationMode.NEGATIVE):
                strategy = operation.as_strategy(generation_mode=mode)
                report.runs += 1
                run_examples(
                    strategy,
                    lambda case: _send(case, session, url, headers, report),
                    EXAMPLES // 2,
                    deadline,
                )
    report.seconds = time.monotonic() - started
    return report


def _send(
    case: Case, session: requests.Session, url: str, headers: dict[str, str], report: FuzzReport
) -> None:
    query = str(case.body)
    response = session.post(url, json={"query": query}, headers=headers, timeout=30)
    report.requests += 1
    report.by_status[response.status_code] = report.by_status.get(response.status_code, 0) + 1
    if response.status_code >= 500:
        report.server_errors += 1
    problem = _problem(response)
    if problem:
        report.failures.append(f"{query}\n→ {response.status_code} {problem}")


def _problem(response: requests.Response) -> str | None:
    try:
        body = response.json()
    except ValueError:
        return "the answer is not JSON"
    if not isinstance(body, dict) or not ({"data", "errors"} & body.keys()):
        return "the answer is not a GraphQL response"
    for error in body.get("errors", []):
        if error.get("extensions", {}).get("code") == "INTERNAL_SERVER_ERROR":
            return f"an internal error: {error['message']}"
        if BROKEN_PROMISE in error["message"]:
            return f"a broken promise: {error['message']}"
    return None
