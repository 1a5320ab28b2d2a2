"""Creating an issue in categories by one PostgreSQL statement: the categories' checks (each
visible, the creator a member of every company of theirs), the issue, its participant, its
category links, its first event, and everything `notify.issue_changed` writes for
`issue_created` (see `one_statement`); issues created at once share a round trip and a commit
(`sqljson.batched`).

It takes the plain case: in categories or not, no tags, no other owner, no webhook URL, input
valid. Anything else (and any refusal: then the statement wrote nothing) is the ORM's path's,
which says why."""

import secrets
import uuid
from typing import Any, cast

from tortoise import timezone

from ...logs import current_request_id
from ...models import PART_TIMES, EventKind, Issue, IssueStatus, User
from ...notifications.delivery import new_webhook_secret
from ...sqljson.batched import write_row
from ...sqljson.statements import current_dialect
from ..core.ids import is_row_id
from ..core.scope import Scope
from ..core.validation import Collector
from ..core.visibility import category_visible
from .inputs import IssueDraft, clean_issue_fields, clean_tags
from .one_statement import Params, batch_closing, consequences
from .search_words import search_text_of

_PARAMS = Params(now=1, written_at=2, request_id=3, timestamp=4)
_FIXED = 6
"""Parameters before the issue's columns: now, written at, request id, timestamp, the user,
the categories."""
_statements: dict[tuple[str, ...], str] = {}


def _create_sql(columns: tuple[str, ...]) -> str:
    placeholders = ", ".join(f"${_FIXED + n + 1}" for n in range(len(columns)))
    closing, closed = batch_closing(f"${_PARAMS.now}", f"${_FIXED + len(columns) + 1}")
    wanted = "SELECT unnest($6::int[]) AS id"
    checked = (
        f"SELECT ca.id, ca.company_id FROM categories AS ca WHERE ca.id IN ({wanted})"
        f" AND {category_visible('ca', '$5')}"
    )
    allowed = (
        "(SELECT count(*) FROM c) = cardinality($6::int[]) AND NOT EXISTS (SELECT 1 FROM c"
        " WHERE NOT EXISTS (SELECT 1 FROM memberships AS cm"
        " WHERE cm.company_id = c.company_id AND cm.user_id = $5))"
    )
    return (
        f"WITH c AS ({checked}),"
        f" ok AS (INSERT INTO issues ({', '.join(columns)}) SELECT {placeholders}"
        f" WHERE {allowed} RETURNING *),"
        " p AS (INSERT INTO issue_participants (issue_id, user_id, created_at)"
        " SELECT ok.id, $5, $2 FROM ok),"
        " cl AS (INSERT INTO issue_categories (issue_id, category_id)"
        " SELECT ok.id, c.id FROM ok, c ORDER BY c.id),"
        " cats AS (SELECT c.id AS category_id FROM c, ok),"
        " e AS (INSERT INTO issue_events (issue_id, kind, description, author_id, created_at,"
        f" updated_at) SELECT ok.id, '{EventKind.CREATED.value}', ok.description, $5, $2, $2"
        " FROM ok WHERE ok.description <> '' RETURNING id, kind, description),"
        + consequences("issue_created", "created", of_issue=False, params=_PARAMS)
        + closing
        + f" SELECT (SELECT id FROM ok), {closed}"
    )


def _plain_case(draft: IssueDraft) -> dict[str, Any] | None:
    """The issue's checked values, when the one statement can create it."""
    if draft.tags or draft.owner_id is not None or draft.webhook_url is not None:
        return None
    if not all(is_row_id(number) for number in draft.category_ids or []):
        return None
    check = Collector()
    values = clean_issue_fields(check, draft, creating=True)
    clean_tags(check, draft.tags)
    return None if check.errors else values


async def create_in_one_statement(scope: Scope, draft: IssueDraft, user: User) -> Issue | None:
    """The issue created, or None when the ORM's path must create it (nothing written)."""
    # A company-limited token's narrower rights are the ORM path's (see notes.add_issue_event).
    one_statement = current_dialect().is_postgres and scope.actor.companies is None
    values = _plain_case(draft) if one_statement else None
    if values is None:
        return None
    written_at = timezone.now()
    description = values.pop("description", "")
    values.update(dict.fromkeys(PART_TIMES, scope.now))
    issue = Issue(
        guid=uuid.uuid4(),
        hash_key=secrets.token_hex(20),
        webhook_secret=new_webhook_secret(),
        owner_id=user.id,
        status=IssueStatus.OPEN,
        description=description,
        search_text=search_text_of(values["name"], description, []),
        created_at=written_at,
        updated_at=written_at,
        **values,
    )
    columns, column_values = _columns_of(issue)
    if columns not in _statements:
        _statements[columns] = _create_sql(columns)
    fixed = [scope.now, written_at, current_request_id.get(), scope.now.isoformat(), user.id]
    categories = sorted(set(draft.category_ids or []))
    row = await write_row(_statements[columns], [*fixed, categories, *column_values])
    if row[0] is None:
        return None
    issue.id = cast(int, row[0])
    issue._saved_in_db = True
    return issue


def _columns_of(issue: Issue) -> tuple[tuple[str, ...], list[object]]:
    meta = Issue._meta
    columns, values = [], []
    for name, column in meta.fields_db_projection.items():
        if name == meta.pk_attr:
            continue
        field = meta.fields_map[name]
        columns.append(column)
        values.append(field.to_db_value(getattr(issue, name), issue))
    return tuple(columns), values
