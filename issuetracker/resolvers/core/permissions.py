"""One check per action; each raises Forbidden. Visibility (NotFound) is settled before these.

Managing an issue (editing, closing, deleting it, changing its parts) needs access to every
company of its categories; for an issue without categories, taking part in it. The rule is SQL,
so the lookup of the issue checks it in the same statement."""

from collections.abc import Iterable
from enum import IntEnum

from ...models import IssueStatus, Membership, Role
from .actor import Actor, require_user
from .errors import Forbidden, IssueClosed
from .fragments import inner
from .involvement import takes_part_sql
from .sql import is_limited, own_membership_sql

MANAGER_ROLES = (Role.OWNER, Role.ADMIN)


class IssueManagement(IntEnum):
    """Whether the viewer may manage an issue, and if not, why."""

    ALLOWED = 0
    NO_COMPANY_ACCESS = 1
    NOT_TAKING_PART = 2
    CLOSED = 3
    """Theirs to manage, but closed: it takes no changes."""


def _managing_sql(issue: str, viewer: str) -> str:
    """SQL: the viewer's `IssueManagement` for the issue row `issue`, its status aside."""
    link, category = inner(issue, "link"), inner(issue, "category")
    membership = inner(category, "membership")
    categories = f"SELECT 1 FROM issue_categories AS {link} WHERE {link}.issue_id = {issue}.id"
    without_access = (
        f"SELECT 1 FROM issue_categories AS {link}"
        f" JOIN categories AS {category} ON {category}.id = {link}.category_id"
        f" WHERE {link}.issue_id = {issue}.id"
        f" AND NOT EXISTS (SELECT 1 FROM memberships AS {membership}"
        f" WHERE {membership}.company_id = {category}.company_id"
        f" AND {own_membership_sql(membership, viewer)})"
    )
    # Issues without categories are out of a company-limited token's reach.
    taking_part = "1 = 0" if is_limited(viewer) else takes_part_sql(issue, viewer)
    return (
        f"CASE WHEN EXISTS ({categories})"
        f" THEN CASE WHEN EXISTS ({without_access}) THEN {IssueManagement.NO_COMPANY_ACCESS}"
        f" ELSE {IssueManagement.ALLOWED} END"
        f" WHEN {taking_part} THEN {IssueManagement.ALLOWED}"
        f" ELSE {IssueManagement.NOT_TAKING_PART} END"
    )


def issue_management_sql(issue: str, viewer: str) -> str:
    """SQL: the viewer's `IssueManagement` for the issue row `issue` (closed only once the
    viewer may otherwise manage it, so they learn why they may not first)."""
    managing = _managing_sql(issue, viewer)
    return (
        f"CASE WHEN {issue}.status = '{IssueStatus.CLOSED.value}' AND ({managing})"
        f" = {IssueManagement.ALLOWED} THEN {IssueManagement.CLOSED} ELSE {managing} END"
    )


def may_change_issue_sql(issue: str, viewer: str | None) -> str:
    """SQL: the viewer may change the issue row `issue` now, exactly when `managed_open_issue`
    lets them (a deleted issue is not found there): the flags `viewerCanUpdate` and the like,
    and the check of the one-statement writes. It implies `issue_visible` (access to every
    company of its categories makes one of them visible; without categories, the viewer takes
    part), so those statements need not ask that too."""
    if viewer is None:
        return "1 = 0"
    return (
        f"({issue}.deleted_at IS NULL AND {issue}.status <> '{IssueStatus.CLOSED.value}'"
        f" AND ({_managing_sql(issue, viewer)}) = {IssueManagement.ALLOWED})"
    )


def ensure_may_manage_issue(management: int) -> None:
    if management == IssueManagement.NO_COMPANY_ACCESS:
        raise Forbidden("You must have access to every company of the issue's categories.")
    if management == IssueManagement.NOT_TAKING_PART:
        raise Forbidden("Only the owner and participants may change this issue.")
    if management == IssueManagement.CLOSED:
        raise IssueClosed()


def member_sql(company_id: str, viewer: str | None, roles: Iterable[Role] = tuple(Role)) -> str:
    """SQL: the viewer is a member of the company (an SQL expression for its id) in one of
    `roles`: what `ensure_member` and, with `MANAGER_ROLES`, `ensure_company_manager` ask."""
    if viewer is None:
        return "1 = 0"
    listed = ", ".join(f"'{role.value}'" for role in roles)
    membership = inner(company_id, "member")
    return (
        f"EXISTS (SELECT 1 FROM memberships AS {membership}"
        f" WHERE {membership}.company_id = {company_id}"
        f" AND {own_membership_sql(membership, viewer)} AND {membership}.role IN ({listed}))"
    )


async def role_in_company(actor: Actor, company_id: int) -> Role | None:
    if not actor.is_authenticated or not within_limit(actor, company_id):
        return None
    membership = await Membership.get_or_none(user_id=actor.user_id, company_id=company_id)
    return membership.role if membership else None


def within_limit(actor: Actor, company_id: int) -> bool:
    """Whether a company-limited token may use its user's membership of the company."""
    return actor.companies is None or company_id in actor.companies


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
    if not manages(role):
        raise Forbidden(message)


def manages(role: Role | None) -> bool:
    """A role in a company (None for none) that administers it; `member_sql` with
    `MANAGER_ROLES` is the same rule in SQL."""
    return role in MANAGER_ROLES


async def ensure_company_manager(actor: Actor, company_id: int) -> Role:
    role = await ensure_member(actor, company_id)
    ensure_manager_role(role)
    return role


def ensure_reach_without_categories(actor: Actor) -> None:
    """An issue without categories is out of a company-limited token's reach."""
    if actor.companies is not None:
        raise Forbidden(
            f"This token is {actor.scope_text()}: an issue it files or edits needs a "
            "category of those companies."
        )


async def ensure_access_to_companies(actor: Actor, company_ids: Iterable[int]) -> None:
    wanted = set(company_ids)
    user = require_user(actor)
    if not all(within_limit(actor, company_id) for company_id in wanted):
        raise Forbidden(f"This token is {actor.scope_text()}: it may not reach these companies.")
    mine = await Membership.filter(user_id=user.id, company_id__in=wanted).values_list(
        "company_id", flat=True
    )
    if wanted - set(mine):
        raise Forbidden("You must have access to every company of the issue's categories.")
