"""Issues: reads through the visibility filter, writes through one permission check each."""

import secrets
import uuid
from collections.abc import Sequence
from datetime import UTC, datetime
from typing import Any
from uuid import UUID

from tortoise.expressions import Subquery
from tortoise.queryset import QuerySet
from tortoise.transactions import in_transaction

from ..clock import utcnow
from ..models import (
    EventKind,
    Issue,
    IssueCategory,
    IssueEvent,
    IssueParticipant,
    IssueStatus,
    IssueTag,
    Tag,
    User,
    UserStatus,
)
from ..notifications.urls import UnsafeUrl, ensure_public_url
from . import notify
from .actor import Actor, require_user, require_verified_user
from .errors import IssueClosed, NotFound
from .involvement import involved_issue_ids
from .issue_inputs import (
    IssueChanges,
    IssueDraft,
    IssueFilter,
    check_search,
    clean_issue_fields,
    clean_tags,
)
from .pagination import MAX_ID, OffsetArgs, Page, Pagination, paginate, paginate_ordered
from .permissions import ensure_access_to_companies, ensure_can_manage_issue
from .search import best_first, matching_issues
from .validation import Collector
from .visibility import (
    ensure_all_visible,
    visible_categories,
    visible_companies,
    visible_issues,
)

PART_TIMES = (
    "categories_updated_at",
    "messages_updated_at",
    "unknowns_updated_at",
    "facts_updated_at",
    "action_items_updated_at",
    "uploads_updated_at",
    "involvements_updated_at",
)
"""When each part of an issue last changed; all start at its creation."""


def filter_issues(issues: QuerySet[Issue], wanted: IssueFilter) -> QuerySet[Issue]:
    if wanted.category_ids is not None:
        in_categories = IssueCategory.filter(category_id__in=_possible_ids(wanted.category_ids))
        issues = issues.filter(id__in=Subquery(in_categories.values_list("issue_id", flat=True)))
    if wanted.company_ids is not None:
        company_ids = _possible_ids(wanted.company_ids)
        in_companies = IssueCategory.filter(category__company_id__in=company_ids)
        issues = issues.filter(id__in=Subquery(in_companies.values_list("issue_id", flat=True)))
    if wanted.severity is not None:
        issues = issues.filter(severity=wanted.severity)
    if wanted.status is not None:
        issues = issues.filter(status=wanted.status)
    if wanted.created_after is not None:
        issues = issues.filter(created_at__gte=_in_utc(wanted.created_after))
    if wanted.created_before is not None:
        issues = issues.filter(created_at__lt=_in_utc(wanted.created_before))
    if wanted.tag:
        tagged = IssueTag.filter(tag__name=wanted.tag.strip().lower())
        issues = issues.filter(id__in=Subquery(tagged.values_list("issue_id", flat=True)))
    if wanted.search and wanted.search.strip():
        issues = matching_issues(issues, wanted.search)
    if wanted.shared_with_user_id is not None:
        issues = issues.filter(id__in=Subquery(involved_issue_ids(wanted.shared_with_user_id)))
    return issues


def _possible_ids(ids: list[int]) -> list[int]:
    """Ids no row can have match nothing (and must not reach the database as parameters)."""
    return [number for number in ids if 0 < number <= MAX_ID]


def _in_utc(moment: datetime) -> datetime:
    """Naive times are UTC; SQLite compares stored times as text, so every bound is in UTC."""
    return moment.replace(tzinfo=UTC) if moment.tzinfo is None else moment.astimezone(UTC)


def _candidates(actor: Actor, wanted: IssueFilter) -> QuerySet[Issue]:
    """The issues a filter starts from: visible ones, or only the viewer's own."""
    if wanted.involving_viewer or wanted.shared_with_user_id is not None:
        user = require_user(actor)
        issues = Issue.filter(id__in=Subquery(involved_issue_ids(user.id)))
    else:
        issues = visible_issues(actor, include_deleted=True)
    return issues.filter(deleted_at__isnull=not wanted.deleted)


async def list_issues(actor: Actor, wanted: IssueFilter, page: Pagination) -> Page[Issue]:
    check_search(wanted.search)
    await ensure_all_visible(visible_companies(actor), wanted.company_ids, "company_ids")
    await ensure_all_visible(visible_categories(actor), wanted.category_ids, "category_ids")
    return await paginate(
        filter_issues(_candidates(actor, wanted), wanted), page, newest_first=True
    )


async def search_issues(actor: Actor, wanted: IssueFilter, page: OffsetArgs) -> Page[Issue]:
    """Like `list_issues`, most relevant first when searching for words."""
    check_search(wanted.search)
    if not (wanted.search and wanted.search.strip()):
        return await list_issues(actor, wanted, page)
    matching = filter_issues(_candidates(actor, wanted), wanted)
    return await paginate_ordered(best_first(matching, wanted.search), page)


async def list_shared_issues(actor: Actor, other_user_guid: UUID, page: Pagination) -> Page[Issue]:
    require_user(actor)
    other = await User.get_or_none(guid=other_user_guid)
    if other is None:
        raise NotFound("User not found.")
    return await list_issues(actor, IssueFilter(shared_with_user_id=other.id), page)


async def list_my_tags(actor: Actor) -> list[str]:
    """The tags on the issues the viewer takes part in, by name."""
    user = require_user(actor)
    mine = Issue.filter(
        id__in=Subquery(involved_issue_ids(user.id)), deleted_at__isnull=True
    ).values_list("id", flat=True)
    names = await (
        Tag.filter(issue_links__issue_id__in=Subquery(mine))
        .distinct()
        .order_by("name")
        .values_list("name", flat=True)
    )
    return [str(name) for name in names]


async def get_issue(
    actor: Actor,
    *,
    issue_id: int | None = None,
    guid: UUID | None = None,
    include_deleted: bool = False,
) -> Issue:
    """Deleted issues are found only when asked for (to show them); no change reaches them."""
    if issue_id is not None and not 0 < issue_id <= MAX_ID:
        raise NotFound("Issue not found.")
    issues = visible_issues(actor, include_deleted=include_deleted)
    issue = await (issues.get_or_none(guid=guid) if guid else issues.get_or_none(id=issue_id or 0))
    if issue is None:
        raise NotFound("Issue not found.")
    return issue


async def _checked_category_ids(
    actor: Actor, check: Collector, category_ids: list[int] | None
) -> list[int] | None:
    """Unknown and hidden categories are both invalid input; the caller learns nothing more."""
    if category_ids is None:
        return None
    wanted = sorted(set(category_ids))
    possible = _possible_ids(wanted)
    found = await visible_categories(actor).filter(id__in=possible).values("id", "company_id")
    if len(found) != len(wanted):
        check.add("category_ids", "The selected category ids are invalid.", "UNKNOWN")
        return wanted
    await ensure_access_to_companies(actor, {row["company_id"] for row in found})
    return wanted


async def create_issue(
    actor: Actor, draft: IssueDraft, *, allowed_webhook_hosts: Sequence[str] = ()
) -> Issue:
    user = require_verified_user(actor)
    check = Collector()
    values = clean_issue_fields(check, draft, creating=True)
    tags = clean_tags(check, draft.tags)
    category_ids = await _checked_category_ids(actor, check, draft.category_ids)
    owner_id = await _checked_owner_id(check, draft.owner_id) or user.id
    await _clean_webhook_url(check, values, draft.webhook_url, allowed_webhook_hosts)
    check.raise_if_any()
    now = utcnow()
    async with in_transaction():
        description = values.pop("description", "")
        values.update(dict.fromkeys(PART_TIMES, now))
        issue = await Issue.create(
            guid=uuid.uuid4(),
            hash_key=secrets.token_hex(20),
            owner_id=owner_id,
            description=description,
            **values,
        )
        await IssueParticipant.bulk_create(
            [
                IssueParticipant(issue_id=issue.id, user_id=uid)
                for uid in sorted({user.id, owner_id})
            ]
        )
        await _sync_categories(issue, category_ids or [])
        await _sync_tags(issue, tags or [])
        event = await _record(issue, actor, EventKind.CREATED, description) if description else None
        await notify.issue_changed(issue, "issue_created", event)
    return issue


async def update_issue(
    actor: Actor,
    issue_id: int,
    changes: IssueChanges,
    *,
    allowed_webhook_hosts: Sequence[str] = (),
) -> Issue:
    issue = await managed_open_issue(actor, issue_id)
    check = Collector()
    values = clean_issue_fields(check, changes, creating=False)
    tags = clean_tags(check, changes.tags)
    category_ids = await _checked_category_ids(actor, check, changes.category_ids)
    owner_id = await _checked_owner_id(check, changes.owner_id)
    await _clean_webhook_url(check, values, changes.webhook_url, allowed_webhook_hosts)
    conclusion = check.text("conclusion", changes.conclusion, max_length=65535, required=False)
    check.raise_if_any()
    now = utcnow()
    async with in_transaction():
        event = None
        if "description" in values:
            event = await _record(issue, actor, EventKind.UPDATED, values["description"])
            values["messages_updated_at"] = now
        if category_ids is not None and await _sync_categories(issue, category_ids):
            values["categories_updated_at"] = now
        if tags is not None:
            await _sync_tags(issue, tags)
        if owner_id is not None and owner_id != issue.owner_id:
            await IssueParticipant.get_or_create(issue_id=issue.id, user_id=owner_id)
            values.update(owner_id=owner_id, involvements_updated_at=now)
        if changes.deleting:
            values["deleted_at"] = now
        await issue.update_from_dict(values).save()
        if changes.closing:
            return await _close(issue, actor, conclusion or "")
        await notify.issue_changed(issue, "issue_updated", event)
    return issue


async def managed_open_issue(actor: Actor, issue_id: int) -> Issue:
    """The issue an actor is about to change: visible, theirs to manage, and still open."""
    require_user(actor)
    issue = await get_issue(actor, issue_id=issue_id)
    await ensure_can_manage_issue(actor, issue)
    _refuse_if_closed(issue)
    return issue


async def _checked_owner_id(check: Collector, owner_id: int | None) -> int | None:
    """Any active user may be made an owner; unknown ids are invalid input."""
    if owner_id is None:
        return None
    if not (0 < owner_id <= MAX_ID and await User.exists(id=owner_id, status=UserStatus.ACTIVE)):
        check.add("owner_id", "The selected owner id is invalid.", "UNKNOWN")
        return None
    return owner_id


async def _clean_webhook_url(
    check: Collector, values: dict[str, Any], url: str | None, allowed_hosts: Sequence[str]
) -> None:
    """A blank URL removes it; any other must reach a public address."""
    if url is None:
        return
    cleaned = check.text("webhook_url", url, max_length=2048, required=False)
    if cleaned:
        try:
            await ensure_public_url(cleaned, list(allowed_hosts))
        except UnsafeUrl as unsafe:
            check.add("webhook_url", str(unsafe), "UNSAFE_URL")
    values["webhook_url"] = cleaned or None


async def add_issue_event(actor: Actor, issue_id: int, description: str | None) -> IssueEvent:
    issue = await managed_open_issue(actor, issue_id)
    text = _required_description(description)
    async with in_transaction():
        event = await _record(issue, actor, EventKind.NOTE, text)
        issue.messages_updated_at = utcnow()
        await issue.save(update_fields=["messages_updated_at", "updated_at"])
        await notify.issue_changed(issue, "issue_updated", event)
    return event


async def close_issue(actor: Actor, issue_id: int, description: str | None) -> Issue:
    issue = await managed_open_issue(actor, issue_id)
    text = _required_description(description)
    async with in_transaction():
        return await _close(issue, actor, text)


async def _close(issue: Issue, actor: Actor, conclusion: str) -> Issue:
    """Inside the caller's transaction. An empty conclusion closes without a closing note."""
    now = utcnow()
    issue.status = IssueStatus.CLOSED
    issue.closed_at = now
    issue.conclusion = conclusion or None  # type: ignore[assignment]
    event = None
    if conclusion:
        event = await _record(issue, actor, EventKind.CLOSED, conclusion)
        issue.messages_updated_at = now
    await issue.save()
    await notify.issue_changed(issue, "issue_closed", event)
    return issue


async def delete_issue(actor: Actor, issue_id: int) -> Issue:
    """Soft delete: the issue leaves every list, and nothing of it is erased."""
    issue = await managed_open_issue(actor, issue_id)
    issue.deleted_at = utcnow()
    await issue.save(update_fields=["deleted_at", "updated_at"])
    return issue


def _refuse_if_closed(issue: Issue) -> None:
    if issue.status is IssueStatus.CLOSED:
        raise IssueClosed()


def _required_description(description: str | None) -> str:
    check = Collector()
    text = check.text("description", description, max_length=65535)
    check.raise_if_any()
    return text or ""


async def _record(issue: Issue, actor: Actor, kind: EventKind, description: str) -> IssueEvent:
    return await IssueEvent.create(
        issue=issue, kind=kind, description=description, author_id=actor.user_id
    )


async def _sync_categories(issue: Issue, category_ids: list[int]) -> bool:
    """True when the categories changed."""
    current = set(
        await IssueCategory.filter(issue_id=issue.id).values_list("category_id", flat=True)
    )
    wanted = set(category_ids)
    if current - wanted:
        await IssueCategory.filter(issue_id=issue.id, category_id__in=current - wanted).delete()
    await IssueCategory.bulk_create(
        [IssueCategory(issue_id=issue.id, category_id=cid) for cid in sorted(wanted - current)]
    )
    return current != wanted


async def _sync_tags(issue: Issue, names: list[str]) -> None:
    existing = {tag.name: tag.id for tag in await Tag.filter(name__in=names)}
    for name in names:
        if name not in existing:
            tag, _ = await Tag.get_or_create(name=name)
            existing[name] = tag.id
    wanted = {existing[name] for name in names}
    current = set(await IssueTag.filter(issue_id=issue.id).values_list("tag_id", flat=True))
    if current - wanted:
        await IssueTag.filter(issue_id=issue.id, tag_id__in=current - wanted).delete()
    await IssueTag.bulk_create(
        [IssueTag(issue_id=issue.id, tag_id=tag_id) for tag_id in sorted(wanted - current)]
    )


async def get_issue_event(actor: Actor, event_id: int) -> IssueEvent:
    event = await IssueEvent.get_or_none(
        id=event_id, issue_id__in=Subquery(visible_issues(actor).values_list("id", flat=True))
    )
    if event is None:
        raise NotFound("Event not found.")
    return event
