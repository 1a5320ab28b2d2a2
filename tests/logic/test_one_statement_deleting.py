"""Deleting an issue by one statement (on PostgreSQL) writes exactly what the ORM's path
writes: the deletion, its audit entry, the live change and the stamps; and refuses alike,
writing nothing. On SQLite both are the ORM's path, and the test holds all the same."""

from typing import Any

import pytest

from issuetracker.models import PART_TIMES, AuditEntry, Company, Issue
from issuetracker.resolvers.core.errors import DomainError
from issuetracker.resolvers.core.scope import Scope
from issuetracker.resolvers.issues.writes import close_issue, delete_issue, delete_issue_by_orm

from ..support import Person, make_category, make_issue
from .test_one_statement_closing import SAME_IN_BOTH, _fields
from .write_rows import added_since, counters, marks


async def _deleted(write: Any, scope: Scope, issue_id: int) -> Any:
    """What deleting did: the answer, the rows and audit entries added, the companies bumped."""
    before, stamps = await marks(), await counters(issue_id)
    before["issues"] = min(before["issues"], issue_id - 1)
    audited = await AuditEntry.all().count()
    try:
        issue = await write(scope, issue_id)
        assert _fields(issue) == _fields(await Issue.get(id=issue.id))
        answer: Any = {k: v for k, v in _fields(issue).items() if k not in SAME_IN_BOTH}
    except DomainError as refused:
        answer = (type(refused).__name__, str(refused), getattr(refused, "errors", None))
    after = await counters(issue_id)
    bumped = [new - old for new, old in zip(after["versions"], stamps["versions"], strict=True)]
    entries = await AuditEntry.all().order_by("id").offset(audited).values()
    kept = [{k: v for k, v in row.items() if k not in {"id", "subject_id"}} for row in entries]
    return answer, await added_since(before), bumped, kept


@pytest.mark.parametrize("case", ["in categories", "without categories", "outsider", "closed"])
async def test_deleting_writes_what_the_orm_writes(
    owner: Person, outsider: Person, company: Company, case: str
) -> None:
    # given two issues made alike
    category = [] if case == "without categories" else [await make_category(owner, company)]
    issue, twin = [await make_issue(owner, *category, name="Twin") for _ in range(2)]
    for part in PART_TIMES:
        setattr(twin, part, getattr(issue, part))
    await twin.save(update_fields=list(PART_TIMES))
    if case == "closed":
        for closed in (issue, twin):
            await close_issue(owner.scope, closed.id, "Done.")
    scope = (outsider if case == "outsider" else owner).scope

    # when one is deleted by the one statement, the other by the ORM
    fast = await _deleted(delete_issue, scope, issue.id)
    orm = await _deleted(delete_issue_by_orm, scope, twin.id)

    # then both answered, wrote, logged and renewed the same
    assert fast == orm
    if case in ("outsider", "closed"):
        assert fast[0][0] in {"Forbidden", "IssueClosed"}
        assert fast[1] == {"events": [], "live": [], "outbox": []}
        assert fast[3] == []
    else:
        assert [row["kind"] for row in fast[1]["live"]] == ["deleted"]
        assert len(fast[3]) == 1
