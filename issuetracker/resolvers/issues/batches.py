"""Batched reads of an issue's relations (see `core/batches.py`), on the rules of
`issues/relations.py` and `core/visibility.py`."""

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from tortoise.expressions import RawSQL, Subquery

from ...models import (
    ActionItem,
    Category,
    Fact,
    Invitation,
    Issue,
    IssueCategory,
    IssueEvent,
    IssueParticipant,
    IssueTag,
    Upload,
    User,
)
from ..accounts.relations import first_visible_company_name
from ..core.actor import Actor
from ..core.batches import grouped
from ..core.permissions import may_change_issue_sql
from ..core.sql import table, viewer_of, where
from ..core.visibility import visible_categories, visible_issues
from .relations import for_those_taking_part, subscriber_count, webhook_shown


async def categories_by_issue_ids(actor: Actor, issue_ids: Sequence[int]) -> list[list[Category]]:
    visible_ids = visible_categories(actor).values_list("id", flat=True)
    links = (
        await IssueCategory.filter(issue_id__in=issue_ids, category_id__in=Subquery(visible_ids))
        .select_related("category")
        .order_by("category_id")
    )
    return grouped([(link.issue_id, link.category) for link in links], issue_ids)


async def events_by_issue_ids(issue_ids: Sequence[int]) -> list[list[IssueEvent]]:
    events = await IssueEvent.filter(issue_id__in=issue_ids).order_by("id")
    return grouped([(event.issue_id, event) for event in events], issue_ids)


async def participants_by_issue_ids(issue_ids: Sequence[int]) -> list[list[User]]:
    links = (
        await IssueParticipant.filter(issue_id__in=issue_ids).select_related("user").order_by("id")
    )
    return grouped([(link.issue_id, link.user) for link in links], issue_ids)


async def tags_by_issue_ids(issue_ids: Sequence[int]) -> list[list[str]]:
    rows = (
        await IssueTag.filter(issue_id__in=issue_ids)
        .order_by("tag__name")
        .values_list("issue_id", "tag__name")
    )
    return grouped(rows, issue_ids)


async def subscriber_counts_by_issue_ids(issue_ids: Sequence[int]) -> list[int]:
    counted = Issue.filter(id__in=issue_ids).annotate(
        subscribers=RawSQL(subscriber_count(table(Issue)))
    )
    counts = dict(await counted.values_list("id", "subscribers"))
    return [counts.get(key, 0) for key in issue_ids]


async def changeable_by_issue_ids(actor: Actor, issue_ids: Sequence[int]) -> list[bool]:
    """Whether the actor may change each issue now (`managed_open_issue`'s rule)."""
    if not actor.is_authenticated:
        return [False for _ in issue_ids]
    allowed = may_change_issue_sql(table(Issue), viewer_of(actor))
    found = await where(Issue.filter(id__in=issue_ids), allowed).values_list("id", flat=True)
    changeable: set[Any] = set(found)
    return [key in changeable for key in issue_ids]


async def issues_by_category_ids(actor: Actor, category_ids: Sequence[int]) -> list[list[Issue]]:
    """Visible, not deleted issues of each category, newest first."""
    visible_ids = visible_issues(actor).values_list("id", flat=True)
    links = (
        await IssueCategory.filter(category_id__in=category_ids, issue_id__in=Subquery(visible_ids))
        .select_related("issue")
        .order_by("-issue_id")
    )
    return grouped([(link.category_id, link.issue) for link in links], category_ids)


async def issues_by_company_ids(actor: Actor, company_ids: Sequence[int]) -> list[list[Issue]]:
    """Visible, not deleted issues in any category of each company, newest first."""
    visible_ids = visible_issues(actor).values_list("id", flat=True)
    links = (
        await IssueCategory.filter(
            category__company_id__in=company_ids, issue_id__in=Subquery(visible_ids)
        )
        .select_related("issue", "category")
        .order_by("-issue_id")
    )
    seen: set[tuple[int, int]] = set()
    pairs = []
    for link in links:
        key = (link.category.company_id, link.issue_id)
        if key not in seen:
            seen.add(key)
            pairs.append((link.category.company_id, link.issue))
    return grouped(pairs, company_ids)


async def invitations_by_issue_ids(
    actor: Actor, issue_ids: Sequence[int]
) -> list[list[Invitation]]:
    """Invitations name people by address, so only those taking part in the issue see them."""
    if not actor.is_authenticated:
        return [[] for _ in issue_ids]
    shown = for_those_taking_part(f"{table(Invitation)}.issue_id", viewer_of(actor))
    invitations = await where(Invitation.filter(issue_id__in=issue_ids), shown).order_by("id")
    return grouped([(invitation.issue_id, invitation) for invitation in invitations], issue_ids)


@dataclass(frozen=True, slots=True)
class IssueWebhook:
    """An issue's own webhook: its URL, and the secret its deliveries are signed with."""

    url: str | None
    secret: str | None


async def webhooks_by_issue_ids(
    actor: Actor, issue_ids: Sequence[int]
) -> list[IssueWebhook | None]:
    """An issue's webhook URL may carry a secret, and its signing secret is one: only those
    taking part in it see them (None for the others)."""
    if actor.user_id is None:
        return [None for _ in issue_ids]
    shown = webhook_shown(table(Issue), viewer_of(actor))
    rows = await where(Issue.filter(id__in=issue_ids), shown).values_list(
        "id", "webhook_url", "webhook_secret"
    )
    webhooks = {row[0]: IssueWebhook(row[1], row[2]) for row in rows}
    return [webhooks.get(key) for key in issue_ids]


async def action_items_by_issue_ids(issue_ids: Sequence[int]) -> list[list[ActionItem]]:
    items = await ActionItem.filter(issue_id__in=issue_ids).order_by("id")
    return grouped([(item.issue_id, item) for item in items], issue_ids)


async def facts_by_issue_ids(issue_ids: Sequence[int]) -> list[list[Fact]]:
    facts = await Fact.filter(issue_id__in=issue_ids).order_by("id")
    return grouped([(fact.issue_id, fact) for fact in facts], issue_ids)


async def uploads_by_issue_ids(issue_ids: Sequence[int]) -> list[list[Upload]]:
    uploads = await Upload.filter(issue_id__in=issue_ids).order_by("id")
    return grouped([(upload.issue_id, upload) for upload in uploads], issue_ids)


async def participants_with_company_names_by_issue_ids(
    actor: Actor, issue_ids: Sequence[int]
) -> list[list[tuple[User, str | None]]]:
    """Each issue's participants, with the name of each one's first company the actor may
    see, in one statement."""
    user_id = f"{table(IssueParticipant)}.user_id"
    company_name = RawSQL(first_visible_company_name(user_id, viewer_of(actor)))
    links = (
        await IssueParticipant.filter(issue_id__in=issue_ids)
        .annotate(company_name=company_name)
        .select_related("user")
        .order_by("id")
    )
    pairs = [(link.issue_id, (link.user, link.company_name)) for link in links]  # type: ignore[attr-defined]
    return grouped(pairs, issue_ids)
