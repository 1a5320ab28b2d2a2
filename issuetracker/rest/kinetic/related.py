"""Issue objects for a page of issues: one batched read per relation, so a page costs the same
number of SQL statements whatever its size."""

from typing import Any

from ...models import Issue, User
from ...resolvers.accounts import batches as user_batches
from ...resolvers.core.actor import Actor
from ...resolvers.issues import batches
from ...resolvers.issues.relations import shown_to_those_taking_part
from .formats import Related, issue_json


async def issues_json(actor: Actor, issues: list[Issue]) -> list[dict[str, Any]]:
    if not issues:
        return []
    ids = [issue.id for issue in issues]
    taking_part = await batches.participants_with_company_names_by_issue_ids(actor, ids)
    company_names = {user.id: name for pairs in taking_part for user, name in pairs}
    users = {user.id: user for pairs in taking_part for user, _ in pairs}
    await _add_owners_not_taking_part(actor, issues, users, company_names)
    columns = zip(
        issues,
        taking_part,
        await batches.tags_by_issue_ids(ids),
        await batches.invitations_by_issue_ids(actor, ids),
        await batches.action_items_by_issue_ids(ids),
        await batches.facts_by_issue_ids(ids),
        await batches.uploads_by_issue_ids(ids),
        strict=True,
    )
    return [
        issue_json(
            issue,
            Related(
                owner=users.get(issue.owner_id) if issue.owner_id is not None else None,
                participants=[user for user, _ in pairs],
                tags=tags,
                invitations=invitations,
                action_items=action_items,
                facts=facts,
                uploads=uploads,
                webhook_url=shown_to_those_taking_part(
                    issue.webhook_url, actor.user_id, _ids(pairs)
                ),
                webhook_secret=shown_to_those_taking_part(
                    issue.webhook_secret, actor.user_id, _ids(pairs)
                ),
                company_names=company_names,
            ),
            actor.user_id,
        )
        for issue, pairs, tags, invitations, action_items, facts, uploads in columns
    ]


def _ids(pairs: list[tuple[User, str | None]]) -> set[int]:
    return {user.id for user, _ in pairs}


async def _add_owners_not_taking_part(
    actor: Actor, issues: list[Issue], users: dict[int, User], company_names: dict[int, str | None]
) -> None:
    """An owner always takes part, so this reads nothing, unless data from elsewhere broke
    that rule."""
    owner_ids = {issue.owner_id for issue in issues if issue.owner_id is not None}
    missing = sorted(owner_ids - set(users))
    if not missing:
        return
    for user_id, user, name in zip(
        missing,
        await user_batches.users_by_ids(missing),
        await user_batches.company_names_by_user_ids(actor, missing),
        strict=True,
    ):
        if user is not None:
            users[user_id], company_names[user_id] = user, name
