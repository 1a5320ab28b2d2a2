"""An issue's deletion in the audit log: in the log of the company of its first category
(the lowest id), or, for an issue without categories, in its owner's own log."""

from typing import cast

from ...models import AuditAction, Issue, IssueCategory
from ..audit.record import changed, record
from ..core.scope import Scope


async def record_deletion(scope: Scope, issue: Issue) -> None:
    """Inside the caller's transaction."""
    company_ids = cast(
        list[int],
        await IssueCategory.filter(issue_id=issue.id).values_list(
            "category__company_id", flat=True
        ),
    )
    company_id = min(company_ids) if company_ids else None
    await record(
        scope,
        AuditAction.ISSUE_DELETED,
        issue,
        company_id=company_id,
        user_id=issue.owner_id if company_id is None else None,
        changes=[changed("name", issue.name, None)],
    )
