"""Batched reads of relations, for DataLoaders and REST includes alike.

Each takes a list of keys and returns one result per key, in key order, with one SQL statement
for the whole batch; visibility is applied inside that statement.
"""

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from tortoise.expressions import Q, RawSQL, Subquery
from tortoise.functions import Count

from ...models import (
    ActionItem,
    Category,
    Company,
    DeliveryAttempt,
    Fact,
    Invitation,
    Issue,
    IssueCategory,
    IssueEvent,
    IssueParticipant,
    IssueTag,
    Membership,
    Role,
    Subscription,
    Upload,
    User,
)
from .actor import Actor
from .involvement import involved_issue_ids
from .permissions import may_change_issue_sql
from .sql import Viewer, table, viewer_of, where
from .visibility import company_visible, visible_categories, visible_companies, visible_issues


def _grouped(pairs: Sequence[tuple[int, Any]], keys: Sequence[int]) -> list[list[Any]]:
    groups: dict[int, list[Any]] = defaultdict(list)
    for key, value in pairs:
        groups[key].append(value)
    return [groups.get(key, []) for key in keys]


async def categories_by_issue_ids(actor: Actor, issue_ids: Sequence[int]) -> list[list[Category]]:
    visible_ids = visible_categories(actor).values_list("id", flat=True)
    links = (
        await IssueCategory.filter(issue_id__in=issue_ids, category_id__in=Subquery(visible_ids))
        .select_related("category")
        .order_by("category_id")
    )
    return _grouped([(link.issue_id, link.category) for link in links], issue_ids)


async def categories_by_company_ids(company_ids: Sequence[int]) -> list[list[Category]]:
    """Only called for companies the actor already sees, so all their categories are visible."""
    categories = await Category.filter(company_id__in=company_ids).order_by("id")
    return _grouped([(category.company_id, category) for category in categories], company_ids)


async def companies_by_ids(actor: Actor, company_ids: Sequence[int]) -> list[Company | None]:
    companies = await visible_companies(actor).filter(id__in=company_ids)
    by_id = {company.id: company for company in companies}
    return [by_id.get(key) for key in company_ids]


async def events_by_issue_ids(issue_ids: Sequence[int]) -> list[list[IssueEvent]]:
    events = await IssueEvent.filter(issue_id__in=issue_ids).order_by("id")
    return _grouped([(event.issue_id, event) for event in events], issue_ids)


async def users_by_ids(user_ids: Sequence[int]) -> list[User | None]:
    users = {user.id: user for user in await User.filter(id__in=user_ids)}
    return [users.get(key) for key in user_ids]


async def participants_by_issue_ids(issue_ids: Sequence[int]) -> list[list[User]]:
    links = (
        await IssueParticipant.filter(issue_id__in=issue_ids).select_related("user").order_by("id")
    )
    return _grouped([(link.issue_id, link.user) for link in links], issue_ids)


async def tags_by_issue_ids(issue_ids: Sequence[int]) -> list[list[str]]:
    rows = (
        await IssueTag.filter(issue_id__in=issue_ids)
        .order_by("tag__name")
        .values_list("issue_id", "tag__name")
    )
    return _grouped(rows, issue_ids)


async def subscriber_counts_by_issue_ids(issue_ids: Sequence[int]) -> list[int]:
    rows = (
        await Subscription.filter(issue_id__in=issue_ids, confirmed_at__isnull=False)
        .annotate(subscribers=Count("id"))
        .group_by("issue_id")
        .values_list("issue_id", "subscribers")
    )
    counts = dict(rows)
    return [counts.get(key, 0) for key in issue_ids]


async def roles_by_company_ids(actor: Actor, company_ids: Sequence[int]) -> list[Role | None]:
    if not actor.is_authenticated:
        return [None for _ in company_ids]
    rows = await Membership.filter(user_id=actor.user_id, company_id__in=company_ids).values_list(
        "company_id", "role"
    )
    roles = dict(rows)
    return [roles.get(key) for key in company_ids]


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
    return _grouped([(link.category_id, link.issue) for link in links], category_ids)


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
    return _grouped(pairs, company_ids)


async def attempts_by_message_ids(message_ids: Sequence[int]) -> list[list[DeliveryAttempt]]:
    attempts = await DeliveryAttempt.filter(message_id__in=message_ids).order_by("id")
    return _grouped([(attempt.message_id, attempt) for attempt in attempts], message_ids)


async def invitations_by_issue_ids(
    actor: Actor, issue_ids: Sequence[int]
) -> list[list[Invitation]]:
    """Invitations name people by address, so only those taking part in the issue see them."""
    if not actor.is_authenticated:
        return [[] for _ in issue_ids]
    mine = Q(issue_id__in=Subquery(involved_issue_ids(actor.user_id or 0)))
    invitations = await Invitation.filter(mine, issue_id__in=issue_ids).order_by("id")
    return _grouped([(invitation.issue_id, invitation) for invitation in invitations], issue_ids)


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
    mine = Issue.filter(id__in=issue_ids).filter(id__in=Subquery(involved_issue_ids(actor.user_id)))
    rows = await mine.values_list("id", "webhook_url", "webhook_secret")
    webhooks = {row[0]: IssueWebhook(row[1], row[2]) for row in rows}
    return [webhooks.get(key) for key in issue_ids]


async def action_items_by_issue_ids(issue_ids: Sequence[int]) -> list[list[ActionItem]]:
    items = await ActionItem.filter(issue_id__in=issue_ids).order_by("id")
    return _grouped([(item.issue_id, item) for item in items], issue_ids)


async def facts_by_issue_ids(issue_ids: Sequence[int]) -> list[list[Fact]]:
    facts = await Fact.filter(issue_id__in=issue_ids).order_by("id")
    return _grouped([(fact.issue_id, fact) for fact in facts], issue_ids)


async def uploads_by_issue_ids(issue_ids: Sequence[int]) -> list[list[Upload]]:
    uploads = await Upload.filter(issue_id__in=issue_ids).order_by("id")
    return _grouped([(upload.issue_id, upload) for upload in uploads], issue_ids)


def first_visible_company_name_sql(user_id: str, viewer: Viewer) -> str:
    """SQL: the name of the user's first company the viewer may see (Kinetic shows one)."""
    return (
        "(SELECT n_co.name FROM memberships AS n_m"
        " JOIN companies AS n_co ON n_co.id = n_m.company_id"
        f" WHERE n_m.user_id = {user_id} AND {company_visible('n_co', viewer)}"
        " ORDER BY n_m.id LIMIT 1)"
    )


async def participants_with_company_names_by_issue_ids(
    actor: Actor, issue_ids: Sequence[int]
) -> list[list[tuple[User, str | None]]]:
    """Each issue's participants, with the name of each one's first company the actor may
    see, in one statement."""
    user_id = f"{table(IssueParticipant)}.user_id"
    company_name = RawSQL(first_visible_company_name_sql(user_id, viewer_of(actor)))
    links = (
        await IssueParticipant.filter(issue_id__in=issue_ids)
        .annotate(company_name=company_name)
        .select_related("user")
        .order_by("id")
    )
    pairs = [(link.issue_id, (link.user, link.company_name)) for link in links]  # type: ignore[attr-defined]
    return _grouped(pairs, issue_ids)


async def company_names_by_user_ids(actor: Actor, user_ids: Sequence[int]) -> list[str | None]:
    """The name of each user's first company the actor may see, or None."""
    names = dict(
        await User.filter(id__in=user_ids)
        .annotate(
            company_name=RawSQL(
                first_visible_company_name_sql(f"{table(User)}.id", viewer_of(actor))
            )
        )
        .values_list("id", "company_name")
    )
    return [names.get(key) for key in user_ids]
