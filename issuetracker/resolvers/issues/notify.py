"""Who hears about a change to an issue. Called inside the change's transaction; everything is
written to the outbox there and sent after the commit by the dispatcher."""

from datetime import datetime
from typing import Any

from tortoise.expressions import Q, Subquery

from ...models import ChangeKind, Issue, IssueCategory, IssueEvent, Subscription
from ...notifications.outbox import enqueue_email, enqueue_webhook
from ..live.changes import announce
from ..webhooks.webhooks import active_webhooks_of

LIVE_KINDS = {
    "issue_created": ChangeKind.CREATED,
    "issue_updated": ChangeKind.UPDATED,
    "issue_closed": ChangeKind.CLOSED,
}


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


async def _followers(issue: Issue, *, of_issue: bool) -> list[Subscription]:
    """Confirmed subscriptions to the issue's categories (and to the issue itself), one per
    address, with their category: a direct subscription wins, so its unsubscribe link is the
    one sent. One statement."""
    in_categories = IssueCategory.filter(issue_id=issue.id).values_list("category_id", flat=True)
    following = Q(category_id__in=Subquery(in_categories))
    if of_issue:
        following |= Q(issue_id=issue.id)
    found = (
        await Subscription.filter(following, confirmed_at__isnull=False)
        .select_related("category")
        .order_by("id")
    )
    by_address: dict[str, Subscription] = {}
    for subscription in sorted(found, key=lambda row: row.issue_id is None):
        by_address.setdefault(subscription.email, subscription)
    return list(by_address.values())


async def issue_changed(
    now: datetime, issue: Issue, event_type: str, event: IssueEvent | None = None
) -> None:
    """`issue_created` reaches followers of its categories; `issue_updated` and `issue_closed`
    also reach followers of the issue. The issue's own `webhook_url` hears every one, signed
    with the issue's secret; live subscribers hear every one too."""
    kind = ChangeKind.DELETED if issue.deleted_at else LIVE_KINDS[event_type]
    await announce(now, issue.id, kind, event.id if event else None)
    followers = await _followers(issue, of_issue=event_type != "issue_created")
    data: dict[str, Any] = {"issue": issue_snapshot(issue)}
    if event is not None:
        data["event"] = {"id": event.id, "kind": event.kind.value, "description": event.description}
    for subscription in followers:
        category = subscription.category
        reason = {
            "subscription_id": subscription.id,
            "category_name": category.name if category is not None else None,
        }
        await enqueue_email(now, subscription.email, event_type, {**data, **reason})
    for webhook in await active_webhooks_of([subscription.email for subscription in followers]):
        await enqueue_webhook(now, webhook.url, event_type, data, webhook)
    if issue.webhook_url:
        await enqueue_webhook(now, issue.webhook_url, event_type, data, issue=issue)
