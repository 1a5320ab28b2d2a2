"""Closing an issue. On PostgreSQL one statement checks the actor may (the issue visible, open,
theirs to manage), closes it with its closing note and writes everything `notify.issue_changed`
writes for `issue_closed` (see `one_statement`); on SQLite, for a company-limited token, and
whenever that statement writes nothing (the ORM's path then says why), the ORM closes it, in
one transaction."""

from functools import cache
from typing import cast

from tortoise import timezone
from tortoise.transactions import in_transaction

from ...logs import current_request_id
from ...models import EventKind, Issue, IssueStatus
from ...sqljson.statements import current_dialect, fetch_row
from ..core.actor import require_user
from ..core.ids import is_row_id
from ..core.permissions import may_change_issue_sql
from ..core.scope import Scope
from . import notify
from .after_commit import settle
from .managed import managed_open_issue, record
from .notes import required_description, valid_description
from .one_statement import COMPANIES, Params, consequences

_PARAMS = Params(now=4, written_at=5, request_id=6, timestamp=7)


@cache
def _columns() -> tuple[str, ...]:
    """The issue's columns, in the order the statement returns them (known once the models are
    set up: foreign keys' columns are added then)."""
    return tuple(Issue._meta.fields_db_projection.values())


@cache
def _close_sql() -> str:
    target = (
        "SELECT i.* FROM issues AS i WHERE i.id = $1"
        f" AND i.status = '{IssueStatus.OPEN.value}'"
        f" AND {may_change_issue_sql('i', '$3')}"
        " FOR UPDATE OF i"
    )
    shown = ", ".join(f"ok.{column}" for column in _columns())
    return (
        f"WITH t AS ({target}),"
        " e AS (INSERT INTO issue_events (issue_id, kind, description, author_id, created_at,"
        f" updated_at) SELECT t.id, '{EventKind.CLOSED.value}', $2, $3, $5, $5 FROM t"
        " RETURNING id, kind, description),"
        f" ok AS (UPDATE issues AS u SET status = '{IssueStatus.CLOSED.value}', closed_at = $4,"
        " conclusion = $2, messages_updated_at = $4, updated_at = $5"
        " FROM t WHERE u.id = t.id RETURNING u.*),"
        " cats AS (SELECT category_id FROM issue_categories WHERE issue_id IN (SELECT id FROM t)),"
        + consequences("issue_closed", "closed", of_issue=True, params=_PARAMS)
        + f" SELECT {COMPANIES}, {shown} FROM ok"
    )


async def close_issue(scope: Scope, issue_id: int, description: str | None) -> Issue:
    user = require_user(scope.actor)
    text = valid_description(description)
    # A company-limited token's narrower rights are the ORM path's (see notes.add_issue_event).
    unrestricted = scope.actor.companies is None
    if text is not None and unrestricted and current_dialect().is_postgres and is_row_id(issue_id):
        parameters = [
            issue_id,
            text,
            user.id,
            scope.now,
            timezone.now(),
            current_request_id.get(),
            scope.now.isoformat(),
        ]
        row = await fetch_row(_close_sql(), parameters)
        if row is not None:
            await settle(scope.now, cast(list[int] | None, row[0]))
            return Issue._init_from_db(**dict(zip(_columns(), row[1:], strict=True)))
    return await close_issue_by_orm(scope, issue_id, description)


async def close_issue_by_orm(scope: Scope, issue_id: int, description: str | None) -> Issue:
    """The ORM's path: the reference the one statement is held to, and SQLite's."""
    issue = await managed_open_issue(scope, issue_id)
    text = required_description(description)
    async with in_transaction():
        return await close_in_transaction(scope, issue, text)


async def close_in_transaction(scope: Scope, issue: Issue, conclusion: str) -> Issue:
    """Inside the caller's transaction. An empty conclusion closes without a closing note."""
    issue.status = IssueStatus.CLOSED
    issue.closed_at = scope.now
    issue.conclusion = conclusion or None  # type: ignore[assignment]
    event = None
    if conclusion:
        event = await record(scope, issue, EventKind.CLOSED, conclusion)
        issue.messages_updated_at = scope.now
    await issue.save()
    await notify.issue_changed(scope.now, issue, "issue_closed", event)
    return issue
