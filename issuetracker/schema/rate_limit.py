"""The root field `rateLimit`, as GitHub has it: what this document costs and what is left of
the client's hourly budget. The pipeline's checks worked it out before anything ran; the field
reads it from the request (`pipeline/rate_limits.py`). Only the executor answers it."""

from datetime import datetime
from typing import Annotated

import strawberry

from .context import Info
from .pipeline.rate_limits import SPENT, Spent

DRY_RUN = (
    "True (asked at the operation's root, not through a fragment): the rest of the document is "
    "costed but not run, and the answer holds `rateLimit` alone (its root fields' other entries "
    "are left out). A dry run is charged one point."
)


@strawberry.type(
    description="The client's hourly budget of cost points (per token; per address when "
    "anonymous), and what this document costs. Headers tell the same on every answer "
    "(`X-RateLimit-Limit`, `-Remaining`, `-Used`, `-Reset`, `-Resource`)."
)
class RateLimit:
    cost: int = strawberry.field(
        description="What this document costs (requested): each field 1, a connection "
        "multiplying what it selects by its page size. A dry run is charged one point, not this."
    )
    limit: int = strawberry.field(description="Points the client may spend an hour.")
    remaining: int = strawberry.field(
        description="Points left this hour, once this document was charged."
    )
    used: int = strawberry.field(description="Points spent this hour, this document's included.")
    reset_at: datetime = strawberry.field(description="When the budget is whole again.")
    node_count: int = strawberry.field(
        description="The most objects this document's connections (and `nodes(ids:)`) may "
        "return: each page size times the pages holding it."
    )

    @classmethod
    def of(cls, spent: Spent) -> "RateLimit | None":
        usage = spent.usage
        if usage is None:
            return None
        used = usage.limit - usage.remaining
        return cls(
            cost=spent.cost,
            limit=usage.limit,
            remaining=usage.remaining,
            used=used,
            reset_at=usage.reset_at,
            node_count=spent.node_count,
        )


@strawberry.type
class RateLimitQueries:
    @strawberry.field(
        description="What this document costs and what is left of the hourly budget; null "
        "where there is no budget (GRAPHQL_HOURLY_BUDGET=0)."
    )
    def rate_limit(
        self,
        info: Info,
        dry_run: Annotated[bool | None, strawberry.argument(description=DRY_RUN)] = False,
    ) -> RateLimit | None:
        spent = info.context.request.get(SPENT)
        return RateLimit.of(spent) if spent is not None else None
