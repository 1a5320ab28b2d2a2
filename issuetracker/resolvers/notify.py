"""Who hears about a change. Called inside the change's transaction; everything is written to
the outbox there and sent after the commit by the dispatcher."""

from typing import Any

from ..models import Category, Issue, IssueEvent, Subscription, User, Webhook
from ..notifications.outbox import enqueue_email, enqueue_webhook


def issue_snapshot(issue: Issue) -> dict[str, Any]:
    return {
        "id": issue.id,
        "guid": str(issue.guid),
        "name": issue.name,
        "description": issue.description,
        "severity": issue.severity.value,
        "status": issue.status.value,
        "conclusion": issue.conclusion,
        "closed_at": issue.closed_at.isoformat() if issue.closed_at else None,
        "created_at": issue.created_at.isoformat() if issue.created_at else None,
    }


def webhook_snapshot(webhook: Webhook) -> dict[str, Any]:
    return {"id": webhook.id, "url": webhook.url, "description": webhook.description}


async def _followers(
    issue: Issue, category_ids: list[int], *, of_issue: bool
) -> list[Subscription]:
    """Confirmed subscriptions to the issue's categories (and to the issue itself), one per
    address: a direct subscription wins, so its unsubscribe link is the one sent."""
    found = await Subscription.filter(category_id__in=category_ids, confirmed_at__isnull=False)
    if of_issue:
        found = [
            *await Subscription.filter(issue_id=issue.id, confirmed_at__isnull=False),
            *found,
        ]
    by_address: dict[str, Subscription] = {}
    for subscription in found:
        by_address.setdefault(subscription.email, subscription)
    return list(by_address.values())


async def _webhooks_of(addresses: list[str]) -> list[Webhook]:
    if not addresses:
        return []
    return await Webhook.filter(user__email__in=addresses, active=True)


async def issue_changed(issue: Issue, event_type: str, event: IssueEvent | None = None) -> None:
    """`issue_created` reaches followers of its categories; `issue_updated` and `issue_closed`
    also reach followers of the issue. The issue's own `webhook_url` hears every one."""
    category_names = dict(
        await Category.filter(issue_links__issue_id=issue.id).values_list("id", "name")
    )
    followers = await _followers(
        issue, list(category_names), of_issue=event_type != "issue_created"
    )
    snapshot = issue_snapshot(issue)
    data: dict[str, Any] = {"issue": snapshot}
    if event is not None:
        data["event"] = {"id": event.id, "kind": event.kind.value, "description": event.description}
    for subscription in followers:
        reason = {
            "subscription_id": subscription.id,
            "category_name": category_names.get(subscription.category_id or 0),
        }
        await enqueue_email(subscription.email, event_type, {**data, **reason})
    for webhook in await _webhooks_of([subscription.email for subscription in followers]):
        await enqueue_webhook(webhook.url, event_type, data, webhook)
    if issue.webhook_url:
        await enqueue_webhook(issue.webhook_url, event_type, data)


async def subscription_requested(subscription: Subscription, target: Issue | Category) -> None:
    kind = "issue" if isinstance(target, Issue) else "category"
    data = {"subscription_id": subscription.id, "target_kind": kind, "target_name": target.name}
    await enqueue_email(subscription.email, "subscription_confirmation", data)
    # The dispatcher signs `confirmation_url` at the first attempt, as it does the e-mail's.
    webhook_data = {
        "subscription": {"id": subscription.id, kind: {"id": target.id, "name": target.name}},
        "confirmation_url": None,
    }
    for webhook in await _webhooks_of([subscription.email]):
        await enqueue_webhook(
            webhook.url, f"{kind}_subscription_confirmation", webhook_data, webhook
        )


async def webhook_changed(webhook: Webhook, event_type: str, owner: User) -> None:
    """`webhook_created` and `webhook_deleted` reach the owner's active webhooks."""
    for target in await Webhook.filter(user_id=owner.id, active=True):
        await enqueue_webhook(
            target.url, event_type, {"webhook": webhook_snapshot(webhook)}, target
        )
