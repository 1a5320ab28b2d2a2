"""Writing issues: each change goes through one permission check, and is written with the
notifications it causes in one transaction."""

import secrets
import uuid
from typing import Any, cast
from uuid import UUID

from tortoise.transactions import in_transaction

from ...models import (
    PART_TIMES,
    ChangeKind,
    EventKind,
    Issue,
    IssueCategory,
    IssueParticipant,
    IssueTag,
    Tag,
    UserStatus,
)
from ...notifications.delivery import new_webhook_secret
from ..core.actor import require_verified_user
from ..core.errors import ErrorCode
from ..core.ids import is_row_id, possible_ids
from ..core.permissions import (
    ensure_access_to_companies,
    ensure_reach_without_categories,
)
from ..core.scope import Scope
from ..core.validation import LONG_TEXT_LENGTH, Collector
from ..core.visibility import visible_categories, visible_users
from ..live.changes import announce
from ..status import stamps
from . import notify
from .audit import record_deletion
from .closing import close_in_transaction
from .closing import close_issue as close_issue
from .closing import close_issue_by_orm as close_issue_by_orm
from .creating import create_in_one_statement
from .deleting import delete_in_one_statement
from .inputs import IssueChanges, IssueDraft, clean_issue_fields, clean_tags
from .managed import managed_open_issue as managed_open_issue
from .managed import record
from .notes import add_issue_event as add_issue_event
from .search_words import search_text_of
from .updating import WEBHOOK_URL_LENGTH as WEBHOOK_URL_LENGTH
from .updating import clean_webhook_url, update_in_one_statement

MAX_TEXT = LONG_TEXT_LENGTH


async def create_issue(scope: Scope, draft: IssueDraft) -> Issue:
    user = require_verified_user(scope.actor)
    created = await create_in_one_statement(scope, draft, user)
    return created if created is not None else await create_issue_by_orm(scope, draft)


async def create_issue_by_orm(scope: Scope, draft: IssueDraft) -> Issue:
    """The ORM's path: the reference the one statement is held to, and SQLite's."""
    user = require_verified_user(scope.actor)
    check = Collector()
    values = clean_issue_fields(check, draft, creating=True)
    tags = clean_tags(check, draft.tags)
    category_ids = await _checked_category_ids(scope, check, draft.category_ids or [])
    owner_id = await _checked_owner_id(scope, check, draft.owner_id) or user.id
    await clean_webhook_url(scope, check, values, draft.webhook_url)
    check.raise_if_any()
    async with in_transaction():
        description = values.pop("description", "")
        values.update(dict.fromkeys(PART_TIMES, scope.now))
        issue = await Issue.create(
            guid=uuid.uuid4(),
            hash_key=secrets.token_hex(20),
            webhook_secret=new_webhook_secret(),
            owner_id=owner_id,
            description=description,
            search_text=search_text_of(values["name"], description, tags or []),
            **values,
        )
        participants = sorted({user.id, owner_id})
        await IssueParticipant.bulk_create(
            [IssueParticipant(issue_id=issue.id, user_id=user_id) for user_id in participants]
        )
        await _sync_categories(scope, issue, category_ids or [])
        await _sync_tags(issue, tags or [])
        event = await record(scope, issue, EventKind.CREATED, description) if description else None
        await notify.issue_changed(scope.now, issue, "issue_created", event)
    return issue


async def update_issue(scope: Scope, issue_id: int, changes: IssueChanges) -> Issue:
    updated = await update_in_one_statement(scope, issue_id, changes)
    return updated if updated is not None else await update_issue_by_orm(scope, issue_id, changes)


async def update_issue_by_orm(scope: Scope, issue_id: int, changes: IssueChanges) -> Issue:
    """The ORM's path: the reference the one statement is held to, and SQLite's."""
    return await apply_changes(scope, await managed_open_issue(scope, issue_id), changes)


async def apply_changes(scope: Scope, issue: Issue, changes: IssueChanges) -> Issue:
    """Changes an issue the caller already checked with `managed_open_issue`."""
    check = Collector()
    values = clean_issue_fields(check, changes, creating=False)
    tags = clean_tags(check, changes.tags)
    category_ids = await _checked_category_ids(scope, check, changes.category_ids)
    new_owner_id = None if changes.owner_id == issue.owner_id else changes.owner_id
    owner_id = await _checked_owner_id(scope, check, new_owner_id)
    await clean_webhook_url(scope, check, values, changes.webhook_url)
    conclusion = check.text("conclusion", changes.conclusion, max_length=MAX_TEXT, required=False)
    check.raise_if_any()
    now = scope.now
    async with in_transaction():
        event = None
        if "description" in values:
            event = await record(scope, issue, EventKind.UPDATED, values["description"])
            values["messages_updated_at"] = now
        if category_ids is not None and await _sync_categories(scope, issue, category_ids):
            values["categories_updated_at"] = now
        if tags is not None:
            await _sync_tags(issue, tags)
        if owner_id is not None and owner_id != issue.owner_id:
            await IssueParticipant.get_or_create(issue_id=issue.id, user_id=owner_id)
            values.update(owner_id=owner_id, involvements_updated_at=now)
        if changes.deleting:
            values["deleted_at"] = now
        if tags is not None or "name" in values or "description" in values:
            values["search_text"] = await _search_text(issue, values, tags)
        await issue.update_from_dict(values).save()
        if changes.deleting:
            await record_deletion(scope, issue)
        if changes.closing:
            return await close_in_transaction(scope, issue, conclusion or "")
        await notify.issue_changed(now, issue, "issue_updated", event)
    return issue


async def delete_issue(
    scope: Scope, issue_id: int | None = None, *, guid: UUID | None = None
) -> Issue:
    """Soft delete: the issue leaves every list, and nothing of it is erased."""
    deleted = await delete_in_one_statement(scope, issue_id, guid)
    return deleted if deleted is not None else await delete_issue_by_orm(scope, issue_id, guid=guid)


async def delete_issue_by_orm(
    scope: Scope, issue_id: int | None = None, *, guid: UUID | None = None
) -> Issue:
    """The ORM's path: the reference the one statement is held to, and SQLite's."""
    issue = await managed_open_issue(scope, issue_id, guid=guid)
    issue.deleted_at = scope.now
    async with in_transaction():
        await issue.save(update_fields=["deleted_at", "updated_at"])
        await record_deletion(scope, issue)
        await announce(scope.now, issue.id, ChangeKind.DELETED, None)
    return issue


async def _checked_category_ids(
    scope: Scope, check: Collector, category_ids: list[int] | None
) -> list[int] | None:
    """Unknown and hidden categories are both invalid input; the caller learns nothing more."""
    if category_ids is None:
        return None
    wanted = sorted(set(category_ids))
    if not wanted:
        ensure_reach_without_categories(scope.actor)
    found = await (
        visible_categories(scope.actor)
        .filter(id__in=possible_ids(wanted))
        .values("id", "company_id")
    )
    if len(found) != len(wanted):
        known = {row["id"] for row in found}
        first = next(index for index, id in enumerate(category_ids) if id not in known)
        message = "The selected category ids are invalid."
        check.add("category_ids", message, ErrorCode.UNKNOWN, index=first)
        return wanted
    await ensure_access_to_companies(scope.actor, {row["company_id"] for row in found})
    return wanted


async def _checked_owner_id(scope: Scope, check: Collector, owner_id: int | None) -> int | None:
    """Any active user the actor may see (who shares a company or an issue with them) may be
    made an owner; unknown and hidden ids are the same invalid input, so owners cannot be used
    to find out who exists."""
    if owner_id is None:
        return None
    owners = visible_users(scope.actor).filter(id=owner_id, status=UserStatus.ACTIVE)
    if not (is_row_id(owner_id) and await owners.exists()):
        check.add("owner_id", "The selected owner id is invalid.", ErrorCode.UNKNOWN)
        return None
    return owner_id


async def _sync_categories(scope: Scope, issue: Issue, category_ids: list[int]) -> bool:
    """True when the categories changed. The status pages of the categories the issue leaves
    show it no more (those it is in hear of the change when it is announced)."""
    linked = IssueCategory.filter(issue_id=issue.id).values_list("category_id", flat=True)
    current = set(cast(list[int], await linked))
    wanted = set(category_ids)
    if current - wanted:
        await IssueCategory.filter(issue_id=issue.id, category_id__in=current - wanted).delete()
        await stamps.categories_changed(scope.now, current - wanted)
    await IssueCategory.bulk_create(
        [IssueCategory(issue_id=issue.id, category_id=cid) for cid in sorted(wanted - current)]
    )
    return current != wanted


async def _search_text(issue: Issue, values: dict[str, Any], tags: list[str] | None) -> str:
    """The issue's search text once `values` and `tags` (when given) are applied."""
    names = tags
    if names is None:
        names = [tag.name for tag in await Tag.filter(issue_links__issue_id=issue.id)]
    name = values.get("name", issue.name)
    return search_text_of(name, values.get("description", issue.description), names)


async def _sync_tags(issue: Issue, names: list[str]) -> None:
    """Links the issue to exactly the tags `names`: one read when they are unchanged."""
    current = {tag.name: tag.id for tag in await Tag.filter(issue_links__issue_id=issue.id)}
    added = set(names) - set(current)
    known = {tag.name: tag.id for tag in await Tag.filter(name__in=added)} if added else {}
    for name in sorted(added - set(known)):
        tag, _ = await Tag.get_or_create(name=name)
        known[name] = tag.id
    dropped = [tag_id for name, tag_id in current.items() if name not in set(names)]
    if dropped:
        await IssueTag.filter(issue_id=issue.id, tag_id__in=dropped).delete()
    if known:
        await IssueTag.bulk_create(
            [IssueTag(issue_id=issue.id, tag_id=tag_id) for tag_id in sorted(known.values())]
        )
