"""`updateIssue` answered without the executor gives the answer the executor gives, writes the
same rows, and refuses alike (changing nothing): each document runs on an app that answers
compiled and on one that does not, over one database, on twin issues."""

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
from .test_compiled_writes import ISSUE_FIELDS, _both

UPDATES = [
    "mutation ($input: UpdateIssueInput!) { updateIssue(input: $input) {"
    f" issue {{ {ISSUE_FIELDS} }} errors {{ field message code }} __typename }} }}",
    "mutation U($input: UpdateIssueInput!) { u: updateIssue(input: $input) {"
    " i: issue { n: name s: severity t: tags } } }",
]
VARYING = re.compile(r'"(id|databaseId|guid|createdAt|updatedAt)":("[^"]*"|\d+)')


@pytest.fixture
async def apps(aiohttp_client: AiohttpClient, database: None, settings: Settings) -> TwoApps:
    return await two_apps(aiohttp_client, settings)


async def _twins(owner: Person, company: Company) -> tuple[Issue, Issue]:
    category = await make_category(owner, company)
    return (
        await make_issue(owner, category, name="Jam", tags=["printer"]),
        await make_issue(owner, category, name="Jam", tags=["printer"]),
    )


async def _updated_both(
    apps: TwoApps, document: str, issues: tuple[Issue, Issue], given: dict[str, Any], as_: Person
) -> list[Any]:
    """Each app's answer and the rows its change added: the compiled app changes the first
    issue, the executor the second."""
    outcomes = []
    for client, issue in zip((apps.compiled, apps.executed), issues, strict=True):
        before = await marks()
        body = {"query": document, "variables": {"input": {"id": gid("Issue", issue), **given}}}
        response = await client.post("/graphql", json=body, headers=as_.headers)
        text = VARYING.sub(r'"\1":"<varies>"', await response.text())
        rows = await added_since(before)
        kinds = {name: [row["kind"] for row in found] for name, found in rows.items()}
        descriptions = [row["description"] for row in rows["events"]]
        outcomes.append((response.status, json.loads(text), kinds, descriptions))
    return outcomes


@pytest.mark.parametrize("document", UPDATES)
async def test_a_change_is_answered_and_written_as_the_executor_does(
    apps: TwoApps, owner: Person, member: Person, company: Company, document: str
) -> None:
    issues = await _twins(owner, company)
    given = {
        "name": "Paper jam",
        "description": "Tray 2, ünïcode.",
        "severity": "CRITICAL",
        "tags": ["Printer", "floor-2"],
    }
    written = apps.compiled_reads.counts["written"]

    compiled, executed = await _updated_both(apps, document, issues, given, member)

    assert compiled == executed
    assert compiled[2]["events"] == ["updated"]
    assert compiled[2]["live"] == ["updated"]
    assert apps.compiled_reads.counts["written"] == written + 1


@pytest.mark.parametrize(
    ("who", "issue_id", "given"),
    [
        ("owner", "issue", {"name": "  "}),
        ("owner", "issue", {"severity": "HUGE"}),
        ("owner", "issue", {"categoryIds": ["Q2F0ZWdvcnk6OTk5OTk5"]}),
        ("owner", "issue", {"ownerId": "VXNlcjo5OTk5OTk="}),
        ("owner", "issue", {"webhookUrl": "http://127.0.0.1/hook"}),
        ("outsider", "issue", {"name": "Mine"}),
        ("anonymous", "issue", {"name": "Mine"}),
        ("owner", "SXNzdWU6OTk5OTk5", {"name": "Mine"}),
        ("owner", "not an id", {"name": "Mine"}),
        ("owner", "closed", {"name": "Again"}),
    ],
)
async def test_a_refused_change_is_refused_alike_and_changes_nothing(
    apps: TwoApps,
    owner: Person,
    outsider: Person,
    anonymous: Person,
    company: Company,
    who: str,
    issue_id: str,
    given: dict[str, Any],
) -> None:
    issue = await make_issue(owner, await make_category(owner, company))
    if issue_id == "closed":
        await close_issue(owner.scope, issue.id, "Done.")
    given_id = gid("Issue", issue) if issue_id in ("issue", "closed") else issue_id
    person = {"owner": owner, "outsider": outsider, "anonymous": anonymous}[who]

    compiled, executed = await _both(apps, UPDATES[0], {"input": {"id": given_id, **given}}, person)

    assert compiled == executed
    assert compiled[2] == {"events": [], "live": [], "outbox": []}


@settings(
    max_examples=15,
    derandomize=True,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)
@given(
    name=st.none() | st.text(max_size=20),
    description=st.none() | st.text(max_size=20),
    tags=st.none() | st.lists(st.text(max_size=6), max_size=3),
    document=st.sampled_from(UPDATES),
)
async def test_generated_changes_are_answered_alike(
    apps: TwoApps,
    owner: Person,
    company: Company,
    name: str | None,
    description: str | None,
    tags: list[str] | None,
    document: str,
) -> None:
    issues = await _twins(owner, company)
    given: dict[str, Any] = {"name": name, "description": description, "tags": tags}
    given = {key: value for key, value in given.items() if value is not None}
    compiled, executed = await _updated_both(apps, document, issues, given, owner)
    assert compiled == executed


DELETIONS = [
    "mutation ($input: DeleteIssueInput!) { deleteIssue(input: $input) {"
    f" issue {{ {ISSUE_FIELDS} deletedAt viewerCanUpdate }} errors {{ field message code }}"
    " __typename } }",
    "mutation ($input: DeleteIssueInput!) { d: deleteIssue(input: $input) {"
    " i: issue { n: name } } }",
]


@pytest.mark.parametrize("document", DELETIONS)
async def test_a_deletion_is_answered_and_written_as_the_executor_does(
    apps: TwoApps, owner: Person, member: Person, company: Company, document: str
) -> None:
    issues = await _twins(owner, company)
    written = apps.compiled_reads.counts["written"]

    compiled, executed = await _updated_both(apps, document, issues, {}, member)

    assert compiled == executed
    assert compiled[2]["live"] == ["deleted"]
    assert apps.compiled_reads.counts["written"] == written + 1


@pytest.mark.parametrize("who", ["outsider", "anonymous", "closed"])
async def test_a_refused_deletion_is_refused_alike_and_changes_nothing(
    apps: TwoApps, owner: Person, outsider: Person, anonymous: Person, company: Company, who: str
) -> None:
    issue = await make_issue(owner, await make_category(owner, company))
    if who == "closed":
        await close_issue(owner.scope, issue.id, "Done.")
    person = {"outsider": outsider, "anonymous": anonymous, "closed": owner}[who]

    compiled, executed = await _both(
        apps, DELETIONS[0], {"input": {"id": gid("Issue", issue)}}, person
    )

    assert compiled == executed
    assert compiled[2] == {"events": [], "live": [], "outbox": []}
