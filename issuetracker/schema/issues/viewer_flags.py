"""What the viewer may do with an issue, as GitHub's `viewerCan…` fields: each flag is true
exactly when the mutation it names would be allowed now, by the rule that mutation checks."""

from typing import TYPE_CHECKING, Any

import strawberry

from ...resolvers.following.followers import takes_followers
from ..context import Info

if TYPE_CHECKING:
    from .types import IssueType


async def _may_change(root: "IssueType", info: Info) -> bool:
    if info.context.actor.read_only:  # a read-only token's mutations are all refused
        return False
    return await info.context.loaders.changeable_by_issue_id.load(root.database_id)


def _may_follow(root: "IssueType", info: Info) -> bool:
    return not info.context.actor.read_only and takes_followers(root.status, root.deleted_at)


def may_change(what: str, mutation: str) -> Any:
    """A flag for a mutation that changes the issue (`managed_open_issue`'s rule)."""
    return strawberry.field(
        resolver=_may_change,
        description=f"Whether the viewer may {what} now ({mutation}): they may manage the "
        "issue (its owner or a participant, and a member of every company of its categories), "
        "and it is open and not deleted; false for a read-only token.",
    )


def may_follow() -> Any:
    return strawberry.field(
        resolver=_may_follow,
        description="Whether the viewer, anonymous too, may follow the issue by e-mail now "
        "(`subscribeToIssue`): it is open and not deleted; false for a read-only token.",
    )
