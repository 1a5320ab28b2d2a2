"""Changing a whole issue at once, as a client that sends back the issue it fetched does
(Kinetic's PUT): one permission check, each field counted as a change only where it differs from
what the caller is shown, every part written against the issue already checked, and all of it in
one transaction, so a refused part leaves the issue as it was."""

import json
from collections.abc import Callable
from dataclasses import dataclass, replace
from datetime import date
from typing import TypeVar, cast
from uuid import UUID

from tortoise.transactions import in_transaction

from ...models import ActionItem, Fact, Invitation, Issue
from ...sqljson.statements import current_dialect
from ..core.errors import ErrorCode, ValidationFailed
from ..core.involvement import takes_part, takes_part_sql
from ..core.scope import Scope
from .inputs import IssueChanges
from .participants import invite
from .parts import PartChanges, change_action_item, change_fact, new_action_item, new_fact
from .updating import update_in_one_statement
from .writes import apply_changes, managed_open_issue

P = TypeVar("P", ActionItem, Fact)


@dataclass(frozen=True, slots=True)
class SentPart:
    """An action item or fact as sent with the issue: with an id it is changed, without one
    it is added."""

    id: int | None
    changes: PartChanges


@dataclass(frozen=True, slots=True)
class WholeIssueEdit:
    fields: IssueChanges
    invitations: list[str | None]
    """Addresses; those already invited are left as they are."""
    action_items: list[SentPart]
    facts: list[SentPart]


async def edit_whole_issue(scope: Scope, guid: UUID, edit: WholeIssueEdit) -> Issue:
    """Parts go first, since the fields may close the issue. On PostgreSQL, the issue and its
    parts are read at once and compared with what was sent; when only fields change, one
    statement writes them while the issue is still as read (`updating`). Otherwise the ORM's
    path, in one transaction."""
    one_statement = current_dialect().is_postgres and scope.actor.companies is None
    if one_statement and not edit.fields.deleting:
        issue = await managed_open_issue(scope, guid=guid, also=_AS_READ)
        if _parts_unchanged(issue, edit):
            fields = await _changed_fields(scope, issue, edit.fields)
            seen = issue.updated_at
            changed = await update_in_one_statement(scope, issue.id, fields, seen=seen)
            if changed is not None:
                return changed
    return await edit_whole_issue_by_orm(scope, guid, edit)


async def edit_whole_issue_by_orm(scope: Scope, guid: UUID, edit: WholeIssueEdit) -> Issue:
    """The ORM's path: the reference the one statement is held to, and SQLite's."""
    async with in_transaction():
        issue = await managed_open_issue(scope, guid=guid)
        await _invite_new(scope, issue, edit.invitations)
        for item, changes in await _edited(ActionItem, issue, edit.action_items, _item_changes):
            if item is None:
                await new_action_item(scope, issue, changes)
            else:
                await change_action_item(scope, issue, item, changes)
        for fact, changes in await _edited(Fact, issue, edit.facts, _fact_changes):
            if fact is None:
                await new_fact(scope, issue, changes.description)
            else:
                await change_fact(scope, issue, fact, changes.description)
        return await apply_changes(scope, issue, await _changed_fields(scope, issue, edit.fields))


def _parts_json(table: str, columns: str) -> Callable[[str, str], str]:
    def sql(issue: str, viewer: str) -> str:
        return (
            f"(SELECT coalesce(json_agg(json_build_array({columns}) ORDER BY p.id), '[]')::text"
            f" FROM {table} AS p WHERE p.issue_id = {issue}.id)"
        )

    return sql


_AS_READ = {
    "_takes_part": takes_part_sql,
    "_items": _parts_json(
        "issue_action_items", "p.id, p.description, p.done, p.assignee_id, p.due_on"
    ),
    "_facts": _parts_json("issue_facts", "p.id, p.description"),
    "_invited": _parts_json("issue_invitations", "p.email"),
}
"""What a PUT is compared with, read with the issue (PostgreSQL's SQL)."""


def _parts_unchanged(issue: Issue, edit: WholeIssueEdit) -> bool:
    """Whether the parts sent are those read (`_AS_READ`): then nothing of them is written."""
    invited = {email for (email,) in json.loads(issue._invited)}  # type: ignore[attr-defined]
    if any((address or "").strip().lower() not in invited for address in edit.invitations):
        return False
    items = {
        row[0]: ActionItem(
            id=row[0],
            description=row[1],
            done=row[2],
            assignee_id=row[3],
            due_on=date.fromisoformat(row[4]) if row[4] else None,
        )
        for row in json.loads(issue._items)  # type: ignore[attr-defined]
    }
    facts = {
        row[0]: Fact(id=row[0], description=row[1])
        for row in json.loads(issue._facts)  # type: ignore[attr-defined]
    }
    return _unchanged(items, edit.action_items, _item_changes) and _unchanged(
        facts, edit.facts, _fact_changes
    )


def _unchanged(
    current: dict[int, P],
    sent: list[SentPart],
    changed: Callable[[PartChanges, P], PartChanges | None],
) -> bool:
    return all(
        part.id is not None
        and part.id in current
        and changed(part.changes, current[part.id]) is None
        for part in sent
    )


async def _changed_fields(scope: Scope, issue: Issue, sent: IssueChanges) -> IssueChanges:
    """What was sent, without the fields sent back as the caller was shown them."""
    shown_webhook_url = None
    if sent.webhook_url is not None and await _takes_part(scope, issue):
        shown_webhook_url = issue.webhook_url  # shown only to those taking part
    return replace(
        sent,
        name=_if_changed(sent.name, issue.name),
        description=_if_changed(sent.description, issue.description),
        owner_id=None if sent.owner_id == issue.owner_id else sent.owner_id,
        external_reference_id=_if_changed(sent.external_reference_id, issue.external_reference_id),
        webhook_url=_if_changed(sent.webhook_url, shown_webhook_url),
    )


async def _takes_part(scope: Scope, issue: Issue) -> bool:
    """Known when the issue was read with `taking_part`."""
    known = getattr(issue, "_takes_part", None)
    if known is not None:
        return bool(known)
    return await takes_part(scope.actor.user_id, issue.id)


def _if_changed(sent: str | None, current: str | None) -> str | None:
    if sent is None or sent.strip() == (current or "").strip():
        return None
    return sent


async def _invite_new(scope: Scope, issue: Issue, addresses: list[str | None]) -> None:
    if not addresses:
        return
    invited = Invitation.filter(issue_id=issue.id).values_list("email", flat=True)
    pending = set(cast(list[str], await invited))
    for address in addresses:
        if (address or "").strip().lower() not in pending:
            await invite(scope, issue, address)


async def _edited(
    model: type[P],
    issue: Issue,
    sent: list[SentPart],
    changed: Callable[[PartChanges, P], PartChanges | None],
) -> list[tuple[P | None, PartChanges]]:
    """The parts to add (None) or change, with what changes; parts sent back as they are
    drop out, and an id that names none of the issue's parts is refused."""
    if not sent:
        return []
    current = {part.id: part for part in await model.filter(issue_id=issue.id)}
    edits: list[tuple[P | None, PartChanges]] = []
    for part in sent:
        if part.id is None:
            edits.append((None, part.changes))
            continue
        row = current.get(part.id)
        if row is None:
            field = "action_items" if model is ActionItem else "facts"
            message = f"The {field} name an unknown id."
            raise ValidationFailed.single(field, message, ErrorCode.UNKNOWN)
        if (changes := changed(part.changes, row)) is not None:
            edits.append((row, changes))
    return edits


def _item_changes(sent: PartChanges, item: ActionItem) -> PartChanges | None:
    changes = replace(
        sent,
        description=None if sent.description == item.description else sent.description,
        done=None if sent.done == item.done else sent.done,
        assignee_id=None if sent.assignee_id == item.assignee_id else sent.assignee_id,
        clear_assignee=sent.clear_assignee and item.assignee_id is not None,
        due_on=None if sent.due_on == item.due_on else sent.due_on,
        clear_due_on=sent.clear_due_on and item.due_on is not None,
    )
    return None if changes == PartChanges() else changes


def _fact_changes(sent: PartChanges, fact: Fact) -> PartChanges | None:
    if sent.description is None or sent.description == fact.description:
        return None
    return PartChanges(description=sent.description)
