"""E-mail subscriptions: anyone may ask for a visible issue or category; the address confirms.
Addresses are never shown to anyone."""

from dataclasses import dataclass
from enum import Enum

from tortoise.exceptions import IntegrityError
from tortoise.transactions import in_transaction

from ..clock import utcnow
from ..models import Category, Issue, IssueStatus, Subscription
from ..notifications.signing import LINK_LIFETIME
from . import notify
from .actor import Actor
from .categories import get_category
from .errors import IssueClosed
from .issues import get_issue
from .validation import Collector


@dataclass(frozen=True, slots=True)
class SubscribeResult:
    subscription: Subscription
    created: bool
    """False when the address was already subscribed or pending: no e-mail is sent again."""


class LinkOutcome(Enum):
    DONE = "done"
    ALREADY = "already"
    GONE = "gone"


def _clean_email(email: str | None) -> str:
    check = Collector()
    address = check.email("email", email)
    check.raise_if_any()
    return address or ""


async def subscribe_to_issue(actor: Actor, issue_id: int, email: str | None) -> SubscribeResult:
    issue = await get_issue(actor, issue_id=issue_id)
    address = _clean_email(email)
    if issue.status is IssueStatus.CLOSED:
        raise IssueClosed("A closed issue takes no new subscribers.")
    return await _subscribe(address, issue)


async def subscribe_to_category(
    actor: Actor, category_id: int, email: str | None
) -> SubscribeResult:
    category = await get_category(actor, category_id)
    return await _subscribe(_clean_email(email), category)


async def _subscribe(address: str, target: Issue | Category) -> SubscribeResult:
    lookup = {"issue": target} if isinstance(target, Issue) else {"category": target}
    existing = await Subscription.get_or_none(email=address, **lookup)
    if existing is not None:
        return SubscribeResult(existing, created=await _renew_if_expired(existing, target))
    try:
        async with in_transaction():
            subscription = await Subscription.create(email=address, **lookup)
            await notify.subscription_requested(subscription, target)
    except IntegrityError:  # the same address, at the same moment
        return SubscribeResult(await Subscription.get(email=address, **lookup), created=False)
    return SubscribeResult(subscription, created=True)


async def _renew_if_expired(subscription: Subscription, target: Issue | Category) -> bool:
    """A pending subscription whose confirmation link has expired gets a new link, once per
    link lifetime: otherwise the address could never confirm (the expired-link page tells
    people to subscribe again)."""
    if subscription.confirmed_at is not None:
        return False
    now = utcnow()
    async with in_transaction():
        renewed = await Subscription.filter(
            id=subscription.id, confirmed_at__isnull=True, created_at__lte=now - LINK_LIFETIME
        ).update(created_at=now)
        if renewed:
            await notify.subscription_requested(subscription, target)
    return bool(renewed)


async def confirm_subscription(subscription_id: int) -> LinkOutcome:
    """Called with a verified signed link: the link is the proof, so there is no actor."""
    subscription = await Subscription.get_or_none(id=subscription_id)
    if subscription is None:
        return LinkOutcome.GONE
    if subscription.confirmed_at is not None:
        return LinkOutcome.ALREADY
    updated = await Subscription.filter(id=subscription_id, confirmed_at__isnull=True).update(
        confirmed_at=utcnow()
    )
    return LinkOutcome.DONE if updated else LinkOutcome.ALREADY


async def unsubscribe(subscription_id: int) -> LinkOutcome:
    deleted = await Subscription.filter(id=subscription_id).delete()
    return LinkOutcome.DONE if deleted else LinkOutcome.GONE
