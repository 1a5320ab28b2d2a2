"""Deleting an issue (softly) by one PostgreSQL statement: the checks (visible, open, the
actor's to manage), the deletion, its entry in the audit log (`audit.record_deletion`'s rules:
the company of its first category's log, or its owner's own) and the live change; the status
stamps and the NOTIFY follow the commit (`after_commit`). A company-limited token and SQLite
are the ORM's path's, and so is any refusal: the statement then writes nothing, and the ORM's
path says why."""

from functools import cache
from typing import cast
from uuid import UUID

from tortoise import timezone

from ...models import AuditAction, ChangeKind, Issue, IssueStatus
from ...sqljson.statements import current_dialect, fetch_row
from ..audit.record import ADDRESS_LENGTH
from ..core.ids import is_row_id
from ..core.permissions import may_change_issue_sql
from ..core.scope import Scope
from .after_commit import settle
from .closing import _columns


@cache
def _delete_sql(by_guid: bool) -> str:
    which = "i.guid = $1::uuid" if by_guid else "i.id = $1"
    target = (
        f"SELECT i.* FROM issues AS i WHERE {which} AND i.status = '{IssueStatus.OPEN.value}'"
        f" AND {may_change_issue_sql('i', '$2')}"
        " FOR UPDATE OF i"
    )
    first_company = (
        "SELECT min(ca.company_id) AS company_id FROM issue_categories AS ic"
        " JOIN categories AS ca ON ca.id = ic.category_id WHERE ic.issue_id IN (SELECT id FROM t)"
    )
    shown = ", ".join(f"ok.{column}" for column in _columns())
    return (
        f"WITH t AS ({target}),"
        " ok AS (UPDATE issues AS u SET deleted_at = $3, updated_at = $4"
        " FROM t WHERE u.id = t.id RETURNING u.*),"
        " l AS (INSERT INTO live_changes (issue_id, kind, event_id, created_at)"
        f" SELECT ok.id, '{ChangeKind.DELETED.value}', NULL, $3 FROM ok),"
        f" co AS ({first_company}),"
        " a AS (INSERT INTO audit_log (action, actor_id, company_id, user_id, subject_type,"
        " subject_id, client_address, changes, created_at)"
        f" SELECT '{AuditAction.ISSUE_DELETED.value}', $2, co.company_id,"
        " CASE WHEN co.company_id IS NULL THEN t.owner_id END, 'Issue', t.id, $5,"
        " jsonb_build_array(jsonb_build_object('field', 'name', 'before', t.name,"
        " 'after', NULL)), $3 FROM t, co)"
        " SELECT (SELECT array_agg(DISTINCT sc.company_id) FROM issue_categories AS sl"
        " JOIN categories AS sc ON sc.id = sl.category_id WHERE sl.issue_id = ok.id),"
        f" {shown} FROM ok"
    )


async def delete_in_one_statement(
    scope: Scope, issue_id: int | None, guid: UUID | None
) -> Issue | None:
    """The issue deleted, or None when the ORM's path must delete it (nothing written)."""
    user_id = scope.actor.user_id
    unrestricted = scope.actor.companies is None
    if not (current_dialect().is_postgres and unrestricted and user_id is not None):
        return None
    if guid is None and (issue_id is None or not is_row_id(issue_id)):
        return None
    which: object = str(guid) if guid is not None else issue_id
    parameters = [which, user_id, scope.now, timezone.now(), scope.client[:ADDRESS_LENGTH]]
    row = await fetch_row(_delete_sql(guid is not None), parameters)
    if row is None:
        return None
    await settle(scope.now, cast(list[int] | None, row[0]))
    return Issue._init_from_db(**dict(zip(_columns(), row[1:], strict=True)))
