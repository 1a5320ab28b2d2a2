"""One check per action; each raises Forbidden. Visibility (NotFound) is settled before these.

Managing an issue (editing, closing, deleting it, changing its parts) needs access to every
company of its categories; for an issue without categories, taking part in it. The rule is SQL,
so the lookup of the issue checks it in the same statement."""

from collections.abc import Iterable
from enum import IntEnum

from ...models import Membership, Role
from .actor import Actor, require_user
from .errors import Forbidden
from .involvement import takes_part_sql

MANAGER_ROLES = (Role.OWNER, Role.ADMIN)


class IssueManagement(IntEnum):
    """Whether the viewer may manage an issue, and if not, why."""

    ALLOWED = 0
    NO_COMPANY_ACCESS = 1
    NOT_TAKING_PART = 2


def issue_management_sql(issue: str, viewer: str) -> str:
    """SQL: the viewer's `IssueManagement` for the issue row `issue`."""
    categories = f"SELECT 1 FROM issue_categories AS m_ic WHERE m_ic.issue_id = {issue}.id"
    without_access = (
        "SELECT 1 FROM issue_categories AS m_ic"
        " JOIN categories AS m_ca ON m_ca.id = m_ic.category_id"
        f" WHERE m_ic.issue_id = {issue}.id AND NOT EXISTS (SELECT 1 FROM memberships AS m_m"
        f" WHERE m_m.company_id = m_ca.company_id AND m_m.user_id = {viewer})"
    )
    return (
        f"CASE WHEN EXISTS ({categories})"
        f" THEN CASE WHEN EXISTS ({without_access}) THEN {IssueManagement.NO_COMPANY_ACCESS}"
        f" ELSE {IssueManagement.ALLOWED} END"
        f" WHEN {takes_part_sql(issue, viewer)} THEN {IssueManagement.ALLOWED}"
        f" ELSE {IssueManagement.NOT_TAKING_PART} END"
    )


def ensure_may_manage_issue(management: int) -> None:
    if management == IssueManagement.NO_COMPANY_ACCESS:
        raise Forbidden("You must have access to every company of the issue's categories.")
    if management == IssueManagement.NOT_TAKING_PART:
        raise Forbidden("Only the owner and participants may change this issue.")


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


def ensure_manager_role(
    role: Role, message: str = "Only owners and admins of the company may do this."
) -> None:
    """Owners and admins manage a company's members, change its visibility (public or private)
    and may delete it; its other members edit its name and logo and manage its categories."""
    if role not in MANAGER_ROLES:
        raise Forbidden(message)


async def ensure_company_manager(actor: Actor, company_id: int) -> Role:
    role = await ensure_member(actor, company_id)
    ensure_manager_role(role)
    return role


async def ensure_access_to_companies(actor: Actor, company_ids: Iterable[int]) -> None:
    wanted = set(company_ids)
    user = require_user(actor)
    mine = await Membership.filter(user_id=user.id, company_id__in=wanted).values_list(
        "company_id", flat=True
    )
    if wanted - set(mine):
        raise Forbidden("You must have access to every company of the issue's categories.")
