"""Working an issue together: participants, invitations by e-mail, action items and facts.

Whoever may manage an issue may change these; a closed issue takes no more changes. Each change
stamps the issue's matching `*_updated_at`.
"""

import uuid
from dataclasses import dataclass
from datetime import date
from enum import Enum
from typing import TypeVar

from tortoise.expressions import Subquery
from tortoise.transactions import in_transaction

from ..clock import utcnow
from ..models import ActionItem, Fact, Invitation, Issue, IssueParticipant, Upload, User
from ..notifications.outbox import enqueue_email
from .actor import Actor, require_user, require_verified_user
from .errors import NotFound, ValidationFailed
from .involvement import involved_issue_ids
from .issue_inputs import IssueChanges
from .issues import managed_open_issue, update_issue
from .pagination import MAX_ID
from .validation import Collector
from .visibility import visible_issues

MAX_TEXT = 65535
P = TypeVar("P", ActionItem, Fact)
Shown = TypeVar("Shown", ActionItem, Fact, Upload)


async def _touch(issue: Issue, part: str) -> None:
    setattr(issue, part, utcnow())
    await issue.save(update_fields=[part, "updated_at"])


# Reading one part (the faces' lookups by id)


async def get_issue_part(actor: Actor, model: type[Shown], part_id: int) -> Shown:
    """An action item, fact or upload of an issue the actor may see; hidden and missing look
    the same."""
    visible_ids = visible_issues(actor).values_list("id", flat=True)
    part = None
    if 0 < part_id <= MAX_ID:
        part = await model.get_or_none(id=part_id, issue_id__in=Subquery(visible_ids))
    if part is None:
        raise NotFound()
    return part


async def get_invitation(actor: Actor, invitation_id: int) -> Invitation:
    """Invitations name people by address: only those taking part in the issue see them."""
    invitation = None
    if actor.user_id is not None and 0 < invitation_id <= MAX_ID:
        mine = visible_issues(actor).filter(id__in=Subquery(involved_issue_ids(actor.user_id)))
        invitation = await Invitation.get_or_none(
            id=invitation_id, issue_id__in=Subquery(mine.values_list("id", flat=True))
        )
    if invitation is None:
        raise NotFound()
    return invitation


# Participants and invitations


async def invite_to_issue(actor: Actor, issue_id: int, email: str | None) -> Invitation:
    """The invitee gets an e-mail with a link; asking again for the same address sends nothing
    more and answers the pending invitation."""
    user = require_verified_user(actor)  # an unverified sign-up may not e-mail strangers
    issue = await managed_open_issue(actor, issue_id)
    check = Collector()
    address = check.email("email", email) or ""
    check.raise_if_any()
    if await IssueParticipant.exists(issue_id=issue.id, user__email=address):
        raise ValidationFailed.single("email", "This person already takes part.", "TAKEN")
    existing = await Invitation.get_or_none(issue_id=issue.id, email=address)
    if existing is not None:
        return existing
    async with in_transaction():
        invitation = await Invitation.create(issue=issue, email=address, invited_by=user)
        await enqueue_email(
            address,
            "issue_invitation",
            {"invitation_id": invitation.id, "issue_name": issue.name, "invited_by": user.name},
        )
        await _touch(issue, "involvements_updated_at")
    return invitation


class InvitationOutcome(Enum):
    ACCEPTED = "accepted"
    ALREADY = "already"
    GONE = "gone"


async def accept_invitation(invitation_id: int) -> InvitationOutcome:
    """Reached through the signed link in the invitation, which proves the address: a new
    address gets a (verified, password-less) account; the person joins the issue."""
    invitation = await Invitation.get_or_none(id=invitation_id).select_related("issue")
    if invitation is None or invitation.issue.deleted_at is not None:
        return InvitationOutcome.GONE
    if invitation.accepted_at is not None:
        return InvitationOutcome.ALREADY
    now = utcnow()
    async with in_transaction():
        user = await User.get_or_none(email=invitation.email)
        if user is None:
            name = invitation.email.partition("@")[0]
            user = await User.create(
                guid=uuid.uuid4(), email=invitation.email, name=name, email_verified_at=now
            )
        await IssueParticipant.get_or_create(issue_id=invitation.issue_id, user_id=user.id)
        invitation.accepted_at, invitation.accepted_by_id = now, user.id
        await invitation.save(update_fields=["accepted_at", "accepted_by_id", "updated_at"])
        await _touch(invitation.issue, "involvements_updated_at")
    return InvitationOutcome.ACCEPTED


async def remove_participant(actor: Actor, issue_id: int, user_id: int) -> Issue:
    issue = await managed_open_issue(actor, issue_id)
    if user_id == issue.owner_id:
        raise ValidationFailed.single(
            "user_id", "The owner always takes part; choose another owner first.", "OWNER"
        )
    removed = await IssueParticipant.filter(issue_id=issue.id, user_id=user_id).delete()
    if not removed:
        raise ValidationFailed.single("user_id", "This person does not take part.", "UNKNOWN")
    await _touch(issue, "involvements_updated_at")
    return issue


# Action items


@dataclass(frozen=True, slots=True)
class ActionItemChanges:
    description: str | None = None
    done: bool | None = None
    assignee_id: int | None = None
    clear_assignee: bool = False
    due_on: date | None = None
    clear_due_on: bool = False


async def _checked_assignee(check: Collector, issue: Issue, assignee_id: int | None) -> None:
    """Action items go to people taking part in the issue."""
    if assignee_id is None:
        return
    taking_part = 0 < assignee_id <= MAX_ID and await IssueParticipant.exists(
        issue_id=issue.id, user_id=assignee_id
    )
    if not taking_part:
        check.add("assignee_id", "The assignee must take part in the issue.", "UNKNOWN")


async def add_action_item(actor: Actor, issue_id: int, draft: ActionItemChanges) -> ActionItem:
    issue = await managed_open_issue(actor, issue_id)
    check = Collector()
    description = check.text("description", draft.description, max_length=MAX_TEXT)
    await _checked_assignee(check, issue, draft.assignee_id)
    check.raise_if_any()
    async with in_transaction():
        item = await ActionItem.create(
            issue=issue,
            description=description,
            done=bool(draft.done),
            assignee_id=draft.assignee_id,
            due_on=draft.due_on,
            created_by_id=actor.user_id,
        )
        await _touch(issue, "action_items_updated_at")
    return item


async def _managed_part(actor: Actor, model: type[P], part_id: int) -> tuple[P, Issue]:
    """A part of an issue, with the issue it belongs to, ready to change; the part of an issue
    the actor cannot see is not found."""
    require_user(actor)
    part = await model.get_or_none(id=part_id) if 0 < part_id <= MAX_ID else None
    if part is None:
        raise NotFound()
    return part, await managed_open_issue(actor, part.issue_id)


async def update_action_item(actor: Actor, item_id: int, changes: ActionItemChanges) -> ActionItem:
    item, issue = await _managed_part(actor, ActionItem, item_id)
    check = Collector()
    if changes.description is not None:
        item.description = check.text("description", changes.description, max_length=MAX_TEXT) or ""
    await _checked_assignee(check, issue, changes.assignee_id)
    check.raise_if_any()
    if changes.done is not None:
        item.done = changes.done
    if changes.assignee_id is not None or changes.clear_assignee:
        item.assignee_id = changes.assignee_id
    if changes.due_on is not None or changes.clear_due_on:
        item.due_on = changes.due_on
    async with in_transaction():
        await item.save()
        await _touch(issue, "action_items_updated_at")
    return item


async def delete_action_item(actor: Actor, item_id: int) -> ActionItem:
    item, issue = await _managed_part(actor, ActionItem, item_id)
    async with in_transaction():
        await item.delete()
        await _touch(issue, "action_items_updated_at")
    return item


# Facts


async def add_fact(actor: Actor, issue_id: int, description: str | None) -> Fact:
    issue = await managed_open_issue(actor, issue_id)
    text = _required_text(description)
    async with in_transaction():
        fact = await Fact.create(issue=issue, description=text, author_id=actor.user_id)
        await _touch(issue, "facts_updated_at")
    return fact


async def update_fact(actor: Actor, fact_id: int, description: str | None) -> Fact:
    fact, issue = await _managed_part(actor, Fact, fact_id)
    fact.description = _required_text(description)
    async with in_transaction():
        await fact.save()
        await _touch(issue, "facts_updated_at")
    return fact


async def delete_fact(actor: Actor, fact_id: int) -> Fact:
    fact, issue = await _managed_part(actor, Fact, fact_id)
    async with in_transaction():
        await fact.delete()
        await _touch(issue, "facts_updated_at")
    return fact


def _required_text(description: str | None) -> str:
    check = Collector()
    text = check.text("description", description, max_length=MAX_TEXT)
    check.raise_if_any()
    return text or ""


# The whole issue at once (Kinetic's PUT)


@dataclass(frozen=True, slots=True)
class PartEdit:
    """An action item or fact as sent with the issue: with an id it is changed, without one
    it is added."""

    id: int | None
    changes: ActionItemChanges


@dataclass(frozen=True, slots=True)
class IssueParts:
    invite: list[str | None]
    action_items: list[PartEdit]
    facts: list[PartEdit]


async def update_issue_and_parts(
    actor: Actor,
    issue_id: int,
    changes: IssueChanges,
    parts: IssueParts,
    *,
    allowed_webhook_hosts: list[str],
) -> Issue:
    """All or nothing: one transaction, so a refused part leaves the issue as it was. Parts go
    first, since the changes may close the issue."""
    async with in_transaction():
        await managed_open_issue(actor, issue_id)
        pending = {invitation.email for invitation in await Invitation.filter(issue_id=issue_id)}
        for address in parts.invite:
            if (address or "").strip().lower() not in pending:
                await invite_to_issue(actor, issue_id, address)
        for item in parts.action_items:
            if item.id is None:
                await add_action_item(actor, issue_id, item.changes)
            else:
                await update_action_item(
                    actor, await _own_part(ActionItem, item.id, issue_id), item.changes
                )
        for fact in parts.facts:
            if fact.id is None:
                await add_fact(actor, issue_id, fact.changes.description)
            else:
                await update_fact(
                    actor, await _own_part(Fact, fact.id, issue_id), fact.changes.description
                )
        return await update_issue(
            actor, issue_id, changes, allowed_webhook_hosts=allowed_webhook_hosts
        )


async def _own_part(model: type[ActionItem] | type[Fact], part_id: int, issue_id: int) -> int:
    """An id sent with an issue must name one of that issue's parts."""
    if not (0 < part_id <= MAX_ID and await model.exists(id=part_id, issue_id=issue_id)):
        field = "action_items" if model is ActionItem else "facts"
        raise ValidationFailed.single(field, f"The {field} name an unknown id.", "UNKNOWN")
    return part_id
