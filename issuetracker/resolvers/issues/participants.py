"""Who takes part in an issue: invitations by e-mail, joining through them, and leaving."""

import uuid
from dataclasses import dataclass
from enum import Enum

from tortoise.transactions import in_transaction

from ...models import Invitation, Issue, IssueParticipant, User
from ...notifications.outbox import enqueue_email
from ..accounts.addresses import masked_email
from ..core.actor import require_verified_user
from ..core.errors import ErrorCode, NotFound, ValidationFailed
from ..core.ids import is_row_id
from ..core.scope import Scope
from ..core.sql import table, viewer_of, where
from ..core.validation import Collector
from .participation import invite_in_one_statement, remove_in_one_statement
from .relations import invitation_shown
from .writes import managed_open_issue


class InvitationOutcome(Enum):
    ACCEPTED = "accepted"
    ALREADY = "already"
    GONE = "gone"


@dataclass(frozen=True, slots=True)
class LinkedInvitation:
    """What the page behind an invitation's link names: the issue, who invites, and whom."""

    issue_name: str
    invited_by: str | None
    """The inviter's name; None when their account is gone."""
    masked_email: str


async def touch(scope: Scope, issue: Issue, part: str) -> None:
    """Stamps when a part of the issue (one of `PART_TIMES`) changed."""
    setattr(issue, part, scope.now)
    await issue.save(update_fields=[part, "updated_at"])


async def get_invitation(scope: Scope, invitation_id: int) -> Invitation:
    """Invitations name people by address: only those taking part in the issue see them."""
    viewer = viewer_of(scope.actor)
    invitation = None
    if viewer is not None and is_row_id(invitation_id):
        shown = invitation_shown(table(Invitation), viewer)
        invitation = await where(Invitation.filter(id=invitation_id), shown).first()
    if invitation is None:
        raise NotFound()
    return invitation


async def invite_to_issue(scope: Scope, issue_id: int, email: str | None) -> Invitation:
    invited = await invite_in_one_statement(scope, issue_id, email)
    return invited if invited is not None else await invite_by_orm(scope, issue_id, email)


async def invite_by_orm(scope: Scope, issue_id: int, email: str | None) -> Invitation:
    """The ORM's path: the reference the one statement is held to, and SQLite's."""
    return await invite(scope, await managed_open_issue(scope, issue_id), email)


async def invite(scope: Scope, issue: Issue, email: str | None) -> Invitation:
    """The invitee gets an e-mail with a link; asking again for the same address sends nothing
    more and answers the pending invitation. `issue` is one the caller may manage."""
    user = require_verified_user(scope.actor)  # an unverified sign-up may not e-mail strangers
    check = Collector()
    address = check.email("email", email) or ""
    check.raise_if_any()
    if await IssueParticipant.exists(issue_id=issue.id, user__email=address):
        raise ValidationFailed.single("email", "This person already takes part.", ErrorCode.TAKEN)
    existing = await Invitation.get_or_none(issue_id=issue.id, email=address)
    if existing is not None:
        return existing
    async with in_transaction():
        invitation = await Invitation.create(issue=issue, email=address, invited_by=user)
        await enqueue_email(
            scope.now,
            address,
            "issue_invitation",
            {"invitation_id": invitation.id, "issue_name": issue.name, "invited_by": user.name},
        )
        await touch(scope, issue, "involvements_updated_at")
    return invitation


async def invitation_of_link(invitation_id: int) -> LinkedInvitation | None:
    """Called with a verified signed link, which proves the address: None when the invitation
    or its issue is gone."""
    invitation = await Invitation.get_or_none(id=invitation_id).select_related(
        "issue", "invited_by"
    )
    if invitation is None or invitation.issue.deleted_at is not None:
        return None
    inviter = invitation.invited_by.name if invitation.invited_by is not None else None
    return LinkedInvitation(invitation.issue.name, inviter, masked_email(invitation.email))


async def accept_invitation(scope: Scope, invitation_id: int) -> InvitationOutcome:
    """Reached through the signed link in the invitation, which proves the address: a new
    address gets a (verified, password-less) account; the person joins the issue."""
    invitation = await Invitation.get_or_none(id=invitation_id).select_related("issue")
    if invitation is None or invitation.issue.deleted_at is not None:
        return InvitationOutcome.GONE
    if invitation.accepted_at is not None:
        return InvitationOutcome.ALREADY
    async with in_transaction():
        user = await User.get_or_none(email=invitation.email)
        if user is None:
            name = invitation.email.partition("@")[0]
            user = await User.create(
                guid=uuid.uuid4(), email=invitation.email, name=name, email_verified_at=scope.now
            )
        await IssueParticipant.get_or_create(issue_id=invitation.issue_id, user_id=user.id)
        invitation.accepted_at, invitation.accepted_by_id = scope.now, user.id
        await invitation.save(update_fields=["accepted_at", "accepted_by_id", "updated_at"])
        await touch(scope, invitation.issue, "involvements_updated_at")
    return InvitationOutcome.ACCEPTED


async def remove_participant(scope: Scope, issue_id: int, user_id: int) -> Issue:
    removed = await remove_in_one_statement(scope, issue_id, user_id)
    return removed if removed is not None else await remove_by_orm(scope, issue_id, user_id)


async def remove_by_orm(scope: Scope, issue_id: int, user_id: int) -> Issue:
    """The ORM's path: the reference the one statement is held to, and SQLite's."""
    issue = await managed_open_issue(scope, issue_id)
    if user_id == issue.owner_id:
        message = "The owner always takes part; choose another owner first."
        raise ValidationFailed.single("user_id", message, ErrorCode.OWNER)
    removed = await IssueParticipant.filter(issue_id=issue.id, user_id=user_id).delete()
    if not removed:
        message = "This person does not take part."
        raise ValidationFailed.single("user_id", message, ErrorCode.UNKNOWN)
    await touch(scope, issue, "involvements_updated_at")
    return issue
