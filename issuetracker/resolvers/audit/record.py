"""Writing an audit entry: one statement, called by a write inside its own transaction, so the
entry commits or rolls back with the change. Changes name fields and their values as text;
secrets and passwords are never among them."""

from collections.abc import Iterable
from dataclasses import dataclass

from tortoise.models import Model

from ...models import AuditAction, AuditEntry
from ..core.scope import Scope

ADDRESS_LENGTH = 64


@dataclass(frozen=True, slots=True)
class Change:
    field: str
    before: str | None = None
    after: str | None = None


def as_text(value: object) -> str | None:
    """A value as the log shows it: booleans as `true`/`false`, None as null."""
    if value is None:
        return None
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


def changed(field: str, before: object, after: object) -> Change:
    return Change(field, as_text(before), as_text(after))


async def record(
    scope: Scope,
    action: AuditAction,
    subject: Model | tuple[str, int],
    *,
    company_id: int | None = None,
    user_id: int | None = None,
    changes: Iterable[Change] = (),
) -> AuditEntry:
    """`subject`: the object the entry concerns, or its GraphQL type name and id;
    `company_id`: the company whose log shows it; `user_id`: the account whose log does."""
    return await AuditEntry.create(
        action=action,
        actor_id=scope.actor.user_id,
        company_id=company_id,
        user_id=user_id,
        subject_type=subject[0] if isinstance(subject, tuple) else subject_type(subject),
        subject_id=subject[1] if isinstance(subject, tuple) else subject.pk,
        client_address=scope.client[:ADDRESS_LENGTH],
        changes=[
            {"field": change.field, "before": change.before, "after": change.after}
            for change in changes
        ],
        created_at=scope.now,
    )


SUBJECT_TYPES = {"Upload": "IssueUpload"}
"""Models whose GraphQL type has another name."""


def subject_type(subject: Model) -> str:
    name = type(subject).__name__
    return SUBJECT_TYPES.get(name, name)
