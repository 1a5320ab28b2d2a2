"""A company's members: owners and admins manage them (people join by invitation, see
`invitations`); only owners make or unmake owners, and a company always keeps one."""

from tortoise.transactions import in_transaction

from ...models import AuditAction, Company, Membership, Role
from ..audit.record import changed, record
from ..core.actor import require_user
from ..core.errors import ErrorCode, Forbidden, NotFound, ValidationFailed
from ..core.permissions import ensure_company_manager, ensure_member
from ..core.scope import Scope
from .companies import get_company


async def managed_company(scope: Scope, company_id: int, role: Role) -> tuple[Company, Role]:
    """The company and the actor's role in it, when the actor may give someone `role`."""
    require_user(scope.actor)
    company = await get_company(scope, company_id)
    actor_role = await ensure_company_manager(scope.actor, company.id)
    if role is Role.OWNER and actor_role is not Role.OWNER:
        raise Forbidden("Only owners may make someone an owner.")
    return company, actor_role


async def change_company_member_role(
    scope: Scope, company_id: int, user_id: int, role: Role
) -> Membership:
    company, actor_role = await managed_company(scope, company_id, role)
    async with in_transaction():
        membership = await Membership.get_or_none(company_id=company.id, user_id=user_id)
        if membership is None:
            raise NotFound("Member not found.")
        before = membership.role
        await _set_role(actor_role, membership, role, "role")
        if before is not role:
            change = changed("role", before.name, role.name)
            await record(
                scope,
                AuditAction.MEMBER_ROLE_CHANGED,
                ("User", user_id),
                company_id=company.id,
                changes=[change],
            )
    return membership


async def _set_role(actor_role: Role, membership: Membership, role: Role, field: str) -> None:
    if membership.role is role:
        return
    if membership.role is Role.OWNER or role is Role.OWNER:
        await _ensure_owner_change_allowed(actor_role, membership.company_id, membership, field)
    membership.role = role
    await membership.save(update_fields=["role"])


async def remove_company_member(scope: Scope, company_id: int, user_id: int) -> Membership:
    require_user(scope.actor)
    company = await get_company(scope, company_id)
    leaving_self = scope.actor.user_id == user_id
    actor_role = await (ensure_member if leaving_self else ensure_company_manager)(
        scope.actor, company.id
    )
    async with in_transaction():
        membership = await Membership.get_or_none(company_id=company.id, user_id=user_id)
        if membership is None:
            raise NotFound("Member not found.")
        if membership.role is Role.OWNER:
            await _ensure_owner_change_allowed(actor_role, company.id, membership, "user_id")
        await membership.delete()
        change = changed("role", membership.role.name, None)
        await record(
            scope,
            AuditAction.MEMBER_REMOVED,
            ("User", user_id),
            company_id=company.id,
            changes=[change],
        )
    return membership


async def _ensure_owner_change_allowed(
    actor_role: Role, company_id: int, owner: Membership, field: str
) -> None:
    """`field` is the input field that names the person, for the payload error."""
    if actor_role is not Role.OWNER:
        raise Forbidden("Only owners may change another owner.")
    if owner.role is Role.OWNER:
        # Locks the owners' rows (on PostgreSQL) so two owners cannot remove each other at once.
        owners = await Membership.filter(company_id=company_id, role=Role.OWNER).select_for_update()
        if len(owners) <= 1:
            message = "A company must keep at least one owner."
            raise ValidationFailed.single(field, message, ErrorCode.LAST_OWNER)
