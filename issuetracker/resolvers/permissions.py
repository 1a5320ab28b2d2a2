"""One check per action; each raises Forbidden. Visibility (NotFound) is settled before these."""

from collections.abc import Iterable

from ..models import Category, Issue, IssueParticipant, Membership, Role
from .actor import Actor, require_user
from .errors import Forbidden

MANAGER_ROLES = (Role.OWNER, Role.ADMIN)


async def role_in_company(actor: Actor, company_id: int) -> Role | None:
    if not actor.is_authenticated:
        return None
    membership = await Membership.get_or_none(user_id=actor.user_id, company_id=company_id)
    return membership.role if membership else None


async def ensure_member(actor: Actor, company_id: int) -> Role:
    require_user(actor)
    role = await role_in_company(actor, company_id)
    if role is None:
        raise Forbidden("You do not have access to this company.")
    return role


async def ensure_company_manager(actor: Actor, company_id: int) -> Role:
    role = await ensure_member(actor, company_id)
    if role not in MANAGER_ROLES:
        raise Forbidden("Only owners and admins of the company may do this.")
    return role


async def ensure_access_to_companies(actor: Actor, company_ids: Iterable[int]) -> None:
    wanted = set(company_ids)
    user = require_user(actor)
    mine = await Membership.filter(user_id=user.id, company_id__in=wanted).values_list(
        "company_id", flat=True
    )
    if wanted - set(mine):
        raise Forbidden("You must have access to every company of the issue's categories.")


async def ensure_can_manage_issue(actor: Actor, issue: Issue) -> None:
    """Access to every company of the issue's categories; for an issue without categories,
    being its owner or a participant. (New categories are checked where they are validated.)"""
    user = require_user(actor)
    rows = await Category.filter(issue_links__issue_id=issue.id).values("company_id")
    company_ids = {row["company_id"] for row in rows}
    if company_ids:
        await ensure_access_to_companies(actor, company_ids)
        return
    takes_part = issue.owner_id == user.id or await IssueParticipant.exists(
        issue_id=issue.id, user_id=user.id
    )
    if not takes_part:
        raise Forbidden("Only the owner and participants may change this issue.")
