"""A PUT of a whole issue, as fetched and edited, writes by one statement on PostgreSQL (when only
its fields change) exactly what the ORM's path writes: the issue's new state, its timeline, live
change, outbox rows and stamps; and refuses alike, writing nothing. Each of two twin issues is
fetched, edited alike and sent back, one through each path. On SQLite both are the ORM's path."""

from typing import Any

import pytest
from aiohttp.test_utils import TestClient

from issuetracker.models import PART_TIMES, Company, Issue
from issuetracker.resolvers.core.errors import DomainError
from issuetracker.resolvers.core.scope import Scope
from issuetracker.resolvers.issues.whole_issue import edit_whole_issue, edit_whole_issue_by_orm
from issuetracker.rest.kinetic.inputs import whole_edit_of

from ..databases import TEST_DATABASE_URL
from ..logic.test_one_statement_closing import SAME_IN_BOTH, _fields, _subscriptions_named, _twin
from ..logic.test_one_statement_writes import _followed_issue
from ..logic.write_rows import added_since, counters, marks
from ..sql_counter import count_sql
from ..support import Person
from .helpers import edit, show

ON_POSTGRES = TEST_DATABASE_URL.startswith("postgres")
PARTS = {
    "action_items": [{"description": "Call the ISP", "due_date": "2027-01-04"}],
    "facts": [{"description": "Floor 2 only"}],
    "invitations": ["guest@example.com"],
}
EDITS: dict[str, dict[str, Any]] = {
    "name": {"name": "Renamed"},
    "description": {"description": "Since noon, ünïcode."},
    "tags": {"tag_list": "printer, Network"},
    "closing": {"status": "Closed", "conclusion": "Cable swapped."},
    "nothing": {},
    "a part": {"facts": [{"description": "Floor 3 too"}]},
}


async def _put(
    write: Any, scope: Scope, issue: Issue, body: dict[str, Any], sent: list[str] | None = None
) -> Any:
    """What the PUT did; `sent` gets the write's statements."""
    before, stamps = await marks(), await counters(issue.id)
    before["issues"] = min(before["issues"], issue.id - 1)
    try:
        with count_sql() as statements:
            changed = await write(scope, issue.guid, whole_edit_of(body))
        (sent if sent is not None else []).extend(statements)
        assert _fields(changed) == _fields(await Issue.get(id=issue.id))
        answer: Any = {k: v for k, v in _fields(changed).items() if k not in SAME_IN_BOTH}
    except DomainError as refused:
        answer = (type(refused).__name__, str(refused), getattr(refused, "errors", None))
    after = await counters(issue.id)
    bumped = [new - old for new, old in zip(after["versions"], stamps["versions"], strict=True)]
    state = {k: v for k, v in after["issue"].items() if k not in SAME_IN_BOTH}
    return answer, await _subscriptions_named(await added_since(before)), bumped, state


async def _fetched(client: TestClient, issue: Issue, owner: Person) -> dict[str, Any]:
    assert (await edit(client, str(issue.guid), owner, **PARTS)).status == 200
    reply = await show(client, str(issue.guid), owner)
    assert reply.status == 200
    return reply.body


@pytest.mark.parametrize("case", list(EDITS))
async def test_a_whole_issue_sent_back_writes_what_the_orm_writes(
    client: TestClient, owner: Person, company: Company, case: str
) -> None:
    # given two issues made alike, with parts, each followed in every way, as fetched
    issue = await _followed_issue(owner, company)
    twin = await _twin(owner, issue)
    bodies = [await _fetched(client, row, owner) for row in (issue, twin)]
    stored = await Issue.get(id=issue.id)
    await Issue.filter(id=twin.id).update(**{name: getattr(stored, name) for name in PART_TIMES})

    # when each is sent back with the same edit, one by each path
    scope = owner.scope
    fast_body, orm_body = ({**body, **EDITS[case]} for body in bodies)
    statements: list[str] = []
    fast = await _put(edit_whole_issue, scope, issue, fast_body, statements)
    orm = await _put(edit_whole_issue_by_orm, scope, twin, orm_body)

    # then both wrote and answered the same; fields alone took the one statement
    assert fast == orm
    assert [row["kind"] for row in fast[1]["live"]] == [
        "closed" if case == "closing" else "updated"
    ]
    if ON_POSTGRES and case != "a part":
        assert len(statements) <= 3, statements


@pytest.mark.parametrize("case", ["outsider", "closed", "unknown part", "bad name"])
async def test_a_refused_put_is_refused_alike_and_changes_nothing(
    client: TestClient, owner: Person, outsider: Person, company: Company, case: str
) -> None:
    issue = await _followed_issue(owner, company)
    body = {**await _fetched(client, issue, owner), "name": "Mine"}
    scope = owner.scope
    if case == "outsider":
        scope = outsider.scope
    elif case == "closed":
        closed = await edit(client, str(issue.guid), owner, status="Closed", conclusion="Done.")
        assert closed.status == 200
    elif case == "unknown part":
        body["facts"] = [{"id": 987_654, "description": "Not here"}]
    else:
        body["name"] = "x" * 300

    fast = await _put(edit_whole_issue, scope, issue, body)
    orm = await _put(edit_whole_issue_by_orm, scope, issue, body)

    assert fast == orm
    assert fast[0][0] in {"NotFound", "Forbidden", "IssueClosed", "ValidationFailed"}
    assert fast[1] == {"events": [], "live": [], "outbox": []}
