"""What a request spent of its client's hourly budget, told as GitHub and Shopify tell it: the
`X-RateLimit-*` headers, Shopify's `throttleStatus` in `extensions.cost`, and the root field
`rateLimit` (`schema/rate_limit.py`), which reads it from the request."""

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from aiohttp import web

from ...resolvers.clients.budgets import HOUR, Usage

RESOURCE = "graphql"


@dataclass(frozen=True)
class Spent:
    """One operation's cost and what it left of the budget (None: no budget)."""

    cost: int
    """What the document costs (requested): a dry run's too, though it is not charged."""
    node_count: int
    usage: Usage | None
    dry_run: bool = False


SPENT = web.RequestKey("graphql_spent", Spent)
"""The operation being answered (in a batch, each in turn)."""


def headers(limit: int, remaining: int, reset_at: datetime) -> dict[str, str]:
    """GitHub's rate-limit headers (`X-RateLimit-Reset` in epoch seconds)."""
    return {
        "X-RateLimit-Limit": str(limit),
        "X-RateLimit-Remaining": str(remaining),
        "X-RateLimit-Used": str(limit - remaining),
        "X-RateLimit-Reset": str(int(reset_at.timestamp())),
        "X-RateLimit-Resource": RESOURCE,
    }


def usage_headers(usage: Usage | None) -> dict[str, str]:
    if usage is None:
        return {}
    return headers(usage.limit, usage.remaining, usage.reset_at)


def throttle_status(limit: int, remaining: int) -> dict[str, Any]:
    """Shopify's `throttleStatus`. The budget comes back whole at the top of the hour, not
    drop by drop: `restoreRate` is its hourly limit spread over the hour's seconds."""
    return {
        "maximumAvailable": limit,
        "currentlyAvailable": remaining,
        "restoreRate": limit / HOUR.total_seconds(),
    }
