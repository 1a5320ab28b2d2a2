"""Issue objects for a page of issues: one batched read per relation, so a page costs the same
number of SQL statements whatever its size."""

from typing import Any

from ...models import Issue
from ...resolvers import batches
from ...resolvers.actor import Actor
from .formats import Related, issue_json


async def issues_json(actor: Actor, issues: list[Issue]) -> list[dict[str, Any]]:
    if not issues:
        return []
    ids = [issue.id for issue in issues]
    owner_ids = sorted({issue.owner_id for issue in issues if issue.owner_id is not None})
    owners = dict(zip(owner_ids, await batches.users_by_ids(owner_ids), strict=True))
    participants = await batches.participants_by_issue_ids(ids)
    user_ids = sorted({*owner_ids, *(user.id for users in participants for user in users)})
    company_names = dict(
        zip(user_ids, await batches.company_names_by_user_ids(actor, user_ids), strict=True)
    )
    columns = zip(
        issues,
        participants,
        await batches.tags_by_issue_ids(ids),
        await batches.invitations_by_issue_ids(actor, ids),
        await batches.action_items_by_issue_ids(ids),
        await batches.facts_by_issue_ids(ids),
        await batches.uploads_by_issue_ids(ids),
        await batches.webhook_urls_by_issue_ids(actor, ids),
        strict=True,
    )
    return [
        issue_json(
            issue,
            Related(
                owner=owners.get(issue.owner_id) if issue.owner_id is not None else None,
                participants=users,
                tags=tags,
                invitations=invitations,
                action_items=action_items,
                facts=facts,
                uploads=uploads,
                webhook_url=webhook_url,
                company_names=company_names,
            ),
            actor.user_id,
        )
        for issue, users, tags, invitations, action_items, facts, uploads, webhook_url in columns
    ]


async def issue_json_for(actor: Actor, issue: Issue) -> dict[str, Any]:
    [row] = await issues_json(actor, [issue])
    return row
