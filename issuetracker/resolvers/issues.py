"""Issues: reads through the visibility filter, writes through one permission check each."""

import uuid
from datetime import UTC, datetime
from uuid import UUID

from tortoise.expressions import Q, Subquery
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
)
from . import notify
from .actor import Actor, require_user, require_verified_user
from .errors import IssueClosed, NotFound
from .issue_inputs import IssueChanges, IssueDraft, IssueFilter, clean_issue_fields, clean_tags
from .pagination import MAX_ID, Page, Pagination, paginate
from .permissions import ensure_access_to_companies, ensure_can_manage_issue
from .validation import Collector
from .visibility import (
    ensure_all_visible,
    visible_categories,
    visible_companies,
    visible_issues,
)


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
        issues = issues.filter(_matches_text(wanted.search.strip()))
    return issues


def _possible_ids(ids: list[int]) -> list[int]:
    """Ids no row can have match nothing (and must not reach the database as parameters)."""
    return [number for number in ids if 0 < number <= MAX_ID]


def _in_utc(moment: datetime) -> datetime:
    """Naive times are UTC; SQLite compares stored times as text, so every bound is in UTC."""
    return moment.replace(tzinfo=UTC) if moment.tzinfo is None else moment.astimezone(UTC)


def _matches_text(text: str) -> Q:
    tagged = IssueTag.filter(tag__name=text.lower()).values_list("issue_id", flat=True)
    return Q(name__icontains=text) | Q(description__icontains=text) | Q(id__in=Subquery(tagged))


async def list_issues(actor: Actor, wanted: IssueFilter, page: Pagination) -> Page[Issue]:
    await ensure_all_visible(visible_companies(actor), wanted.company_ids, "company_ids")
    await ensure_all_visible(visible_categories(actor), wanted.category_ids, "category_ids")
    return await paginate(filter_issues(visible_issues(actor), wanted), page, newest_first=True)


async def get_issue(
    actor: Actor, *, issue_id: int | None = None, guid: UUID | None = None
) -> Issue:
    if issue_id is not None and not 0 < issue_id <= MAX_ID:
        raise NotFound("Issue not found.")
    issues = visible_issues(actor)
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


async def create_issue(actor: Actor, draft: IssueDraft) -> Issue:
    user = require_verified_user(actor)
    check = Collector()
    values = clean_issue_fields(check, draft, creating=True)
    tags = clean_tags(check, draft.tags)
    category_ids = await _checked_category_ids(actor, check, draft.category_ids)
    check.raise_if_any()
    async with in_transaction():
        description = values.pop("description", "")
        issue = await Issue.create(guid=uuid.uuid4(), owner=user, description=description, **values)
        await IssueParticipant.create(issue=issue, user=user)
        await _sync_categories(issue, category_ids or [])
        await _sync_tags(issue, tags or [])
        event = await _record(issue, actor, EventKind.CREATED, description) if description else None
        await notify.issue_changed(issue, "issue_created", event)
    return issue


async def update_issue(actor: Actor, issue_id: int, changes: IssueChanges) -> Issue:
    require_user(actor)
    issue = await get_issue(actor, issue_id=issue_id)
    await ensure_can_manage_issue(actor, issue)
    _refuse_if_closed(issue)
    check = Collector()
    values = clean_issue_fields(check, changes, creating=False)
    tags = clean_tags(check, changes.tags)
    category_ids = await _checked_category_ids(actor, check, changes.category_ids)
    check.raise_if_any()
    async with in_transaction():
        event = None
        if "description" in values:
            event = await _record(issue, actor, EventKind.UPDATED, values["description"])
        await issue.update_from_dict(values).save()
        if category_ids is not None:
            await _sync_categories(issue, category_ids)
        if tags is not None:
            await _sync_tags(issue, tags)
        await notify.issue_changed(issue, "issue_updated", event)
    return issue


async def add_issue_event(actor: Actor, issue_id: int, description: str | None) -> IssueEvent:
    require_user(actor)
    issue = await get_issue(actor, issue_id=issue_id)
    await ensure_can_manage_issue(actor, issue)
    _refuse_if_closed(issue)
    text = _required_description(description)
    async with in_transaction():
        event = await _record(issue, actor, EventKind.NOTE, text)
        await issue.save(update_fields=["updated_at"])
        await notify.issue_changed(issue, "issue_updated", event)
    return event


async def close_issue(actor: Actor, issue_id: int, description: str | None) -> Issue:
    require_user(actor)
    issue = await get_issue(actor, issue_id=issue_id)
    await ensure_can_manage_issue(actor, issue)
    _refuse_if_closed(issue)
    text = _required_description(description)
    async with in_transaction():
        issue.status = IssueStatus.CLOSED
        issue.closed_at = utcnow()
        issue.conclusion = text
        await issue.save()
        event = await _record(issue, actor, EventKind.CLOSED, text)
        await notify.issue_changed(issue, "issue_closed", event)
    return issue


async def delete_issue(actor: Actor, issue_id: int) -> Issue:
    """Soft delete: the issue leaves every list, and nothing of it is erased."""
    require_user(actor)
    issue = await get_issue(actor, issue_id=issue_id)
    await ensure_can_manage_issue(actor, issue)
    _refuse_if_closed(issue)
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


async def _sync_categories(issue: Issue, category_ids: list[int]) -> None:
    current = set(
        await IssueCategory.filter(issue_id=issue.id).values_list("category_id", flat=True)
    )
    wanted = set(category_ids)
    if current - wanted:
        await IssueCategory.filter(issue_id=issue.id, category_id__in=current - wanted).delete()
    await IssueCategory.bulk_create(
        [IssueCategory(issue_id=issue.id, category_id=cid) for cid in sorted(wanted - current)]
    )


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
