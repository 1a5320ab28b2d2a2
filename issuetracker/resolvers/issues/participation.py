"""Inviting someone to an issue and removing a participant, each by one PostgreSQL statement
with its checks (the issue visible, open and the actor's to manage; the invitee not yet taking
part nor invited; the participant not the owner and taking part) and everything it writes: the
invitation, its e-mail's outbox row and the issue's involvement time; or the removal and that
time. Neither makes a live change (as the ORM's path makes none). A company-limited token,
SQLite, input the ORM's path would refuse, and any refusal (the statement then writes nothing)
are the ORM's path's, which says why; so is asking again for a pending invitation (answered
as it is)."""

from functools import cache

from tortoise import timezone

from ...logs import current_request_id
from ...models import Invitation, Issue, IssueStatus
from ...sqljson.statements import current_dialect, fetch_row
from ..core.ids import is_row_id
from ..core.permissions import may_change_issue_sql
from ..core.scope import Scope
from ..core.validation import Collector
from .closing import _columns
from .one_statement import KEY, OUTBOX_COLUMNS


def _target(extra: str) -> str:
    """The issue $1 the actor $2 may change, under `extra`, locked."""
    return (
        f"SELECT i.* FROM issues AS i WHERE i.id = $1 AND i.status = '{IssueStatus.OPEN.value}'"
        f" AND {may_change_issue_sql('i', '$2')}"
        f" AND {extra} FOR UPDATE OF i"
    )


@cache
def _invitation_columns() -> tuple[str, ...]:
    return tuple(Invitation._meta.fields_db_projection.values())


@cache
def _invite_sql() -> str:
    """$3 the address, $4 the request's time, $5 the wall clock, $6 the request id, $7 the
    inviter's name."""
    fresh = (
        "NOT EXISTS (SELECT 1 FROM issue_participants AS ip JOIN users AS iu ON iu.id = ip.user_id"
        " WHERE ip.issue_id = i.id AND iu.email = $3)"
        " AND NOT EXISTS (SELECT 1 FROM issue_invitations AS ii"
        " WHERE ii.issue_id = i.id AND ii.email = $3)"
    )
    shown = ", ".join(f"n.{column}" for column in _invitation_columns())
    return (
        f"WITH t AS ({_target(fresh)}),"
        " n AS (INSERT INTO issue_invitations (issue_id, email, invited_by_id, created_at,"
        " updated_at) SELECT t.id, $3, $2, $5, $5 FROM t RETURNING *),"
        f" m AS (INSERT INTO outbox_messages ({OUTBOX_COLUMNS})"
        " SELECT 'email', $3, '', 'issue_invitation', jsonb_build_object('invitation_id', n.id,"
        f" 'issue_name', t.name, 'invited_by', $7::text), {KEY}, NULL, NULL, $4, $6, $5"
        " FROM n, t),"
        " ok AS (UPDATE issues AS u SET involvements_updated_at = $4, updated_at = $5"
        " FROM t WHERE u.id = t.id)"
        f" SELECT {shown} FROM n"
    )


async def invite_in_one_statement(
    scope: Scope, issue_id: int, email: str | None
) -> Invitation | None:
    """The invitation made, or None when the ORM's path must answer (nothing written)."""
    user = scope.actor.user
    if not _may_try(scope, issue_id) or user is None or user.email_verified_at is None:
        return None
    check = Collector()
    address = check.email("email", email) or ""
    if check.errors:
        return None
    now = scope.now
    parameters = [issue_id, user.id, address, now, timezone.now(), current_request_id.get()]
    row = await fetch_row(_invite_sql(), [*parameters, user.name])
    if row is None:
        return None
    return Invitation._init_from_db(**dict(zip(_invitation_columns(), row, strict=True)))


@cache
def _remove_sql() -> str:
    """$3 the participant, $4 the request's time, $5 the wall clock."""
    shown = ", ".join(f"ok.{column}" for column in _columns())
    return (
        f"WITH t AS ({_target('i.owner_id <> $3')}),"
        " d AS (DELETE FROM issue_participants AS p WHERE p.issue_id IN (SELECT id FROM t)"
        " AND p.user_id = $3 RETURNING p.id),"
        " ok AS (UPDATE issues AS u SET involvements_updated_at = $4, updated_at = $5"
        " FROM t WHERE u.id = t.id AND EXISTS (SELECT 1 FROM d) RETURNING u.*)"
        f" SELECT {shown} FROM ok"
    )


async def remove_in_one_statement(scope: Scope, issue_id: int, user_id: int) -> Issue | None:
    """The issue the participant left, or None when the ORM's path must answer (nothing
    written)."""
    if not _may_try(scope, issue_id) or not is_row_id(user_id):
        return None
    parameters = [issue_id, scope.actor.user_id, user_id, scope.now, timezone.now()]
    row = await fetch_row(_remove_sql(), parameters)
    if row is None:
        return None
    return Issue._init_from_db(**dict(zip(_columns(), row, strict=True)))


def _may_try(scope: Scope, issue_id: int) -> bool:
    unrestricted = scope.actor.companies is None
    signed_in = scope.actor.user_id is not None
    return current_dialect().is_postgres and unrestricted and signed_in and is_row_id(issue_id)
