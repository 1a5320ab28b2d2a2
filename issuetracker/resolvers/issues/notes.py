"""Adding a note to an issue's timeline. On PostgreSQL one statement checks the actor may, and
writes the note with everything it causes (notes added at once share a round trip and a commit:
`sqljson.batched`); on SQLite (and whenever that statement writes nothing: it is then the ORM's
path that says why) the ORM writes it, in one transaction."""

from dataclasses import dataclass
from datetime import datetime
from typing import cast

from tortoise import timezone
from tortoise.transactions import in_transaction

from ...logs import current_request_id
from ...models import EventKind, IssueEvent
from ...sqljson.batched import write_row
from ...sqljson.statements import current_dialect
from ..core.actor import require_user
from ..core.errors import DomainError
from ..core.ids import is_row_id
from ..core.permissions import may_change_issue_sql
from ..core.scope import Scope
from ..core.validation import LONG_TEXT_LENGTH, Collector
from . import notify
from .managed import managed_open_issue, record
from .one_statement import Params, batch_closing, consequences

_PARAMS = Params(now=4, written_at=5, request_id=6, timestamp=7)
_LAST = "$8"


def _note_sql() -> str:
    closing, closed = batch_closing(f"${_PARAMS.now}", _LAST)
    target = (
        "SELECT i.* FROM issues AS i WHERE i.id = $1 AND i.status = 'open'"
        f" AND {may_change_issue_sql('i', '$3')}"
        " FOR UPDATE OF i"
    )
    return (
        f"WITH t AS ({target}),"
        " e AS (INSERT INTO issue_events (issue_id, kind, description, author_id, created_at,"
        f" updated_at) SELECT t.id, '{EventKind.NOTE.value}', $2, $3, $5, $5 FROM t"
        " RETURNING id, kind, description),"
        " ok AS (UPDATE issues AS u SET messages_updated_at = $4, updated_at = $5"
        " FROM t WHERE u.id = t.id RETURNING u.*),"
        " cats AS (SELECT category_id FROM issue_categories WHERE issue_id IN (SELECT id FROM t)),"
        + consequences("issue_updated", "updated", of_issue=True, params=_PARAMS)
        + closing
        + f" SELECT (SELECT id FROM e), {closed}"
    )


NOTE_SQL = _note_sql()


def valid_description(description: str | None) -> str | None:
    """None when refused: the ORM's path then checks the issue first, and says why."""
    try:
        return required_description(description)
    except DomainError:
        return None


def required_description(description: str | None) -> str:
    check = Collector()
    text = check.text("description", description, max_length=LONG_TEXT_LENGTH)
    check.raise_if_any()
    return text or ""


@dataclass(frozen=True, slots=True)
class WrittenNote:
    """A note the one statement wrote, as its model's attributes (no model is built when only
    its columns are shown)."""

    id: int
    issue_id: int
    description: str
    author_id: int
    created_at: datetime
    kind: EventKind = EventKind.NOTE

    @property
    def updated_at(self) -> datetime:
        return self.created_at


async def add_issue_event(scope: Scope, issue_id: int, description: str | None) -> IssueEvent:
    note = await add_note(scope, issue_id, description)
    return _event(note) if isinstance(note, WrittenNote) else note


async def add_note(
    scope: Scope, issue_id: int, description: str | None
) -> WrittenNote | IssueEvent:
    """`add_issue_event`, without the model when the one statement wrote the note."""
    user = require_user(scope.actor)
    text = valid_description(description)
    # A company-limited token's narrower rights are the ORM path's (the statement's SQL reads
    # the user's own memberships).
    unrestricted = scope.actor.companies is None
    if text is not None and unrestricted and current_dialect().is_postgres and is_row_id(issue_id):
        written_at = timezone.now()
        row = await write_row(
            NOTE_SQL,
            [
                issue_id,
                text,
                user.id,
                scope.now,
                written_at,
                current_request_id.get(),
                scope.now.isoformat(),
            ],
            lock_order=issue_id,
        )
        if row[0] is not None:
            return WrittenNote(cast(int, row[0]), issue_id, text, user.id, written_at)
    return await add_issue_event_by_orm(scope, issue_id, description)


def _event(note: WrittenNote) -> IssueEvent:
    event = IssueEvent(
        id=note.id,
        issue_id=note.issue_id,
        kind=note.kind,
        description=note.description,
        author_id=note.author_id,
        created_at=note.created_at,
        updated_at=note.created_at,
    )
    event._saved_in_db = True
    return event


async def add_issue_event_by_orm(
    scope: Scope, issue_id: int, description: str | None
) -> IssueEvent:
    """The ORM's path: the reference the one statement is held to, and SQLite's."""
    issue = await managed_open_issue(scope, issue_id)
    text = required_description(description)
    async with in_transaction():
        event = await record(scope, issue, EventKind.NOTE, text)
        issue.messages_updated_at = scope.now
        await issue.save(update_fields=["messages_updated_at", "updated_at"])
        await notify.issue_changed(scope.now, issue, "issue_updated", event)
    return event
