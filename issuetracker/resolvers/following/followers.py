"""Following by e-mail (a `Subscription` row): anyone may ask for a visible issue or category;
the address confirms. Addresses are never shown to anyone."""

from dataclasses import dataclass
from datetime import datetime
from enum import Enum

from tortoise.exceptions import IntegrityError
from tortoise.transactions import in_transaction

from ...models import Category, Issue, IssueStatus, Subscription
from ...notifications.outbox import enqueue_email, enqueue_webhook
from ...notifications.signing import LINK_LIFETIME
from ..accounts.addresses import masked_email
from ..companies.categories import get_category
from ..core.errors import IssueClosed
from ..core.scope import Scope
from ..core.validation import Collector
from ..issues.reads import get_issue
from ..webhooks.webhooks import active_webhooks_of


@dataclass(frozen=True, slots=True)
class SubscribeResult:
    subscription: Subscription
    created: bool
    """False when the address was already subscribed or pending: no e-mail is sent again."""


@dataclass(frozen=True, slots=True)
class LinkedSubscription:
    """What the page behind a subscription's link names: what is followed, and by whom."""

    target_kind: str
    """"issue" or "category"."""
    target_name: str
    masked_email: str


class LinkOutcome(Enum):
    DONE = "done"
    ALREADY = "already"
    GONE = "gone"


def _clean_email(email: str | None) -> str:
    check = Collector()
    address = check.email("email", email)
    check.raise_if_any()
    return address or ""


def takes_followers(status: IssueStatus, deleted_at: datetime | None) -> bool:
    """Anyone who sees an issue may follow it while it is open and not deleted;
    `takes_followers_sql` is the same rule in SQL."""
    return status is not IssueStatus.CLOSED and deleted_at is None


def takes_followers_sql(issue: str) -> str:
    """SQL: the `takes_followers` rule for the issue row `issue`."""
    return f"({issue}.status <> '{IssueStatus.CLOSED.value}' AND {issue}.deleted_at IS NULL)"


async def subscribe_to_issue(scope: Scope, issue_id: int, email: str | None) -> SubscribeResult:
    issue = await get_issue(scope, issue_id=issue_id)
    address = _clean_email(email)
    if not takes_followers(issue.status, issue.deleted_at):
        raise IssueClosed("A closed issue takes no new subscribers.")
    return await _subscribe(scope, address, issue)


async def subscribe_to_category(
    scope: Scope, category_id: int, email: str | None
) -> SubscribeResult:
    category = await get_category(scope, category_id)
    return await _subscribe(scope, _clean_email(email), category)


async def _subscribe(scope: Scope, address: str, target: Issue | Category) -> SubscribeResult:
    lookup = {"issue": target} if isinstance(target, Issue) else {"category": target}
    existing = await Subscription.get_or_none(email=address, **lookup)
    if existing is not None:
        renewed = await _renew_if_expired(scope, existing, target)
        return SubscribeResult(existing, created=renewed)
    try:
        async with in_transaction():
            subscription = await Subscription.create(email=address, **lookup)
            await _ask_to_confirm(scope, subscription, target)
    except IntegrityError:  # the same address, at the same moment
        return SubscribeResult(await Subscription.get(email=address, **lookup), created=False)
    return SubscribeResult(subscription, created=True)


async def _renew_if_expired(
    scope: Scope, subscription: Subscription, target: Issue | Category
) -> bool:
    """A pending subscription whose confirmation link has expired gets a new link, once per
    link lifetime: otherwise the address could never confirm (the expired-link page tells
    people to subscribe again)."""
    if subscription.confirmed_at is not None:
        return False
    now = scope.now
    async with in_transaction():
        renewed = await Subscription.filter(
            id=subscription.id, confirmed_at__isnull=True, created_at__lte=now - LINK_LIFETIME
        ).update(created_at=now)
        if renewed:
            await _ask_to_confirm(scope, subscription, target)
    return bool(renewed)


async def _ask_to_confirm(
    scope: Scope, subscription: Subscription, target: Issue | Category
) -> None:
    """One e-mail with the confirmation link, and the `*_subscription_confirmation` event to the
    webhooks of the user with the address, if any."""
    kind = "issue" if isinstance(target, Issue) else "category"
    data = {"subscription_id": subscription.id, "target_kind": kind, "target_name": target.name}
    await enqueue_email(scope.now, subscription.email, "subscription_confirmation", data)
    # The dispatcher signs `confirmation_url` at the first attempt, as it does the e-mail's.
    webhook_data = {
        "subscription": {"id": subscription.id, kind: {"id": target.id, "name": target.name}},
        "confirmation_url": None,
    }
    for webhook in await active_webhooks_of([subscription.email]):
        event_type = f"{kind}_subscription_confirmation"
        await enqueue_webhook(scope.now, webhook.url, event_type, webhook_data, webhook)


async def subscription_of_link(subscription_id: int) -> LinkedSubscription | None:
    """Called with a verified signed link, which proves the address: None when the
    subscription no longer exists."""
    subscription = await Subscription.get_or_none(id=subscription_id).select_related(
        "issue", "category"
    )
    if subscription is None:
        return None
    target: Issue | Category | None = subscription.issue or subscription.category
    kind = "issue" if subscription.issue is not None else "category"
    name = target.name if target is not None else ""
    return LinkedSubscription(kind, name, masked_email(subscription.email))


async def confirm_subscription(scope: Scope, subscription_id: int) -> LinkOutcome:
    """Called with a verified signed link: the link is the proof, so there is no actor."""
    subscription = await Subscription.get_or_none(id=subscription_id)
    if subscription is None:
        return LinkOutcome.GONE
    if subscription.confirmed_at is not None:
        return LinkOutcome.ALREADY
    updated = await Subscription.filter(id=subscription_id, confirmed_at__isnull=True).update(
        confirmed_at=scope.now
    )
    return LinkOutcome.DONE if updated else LinkOutcome.ALREADY


async def unsubscribe(scope: Scope, subscription_id: int) -> LinkOutcome:
    deleted = await Subscription.filter(id=subscription_id).delete()
    return LinkOutcome.DONE if deleted else LinkOutcome.GONE
