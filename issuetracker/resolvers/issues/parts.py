"""What people working an issue together add to it: action items and facts. Whoever may manage
the issue may change them; each change stamps the issue's matching `*_updated_at`."""

from dataclasses import dataclass
from datetime import date
from typing import TypeVar

from tortoise.expressions import Subquery
from tortoise.transactions import in_transaction

from ...models import ActionItem, Fact, Issue, Upload
from ..core.actor import require_user
from ..core.errors import ErrorCode, NotFound
from ..core.ids import is_row_id
from ..core.involvement import takes_part
from ..core.scope import Scope
from ..core.validation import Collector
from ..core.visibility import visible_issues
from .participants import touch
from .writes import MAX_TEXT, managed_open_issue

P = TypeVar("P", ActionItem, Fact)
Shown = TypeVar("Shown", ActionItem, Fact, Upload)


@dataclass(frozen=True, slots=True)
class PartChanges:
    """The fields of an action item or a fact (a fact has only a description); None leaves a
    field as it is."""

    description: str | None = None
    done: bool | None = None
    assignee_id: int | None = None
    clear_assignee: bool = False
    due_on: date | None = None
    clear_due_on: bool = False


async def get_issue_part(scope: Scope, model: type[Shown], part_id: int) -> Shown:
    """An action item, fact or upload of an issue the actor may see; hidden and missing look
    the same."""
    visible_ids = visible_issues(scope.actor).values_list("id", flat=True)
    part = None
    if is_row_id(part_id):
        part = await model.get_or_none(id=part_id, issue_id__in=Subquery(visible_ids))
    if part is None:
        raise NotFound()
    return part


async def managed_part(scope: Scope, model: type[P], part_id: int) -> tuple[P, Issue]:
    """A part of an issue, with the issue it belongs to, ready to change; the part of an issue
    the actor cannot see is not found."""
    require_user(scope.actor)
    part = await model.get_or_none(id=part_id) if is_row_id(part_id) else None
    if part is None:
        raise NotFound()
    return part, await managed_open_issue(scope, part.issue_id)


async def _checked_assignee(check: Collector, issue: Issue, assignee_id: int | None) -> None:
    """Action items go to people taking part in the issue."""
    if assignee_id is not None and not (
        is_row_id(assignee_id) and await takes_part(assignee_id, issue.id)
    ):
        check.add("assignee_id", "The assignee must take part in the issue.", ErrorCode.UNKNOWN)


def _required_text(description: str | None) -> str:
    check = Collector()
    text = check.text("description", description, max_length=MAX_TEXT)
    check.raise_if_any()
    return text or ""


async def add_action_item(scope: Scope, issue_id: int, draft: PartChanges) -> ActionItem:
    return await new_action_item(scope, await managed_open_issue(scope, issue_id), draft)


async def new_action_item(scope: Scope, issue: Issue, draft: PartChanges) -> ActionItem:
    check = Collector()
    description = check.text("description", draft.description, max_length=MAX_TEXT)
    await _checked_assignee(check, issue, draft.assignee_id)
    check.raise_if_any()
    async with in_transaction():
        item = await ActionItem.create(
            issue=issue,
            description=description,
            done=bool(draft.done),
            assignee_id=draft.assignee_id,
            due_on=draft.due_on,
            created_by_id=scope.actor.user_id,
        )
        await touch(scope, issue, "action_items_updated_at")
    return item


async def update_action_item(scope: Scope, item_id: int, changes: PartChanges) -> ActionItem:
    item, issue = await managed_part(scope, ActionItem, item_id)
    return await change_action_item(scope, issue, item, changes)


async def change_action_item(
    scope: Scope, issue: Issue, item: ActionItem, changes: PartChanges
) -> ActionItem:
    check = Collector()
    if changes.description is not None:
        item.description = check.text("description", changes.description, max_length=MAX_TEXT) or ""
    await _checked_assignee(check, issue, changes.assignee_id)
    check.raise_if_any()
    if changes.done is not None:
        item.done = changes.done
    if changes.assignee_id is not None or changes.clear_assignee:
        item.assignee_id = changes.assignee_id
    if changes.due_on is not None or changes.clear_due_on:
        item.due_on = changes.due_on
    async with in_transaction():
        await item.save()
        await touch(scope, issue, "action_items_updated_at")
    return item


async def delete_action_item(scope: Scope, item_id: int) -> ActionItem:
    item, issue = await managed_part(scope, ActionItem, item_id)
    async with in_transaction():
        await item.delete()
        await touch(scope, issue, "action_items_updated_at")
    return item


async def add_fact(scope: Scope, issue_id: int, description: str | None) -> Fact:
    return await new_fact(scope, await managed_open_issue(scope, issue_id), description)


async def new_fact(scope: Scope, issue: Issue, description: str | None) -> Fact:
    text = _required_text(description)
    async with in_transaction():
        fact = await Fact.create(issue=issue, description=text, author_id=scope.actor.user_id)
        await touch(scope, issue, "facts_updated_at")
    return fact


async def update_fact(scope: Scope, fact_id: int, description: str | None) -> Fact:
    fact, issue = await managed_part(scope, Fact, fact_id)
    return await change_fact(scope, issue, fact, description)


async def change_fact(scope: Scope, issue: Issue, fact: Fact, description: str | None) -> Fact:
    fact.description = _required_text(description)
    async with in_transaction():
        await fact.save()
        await touch(scope, issue, "facts_updated_at")
    return fact


async def delete_fact(scope: Scope, fact_id: int) -> Fact:
    fact, issue = await managed_part(scope, Fact, fact_id)
    async with in_transaction():
        await fact.delete()
        await touch(scope, issue, "facts_updated_at")
    return fact
