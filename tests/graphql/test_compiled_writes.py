"""The hot mutations answered without the executor give the answers the executor gives, write
the same rows, and refuse alike (changing nothing): each document runs on an app that answers
compiled and on one that does not, over one database."""

import json
import re
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from pytest_aiohttp import AiohttpClient

from issuetracker.models import Company, Issue
from issuetracker.resolvers.issues.writes import close_issue
from issuetracker.settings import Settings

from ..logic.write_rows import added_since, marks
from ..support import Person, gid, make_category, make_issue
from .differential import TwoApps, two_apps

EVENT_FIELDS = "id databaseId kind description createdAt __typename author { name email guid }"
NOTES = [
    f"mutation ($input: AddIssueEventInput!) {{ addIssueEvent(input: $input) {{ event {{ "
    f"{EVENT_FIELDS} }} errors {{ field message code }} __typename }} }}",
    "mutation N($input: AddIssueEventInput!) { a: addIssueEvent(input: $input) {"
    " e: event { d: description k: kind } } }",
    "mutation ($input: AddIssueEventInput!) { addIssueEvent(input: $input) {"
    " ... on IssueEventPayload { event { ...F } } errors { code } } }"
    " fragment F on IssueEvent { description author { name } }",
    "mutation ($input: AddIssueEventInput!) { addIssueEvent(input: $input) { __typename } }",
]
VARYING = re.compile(r'"(id|databaseId|createdAt|d|guid)":("[^"]*"|\d+)')


@pytest.fixture
async def apps(aiohttp_client: AiohttpClient, database: None, settings: Settings) -> TwoApps:
    return await two_apps(aiohttp_client, settings)


def _plain(text: str) -> Any:
    return json.loads(VARYING.sub(r'"\1":"<varies>"', text))


async def _both(
    apps: TwoApps, document: str, variables: dict[str, Any], as_: Person | None
) -> tuple[Any, Any]:
    """Each app's answer and the rows its write added, compiled first."""
    outcomes = []
    for client in (apps.compiled, apps.executed):
        before = await marks()
        body = {"query": document, "variables": variables}
        response = await client.post("/graphql", json=body, headers=as_.headers if as_ else {})
        outcomes.append((response.status, _plain(await response.text()), await added_since(before)))
    return outcomes[0], outcomes[1]


async def _issue(owner: Person, company: Company) -> Issue:
    return await make_issue(owner, await make_category(owner, company))


@pytest.mark.parametrize("document", NOTES)
async def test_a_note_is_answered_and_written_as_the_executor_does(
    apps: TwoApps, owner: Person, member: Person, company: Company, document: str
) -> None:
    issue = await _issue(owner, company)
    variables = {"input": {"issueId": gid("Issue", issue), "description": "Cable ordered."}}
    written = apps.compiled_reads.counts["written"]

    compiled, executed = await _both(apps, document, variables, member)

    assert compiled == executed
    assert compiled[0] == 200
    assert len(compiled[2]["events"]) == 1
    assert apps.compiled_reads.counts["written"] == written + 1


@pytest.mark.parametrize(
    ("who", "issue_id", "description"),
    [
        ("owner", "issue", "  "),
        ("owner", "issue", "x" * 70_000),
        ("outsider", "issue", "Hello"),
        ("anonymous", "issue", "Hello"),
        ("owner", "Q2F0ZWdvcnk6MQ", "Hello"),
        ("owner", "not an id", "Hello"),
        ("owner", "SXNzdWU6OTk5OTk5", "Hello"),
        ("owner", "closed", "Hello"),
    ],
)
async def test_a_refused_note_is_refused_alike_and_changes_nothing(
    apps: TwoApps,
    owner: Person,
    outsider: Person,
    anonymous: Person,
    company: Company,
    who: str,
    issue_id: str,
    description: str,
) -> None:
    issue = await _issue(owner, company)
    if issue_id == "closed":
        await close_issue(owner.scope, issue.id, "Done.")
    given_id = gid("Issue", issue) if issue_id in ("issue", "closed") else issue_id
    person = {"owner": owner, "outsider": outsider, "anonymous": anonymous}[who]
    variables = {"input": {"issueId": given_id, "description": description}}

    compiled, executed = await _both(apps, NOTES[0], variables, person)

    assert compiled == executed
    assert compiled[2] == {"events": [], "live": [], "outbox": []}


@settings(
    max_examples=20,
    derandomize=True,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)
@given(description=st.text(max_size=30), document=st.sampled_from(NOTES))
async def test_generated_notes_are_answered_alike(
    apps: TwoApps, owner: Person, company: Company, description: str, document: str
) -> None:
    issue = await _issue(owner, company)
    variables = {"input": {"issueId": gid("Issue", issue), "description": description}}
    compiled, executed = await _both(apps, document, variables, owner)
    assert compiled == executed


ISSUE_FIELDS = (
    "id databaseId guid name description severity status conclusion createdAt updatedAt"
    " __typename tags owner { name } participants { name } subscriberCount"
    " categories { totalCount nodes { name company { name } } }"
    " events { nodes { kind description author { name } } }"
)
CREATIONS = [
    "mutation ($input: CreateIssueInput!) { createIssue(input: $input) {"
    f" issue {{ {ISSUE_FIELDS} }} errors {{ field message code }} __typename }} }}",
    "mutation ($input: CreateIssueInput!) { c: createIssue(input: $input) {"
    " i: issue { n: name s: severity } } }",
]
VARYING_ISSUE = re.compile(r'"(id|databaseId|guid|createdAt|updatedAt)":("[^"]*"|\d+)')


async def _created_both(
    apps: TwoApps, document: str, given: dict[str, Any], as_: Person | None
) -> tuple[Any, Any]:
    outcomes = []
    for client in (apps.compiled, apps.executed):
        before = await marks()
        body = {"query": document, "variables": {"input": given}}
        response = await client.post("/graphql", json=body, headers=as_.headers if as_ else {})
        text = VARYING_ISSUE.sub(r'"\1":"<varies>"', await response.text())
        outcomes.append((response.status, json.loads(text), await added_since(before)))
    return outcomes[0], outcomes[1]


@pytest.mark.parametrize("document", CREATIONS)
async def test_an_issue_is_created_and_answered_as_the_executor_does(
    apps: TwoApps, owner: Person, member: Person, company: Company, document: str
) -> None:
    network = await make_category(owner, company, "Network")
    printers = await make_category(owner, company, "Printers")
    given = {
        "name": "Router down",
        "description": "Since noon.",
        "severity": "CRITICAL",
        "categoryIds": [gid("Category", printers), gid("Category", network)],
    }
    written = apps.compiled_reads.counts["written"]

    compiled, executed = await _created_both(apps, document, given, member)

    assert compiled == executed
    assert len(compiled[2]["events"]) == 1
    assert apps.compiled_reads.counts["written"] == written + 1


@pytest.mark.parametrize(
    "case",
    ["hidden category", "not a member", "blank name", "no categories", "tags", "bad severity"],
)
async def test_a_refused_or_unusual_creation_is_answered_alike(
    apps: TwoApps,
    owner: Person,
    outsider: Person,
    company: Company,
    private_company: Company,
    case: str,
) -> None:
    mine = gid("Category", await make_category(owner, company))
    hidden = gid("Category", await make_category(owner, private_company))
    given: dict[str, Any] = {"name": "Printer jam", "categoryIds": [mine]}
    person = owner
    if case == "hidden category":
        given["categoryIds"], person = [hidden], outsider
    elif case == "not a member":
        person = outsider
    elif case == "blank name":
        given["name"] = " "
    elif case == "no categories":
        given["categoryIds"] = []
    elif case == "tags":
        given["tags"] = ["printer"]
    else:
        given["severity"] = "HUGE"

    compiled, executed = await _created_both(apps, CREATIONS[0], given, person)

    assert compiled == executed


CLOSINGS = [
    "mutation ($input: CloseIssueInput!) { closeIssue(input: $input) {"
    f" issue {{ {ISSUE_FIELDS} closedAt }} errors {{ field message code }} __typename }} }}",
    "mutation ($input: CloseIssueInput!) { c: closeIssue(input: $input) {"
    " i: issue { s: status c: conclusion } } }",
]
VARYING_CLOSED = re.compile(r'"(id|databaseId|guid|createdAt|updatedAt|closedAt)":("[^"]*"|\d+)')


async def _closed_both(
    apps: TwoApps, document: str, issues: tuple[Issue, Issue], description: str, as_: Person
) -> list[Any]:
    """Each app's answer and the kinds of rows its closing added: the compiled app closes the
    first issue, the executor the second (closing is for good)."""
    outcomes = []
    for client, issue in zip((apps.compiled, apps.executed), issues, strict=True):
        before = await marks()
        given = {"id": gid("Issue", issue), "description": description}
        body = {"query": document, "variables": {"input": given}}
        response = await client.post("/graphql", json=body, headers=as_.headers)
        text = VARYING_CLOSED.sub(r'"\1":"<varies>"', await response.text())
        rows = await added_since(before)
        kinds = {name: [row["kind"] for row in found] for name, found in rows.items()}
        outcomes.append((response.status, json.loads(text), kinds))
    return outcomes


@pytest.mark.parametrize("document", CLOSINGS)
async def test_closing_is_answered_and_written_as_the_executor_does(
    apps: TwoApps, owner: Person, member: Person, company: Company, document: str
) -> None:
    category = await make_category(owner, company)
    issues = (
        await make_issue(owner, category, name="Jam", tags=["printer"]),
        await make_issue(owner, category, name="Jam", tags=["printer"]),
    )
    written = apps.compiled_reads.counts["written"]

    compiled, executed = await _closed_both(apps, document, issues, "Cleared.", member)

    assert compiled == executed
    assert compiled[2]["events"] == compiled[2]["live"] == ["closed"]
    assert apps.compiled_reads.counts["written"] == written + 1


@pytest.mark.parametrize(
    ("who", "issue_id", "description"),
    [
        ("owner", "issue", "  "),
        ("outsider", "issue", "Done"),
        ("anonymous", "issue", "Done"),
        ("owner", "SXNzdWU6OTk5OTk5", "Done"),
        ("owner", "not an id", "Done"),
        ("owner", "closed", "Again"),
    ],
)
async def test_a_refused_closing_is_refused_alike_and_changes_nothing(
    apps: TwoApps,
    owner: Person,
    outsider: Person,
    anonymous: Person,
    company: Company,
    who: str,
    issue_id: str,
    description: str,
) -> None:
    issue = await _issue(owner, company)
    if issue_id == "closed":
        await close_issue(owner.scope, issue.id, "Done.")
    given_id = gid("Issue", issue) if issue_id in ("issue", "closed") else issue_id
    person = {"owner": owner, "outsider": outsider, "anonymous": anonymous}[who]
    variables = {"input": {"id": given_id, "description": description}}

    compiled, executed = await _both(apps, CLOSINGS[0], variables, person)

    assert compiled == executed
    assert compiled[2] == {"events": [], "live": [], "outbox": []}
