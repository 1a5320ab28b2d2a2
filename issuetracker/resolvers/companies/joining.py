"""Joining a company is the invitee's choice: the person whose address was invited sees the
invitation, and accepts or declines it, signed in (once their address is verified) or through
the signed links of the invitation e-mail, which prove the address."""

from dataclasses import dataclass
from enum import Enum

from tortoise.expressions import Q, Subquery
from tortoise.queryset import QuerySet
from tortoise.transactions import in_transaction

from ...models import AuditAction, CompanyInvitation, Membership, User, UserStatus
from ..accounts.addresses import masked_email
from ..audit.record import changed, record
from ..core.actor import Actor, require_user
from ..core.errors import NotFound
from ..core.ids import is_row_id
from ..core.pagination import Page, Pagination, paginate
from ..core.scope import Scope
from .invitations import NOT_FOUND, managed_invitations, pending


class LinkOutcome(Enum):
    DONE = "done"
    ALREADY = "already"
    """Accepted before."""
    GONE = "gone"
    """Declined, cancelled, expired, or its company deleted."""
    UNVERIFIED = "unverified"
    """The address's account has a password but an unverified address: whoever chose that
    password may not be the address's owner, so the link does not make it a member."""


@dataclass(frozen=True, slots=True)
class LinkedCompanyInvitation:
    """What the page behind an invitation's link names."""

    company_name: str
    invited_by: str | None
    """The inviter's name; None when their account is gone."""
    role: str
    masked_email: str
    accepted: bool


def invitations_to(user: User) -> QuerySet[CompanyInvitation]:
    """The invitations to the user's address, once it is verified: before, the account may be
    someone else's sign-up with that address."""
    if user.email_verified_at is None:
        return CompanyInvitation.filter(id__in=[])
    return CompanyInvitation.filter(email=user.email)


def seen_invitations(scope: Scope) -> QuerySet[CompanyInvitation]:
    """An invitation is seen by the person invited and by its company's owners and admins."""
    user = require_user(scope.actor)
    managed = managed_invitations(user.id).values_list("id", flat=True)
    mine = invitations_to(user).values_list("id", flat=True)
    return CompanyInvitation.filter(Q(id__in=Subquery(managed)) | Q(id__in=Subquery(mine)))


async def get_company_invitation(scope: Scope, invitation_id: int) -> CompanyInvitation:
    invitation = None
    if scope.actor.is_authenticated and is_row_id(invitation_id):
        found = seen_invitations(scope).filter(id=invitation_id)
        invitation = await found.select_related("company").first()
    if invitation is None:
        raise NotFound(NOT_FOUND)
    return invitation


async def list_my_company_invitations(scope: Scope, page: Pagination) -> Page[CompanyInvitation]:
    """The viewer's pending invitations, oldest first."""
    user = require_user(scope.actor)
    mine = pending(invitations_to(user), scope).select_related("company")
    return await paginate(mine, page, newest_first=False)


async def _invitation_for_me(scope: Scope, invitation_id: int) -> CompanyInvitation:
    """One of the viewer's invitations, pending or accepted; NOT_FOUND for anyone else's."""
    user = require_user(scope.actor)
    invitation = None
    if is_row_id(invitation_id):
        mine = invitations_to(user).filter(id=invitation_id)
        standing = Q(accepted_at__isnull=False) | Q(expires_at__gt=scope.now)
        invitation = await mine.filter(standing).select_related("company").first()
    if invitation is None:
        raise NotFound(NOT_FOUND)
    return invitation


async def accept_company_invitation(scope: Scope, invitation_id: int) -> CompanyInvitation:
    """The viewer joins the company in the invitation's role; accepting again changes nothing,
    and someone already a member keeps their role."""
    invitation = await _invitation_for_me(scope, invitation_id)
    user = require_user(scope.actor)
    await _join(scope, invitation, user)
    return invitation


async def decline_company_invitation(scope: Scope, invitation_id: int) -> CompanyInvitation:
    """The invitation is deleted, as it was; one accepted before is not pending any more."""
    invitation = await _invitation_for_me(scope, invitation_id)
    if invitation.accepted_at is not None:
        raise NotFound(NOT_FOUND)
    await invitation.delete()
    return invitation


async def _join(scope: Scope, invitation: CompanyInvitation, user: User) -> None:
    """Marks the invitation accepted and makes the user a member, once (of two at the same
    time, one does it)."""
    if invitation.accepted_at is not None:
        return
    async with in_transaction():
        marked = await CompanyInvitation.filter(id=invitation.id, accepted_at__isnull=True).update(
            accepted_at=scope.now
        )
        if marked:
            role = {"role": invitation.role}
            _, joined = await Membership.get_or_create(
                user_id=user.id, company_id=invitation.company_id, defaults=role
            )
            if joined:  # through a link, the joining user is the actor, signed in or not
                await record(
                    scope.acting_as(Actor(user=user)),
                    AuditAction.MEMBER_JOINED,
                    ("User", user.id),
                    company_id=invitation.company_id,
                    changes=[changed("role", None, invitation.role.name)],
                )
    invitation.accepted_at = scope.now


# --- through the e-mail's links, which prove the address ----------------------------------------


async def _linked(scope: Scope, invitation_id: int) -> CompanyInvitation | None:
    """The invitation a link names, pending or accepted; None when it is gone."""
    invitation = await CompanyInvitation.get_or_none(id=invitation_id).select_related(
        "company", "invited_by"
    )
    if invitation is None:
        return None
    if invitation.accepted_at is None and invitation.expires_at <= scope.now:
        return None
    return invitation


async def company_invitation_of_link(
    scope: Scope, invitation_id: int
) -> LinkedCompanyInvitation | None:
    invitation = await _linked(scope, invitation_id)
    if invitation is None:
        return None
    inviter = invitation.invited_by.name if invitation.invited_by is not None else None
    return LinkedCompanyInvitation(
        invitation.company.name,
        inviter,
        invitation.role.value,
        masked_email(invitation.email),
        invitation.accepted_at is not None,
    )


async def accept_by_link(scope: Scope, invitation_id: int) -> LinkOutcome:
    """The account with the invited address joins: a verified one, or one without a password
    (made for an invitation: nobody signs in to it before choosing one through a link sent to
    the address)."""
    invitation = await _linked(scope, invitation_id)
    if invitation is None:
        return LinkOutcome.GONE
    if invitation.accepted_at is not None:
        return LinkOutcome.ALREADY
    user = await User.get_or_none(email=invitation.email)
    if user is None or user.status is not UserStatus.ACTIVE:
        return LinkOutcome.GONE
    if user.email_verified_at is None and user.password_hash:
        return LinkOutcome.UNVERIFIED
    await _join(scope, invitation, user)
    return LinkOutcome.DONE


async def decline_by_link(scope: Scope, invitation_id: int) -> LinkOutcome:
    invitation = await _linked(scope, invitation_id)
    if invitation is None:
        return LinkOutcome.GONE
    if invitation.accepted_at is not None:
        return LinkOutcome.ALREADY
    await invitation.delete()
    return LinkOutcome.DONE
