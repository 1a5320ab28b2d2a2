"""Inviting people into a company: owners and admins invite an address, see the invitations
waiting and cancel them. Nobody joins until they accept (see `joining`), and no answer tells
the inviter whether the address has an account or is a member already."""

from collections import defaultdict
from collections.abc import Sequence

from tortoise.expressions import Subquery
from tortoise.queryset import QuerySet
from tortoise.transactions import in_transaction

from ...models import AuditAction, Company, CompanyInvitation, Membership, Role, User
from ..accounts import account_emails
from ..accounts.invited import user_for_invitation
from ..accounts.limits import mail_limit
from ..accounts.ratelimits import try_take
from ..audit.record import changed, record
from ..core.actor import Actor, require_user, require_verified_user
from ..core.errors import Forbidden, NotFound
from ..core.ids import is_row_id
from ..core.permissions import MANAGER_ROLES, ensure_company_manager
from ..core.scope import Scope
from ..core.validation import Collector
from .members import managed_company

NOT_FOUND = "Invitation not found."


def managed_invitations(actor: Actor) -> QuerySet[CompanyInvitation]:
    """The invitations of the companies the actor owns or administers (within a company-limited
    token's companies), in any state."""
    if actor.user_id is None:
        return CompanyInvitation.filter(id__in=[])
    managed = Membership.filter(user_id=actor.user_id, role__in=MANAGER_ROLES)
    if actor.companies is not None:
        managed = managed.filter(company_id__in=actor.companies)
    company_ids = managed.values_list("company_id", flat=True)
    return CompanyInvitation.filter(company_id__in=Subquery(company_ids))


def pending(invitations: QuerySet[CompanyInvitation], scope: Scope) -> QuerySet[CompanyInvitation]:
    """Neither accepted nor expired."""
    return invitations.filter(accepted_at__isnull=True, expires_at__gt=scope.now)


async def invite_company_member(
    scope: Scope, company_id: int, email: str, role: Role
) -> CompanyInvitation:
    """A pending invitation for the address, e-mailed to it; an unknown address gets an
    account (without a password) and a link to choose one. Inviting an address again renews
    its invitation (the role, who invites, the expiry) and e-mails it again, within the limit
    of account e-mails an address receives. The answer is the same whoever the address is."""
    inviter = require_verified_user(scope.actor)  # an unverified sign-up may not e-mail strangers
    company, actor_role = await managed_company(scope, company_id, role)
    check = Collector()
    address = check.email("email", email) or ""
    check.raise_if_any()
    async with in_transaction():
        user = await user_for_invitation(address)
        invitation = await _renewed(scope, company, address, role, inviter, actor_role)
        invitation.company = company
        changes = [changed("email", None, address), changed("role", None, role.name)]
        await record(
            scope, AuditAction.MEMBER_INVITED, invitation, company_id=company.id, changes=changes
        )
        if await try_take([mail_limit(scope, address)], scope.now):
            await account_emails.company_invitation(scope, user, invitation, company, inviter)
    return invitation


async def _renewed(
    scope: Scope, company: Company, address: str, role: Role, inviter: User, actor_role: Role
) -> CompanyInvitation:
    values = {
        "role": role,
        "invited_by_id": inviter.id,
        "created_at": scope.now,
        "expires_at": scope.now + scope.policy.invitation_link_lifetime,
        "accepted_at": None,
    }
    invitation, created = await CompanyInvitation.get_or_create(
        company_id=company.id, email=address, defaults=values
    )
    if not created:
        waiting = invitation.accepted_at is None and invitation.expires_at > scope.now
        if waiting:
            _ensure_may_handle(actor_role, invitation.role)
        await invitation.update_from_dict(values).save()
    return invitation


def _ensure_may_handle(actor_role: Role, invited_as: Role) -> None:
    """An invitation to become an owner is for owners to change or cancel, as is making one."""
    if invited_as is Role.OWNER and actor_role is not Role.OWNER:
        raise Forbidden("Only owners may change or cancel an invitation to become an owner.")


async def add_company_member(
    scope: Scope, company_id: int, email: str, role: Role
) -> CompanyInvitation:
    """Kept for existing clients: it invites, as `invite_company_member` does (it used to add a
    known user at once, or change a member's role: `change_company_member_role` does that)."""
    return await invite_company_member(scope, company_id, email, role)


async def pending_invitations_by_company_ids(
    scope: Scope, company_ids: Sequence[int]
) -> list[list[CompanyInvitation]]:
    """Each company's pending invitations, oldest first, in one statement (for a loader): for
    its owners and admins; nobody else sees any."""
    mine = managed_invitations(scope.actor).filter(company_id__in=company_ids)
    rows = await pending(mine, scope).select_related("company").order_by("id")
    by_company: dict[int, list[CompanyInvitation]] = defaultdict(list)
    for invitation in rows:
        by_company[invitation.company_id].append(invitation)
    return [by_company.get(company_id, []) for company_id in company_ids]


async def cancel_company_invitation(scope: Scope, invitation_id: int) -> CompanyInvitation:
    """Deletes an invitation of a company the actor owns or administers (someone who already
    accepted it stays a member)."""
    require_user(scope.actor)
    invitation = None
    if is_row_id(invitation_id):
        found = managed_invitations(scope.actor).filter(id=invitation_id)
        invitation = await found.select_related("company").first()
    if invitation is None:
        raise NotFound(NOT_FOUND)
    actor_role = await ensure_company_manager(scope.actor, invitation.company_id)
    if invitation.accepted_at is None:
        _ensure_may_handle(actor_role, invitation.role)
    await invitation.delete()
    return invitation
