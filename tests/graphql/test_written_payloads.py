"""A hot mutation whose payload asks only for the written row's own columns is answered from
the values the write returned, without reading the row back: the answer is the executor's
(rows and errors alike), and each column is written byte for byte as a read of the row shows
it, on each app (the compiled read's SQL, the executor's serialization)."""

import json
import re
from collections.abc import Callable
from typing import Any

import pytest
from aiohttp.test_utils import TestClient
from pytest_aiohttp import AiohttpClient

from issuetracker.models import Category, Company, Issue
from issuetracker.settings import Settings

from ..logic.write_rows import added_since, marks
from ..support import Person, gid, make_category, make_issue
from .differential import TwoApps, two_apps

EVENT_OWN = "id databaseId kind description createdAt __typename"
ISSUE_OWN = (
    "id databaseId guid name description severity status conclusion closedAt deletedAt"
    " createdAt updatedAt __typename"
)
TEXT = 'Tray "2"\nünïcode\t\\ end'
Given = Callable[[Issue, Category], dict[str, Any]]
"""The input of a write on the issue (in the category)."""

WRITES: dict[str, tuple[str, Given, str]] = {
    "note": (
        "mutation ($input: AddIssueEventInput!) { addIssueEvent(input: $input) {"
        f" __typename errors {{ code }} e: event {{ {EVENT_OWN} }} }} }}",
        lambda issue, _: {"issueId": gid("Issue", issue), "description": TEXT},
        "IssueEvent",
    ),
    "creation": (
        "mutation ($input: CreateIssueInput!) { createIssue(input: $input) {"
        f" issue {{ {ISSUE_OWN} }} errors {{ field message code }} }} }}",
        lambda _, category: {
            "name": TEXT,
            "description": TEXT,
            "categoryIds": [gid("Category", category)],
        },
        "Issue",
    ),
    "closing": (
        "mutation ($input: CloseIssueInput!) { closeIssue(input: $input) {"
        f" issue {{ {ISSUE_OWN} }} __typename }} }}",
        lambda issue, _: {"id": gid("Issue", issue), "description": TEXT},
        "Issue",
    ),
    "change": (
        "mutation ($input: UpdateIssueInput!) { updateIssue(input: $input) {"
        f" issue {{ {ISSUE_OWN} }} errors {{ code }} }} }}",
        lambda issue, _: {"id": gid("Issue", issue), "name": TEXT, "severity": "CRITICAL"},
        "Issue",
    ),
    "deletion": (
        "mutation ($input: DeleteIssueInput!) { deleteIssue(input: $input) {"
        f" issue {{ {ISSUE_OWN} }} }} }}",
        lambda issue, _: {"id": gid("Issue", issue)},
        "Issue",
    ),
}
VARYING = re.compile(r'"(id|databaseId|guid|createdAt|updatedAt|closedAt|deletedAt)":("[^"]*"|\d+)')
OBJECT = re.compile(r'"(?:e|issue)":(\{[^{}]*\})')
READ = "query ($id: ID!) {{ node(id: $id) {{ ... on {type} {{ {fields} }} }} }}"


@pytest.fixture
async def apps(aiohttp_client: AiohttpClient, database: None, settings: Settings) -> TwoApps:
    return await two_apps(aiohttp_client, settings)


async def _issue(owner: Person, company: Company) -> tuple[Issue, Category]:
    category = await make_category(owner, company)
    return await make_issue(owner, category, name="Jam"), category


async def _read(client: TestClient, type_name: str, object_id: str, as_: Person) -> str:
    """The object's own columns as a read shows them (None when the read sees it no more)."""
    fields = EVENT_OWN if type_name == "IssueEvent" else ISSUE_OWN
    query = READ.format(type=type_name, fields=fields)
    body = {"query": query, "variables": {"id": object_id}}
    response = await client.post("/graphql", json=body, headers=as_.headers)
    text = await response.text()
    found = re.match(r'\{"data":\{"node":(\{[^{}]*\})\}', text)
    assert found is not None, text
    return found.group(1)


@pytest.mark.parametrize("write", list(WRITES))
async def test_a_payload_of_own_columns_is_the_executors_and_the_rows_read(
    apps: TwoApps, owner: Person, member: Person, company: Company, write: str
) -> None:
    document, given, type_name = WRITES[write]
    issues = (await _issue(owner, company), await _issue(owner, company))
    written = apps.compiled_reads.counts["written"]
    outcomes = []
    for client, issue in zip((apps.compiled, apps.executed), issues, strict=True):
        before_read = await _read(client, "Issue", gid("Issue", issue[0]), member)
        before = await marks()
        body = {"query": document, "variables": {"input": given(*issue)}}
        response = await client.post("/graphql", json=body, headers=member.headers)
        text = await response.text()
        shown = OBJECT.search(text)
        assert shown is not None, text
        object_id = json.loads(shown.group(1))["id"]
        if write == "deletion":  # a deleted issue is seen no more: as it was, but the times
            expected = re.sub(r',"(deletedAt|updatedAt)":("[^"]*"|null)', "", before_read)
            assert re.sub(r',"(deletedAt|updatedAt)":"[^"]*"', "", shown.group(1)) == expected
        else:
            assert shown.group(1) == await _read(client, type_name, object_id, member)
        rows = await added_since(before)
        kinds = {name: [row["kind"] for row in found] for name, found in rows.items()}
        outcomes.append((response.status, json.loads(VARYING.sub(r'"\1":"<v>"', text)), kinds))

    assert outcomes[0] == outcomes[1]
    assert apps.compiled_reads.counts["written"] == written + 1


@pytest.mark.parametrize("write", list(WRITES))
async def test_a_refused_write_of_own_columns_is_refused_alike(
    apps: TwoApps, owner: Person, outsider: Person, company: Company, write: str
) -> None:
    document, given, _ = WRITES[write]
    issue = await _issue(owner, company)
    outcomes: list[Any] = []
    for client in (apps.compiled, apps.executed):
        before = await marks()
        body = {"query": document, "variables": {"input": given(*issue)}}
        response = await client.post("/graphql", json=body, headers=outsider.headers)
        outcomes.append((response.status, await response.text(), await added_since(before)))

    assert outcomes[0] == outcomes[1]
    assert outcomes[0][2] == {"events": [], "live": [], "outbox": []}
