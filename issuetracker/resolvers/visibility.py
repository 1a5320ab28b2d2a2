"""Who may see what, as query filters: every read path applies them inside the database.

A company is visible when public or when the actor is a member; a category when its company is
visible; an issue (not deleted) when one of its categories is visible, or the actor owns it or
takes part in it. A deleted issue is seen only by those taking part in it, and only when asked
for.
"""

from tortoise.expressions import Q, Subquery
from tortoise.queryset import QuerySet, ValuesListQuery

from ..models import Category, Company, Issue, IssueCategory, IssueParticipant, Membership
from .actor import Actor
from .errors import ValidationFailed
from .pagination import MAX_ID


def member_company_ids(actor: Actor) -> ValuesListQuery:
    return Membership.filter(user_id=actor.user_id or 0).values_list("company_id", flat=True)


def visible_company_condition(actor: Actor) -> Q:
    if not actor.is_authenticated:
        return Q(is_public=True)
    return Q(is_public=True) | Q(id__in=Subquery(member_company_ids(actor)))


def visible_companies(actor: Actor) -> QuerySet[Company]:
    return Company.filter(visible_company_condition(actor))


def visible_company_ids(actor: Actor) -> ValuesListQuery:
    return visible_companies(actor).values_list("id", flat=True)


def visible_categories(actor: Actor) -> QuerySet[Category]:
    return Category.filter(company_id__in=Subquery(visible_company_ids(actor)))


def visible_issue_condition(actor: Actor) -> Q:
    in_visible_category = IssueCategory.filter(
        category__company_id__in=Subquery(visible_company_ids(actor))
    ).values_list("issue_id", flat=True)
    condition = Q(id__in=Subquery(in_visible_category))
    if actor.is_authenticated:
        taking_part = IssueParticipant.filter(user_id=actor.user_id).values_list(
            "issue_id", flat=True
        )
        condition |= Q(owner_id=actor.user_id) | Q(id__in=Subquery(taking_part))
    return condition


def visible_issues(actor: Actor, *, include_deleted: bool = False) -> QuerySet[Issue]:
    """Deleted issues, when included, only to the people taking part in them."""
    issues = Issue.filter(visible_issue_condition(actor))
    if not include_deleted or not actor.is_authenticated:
        return issues.filter(deleted_at__isnull=True)
    taking_part = IssueParticipant.filter(user_id=actor.user_id).values_list("issue_id", flat=True)
    return issues.filter(Q(deleted_at__isnull=True) | Q(id__in=Subquery(taking_part)))


async def ensure_all_visible(visible: QuerySet, ids: list[int] | None, field: str) -> None:
    """Ids given as filters must name rows the actor can see; unknown and hidden look alike."""
    if not ids:
        return
    wanted = set(ids)
    in_range = all(0 < row_id <= MAX_ID for row_id in wanted)
    if not in_range or await visible.filter(id__in=wanted).count() != len(wanted):
        raise ValidationFailed.single(
            field, f"The selected {field.replace('_', ' ')} are invalid.", "UNKNOWN"
        )
