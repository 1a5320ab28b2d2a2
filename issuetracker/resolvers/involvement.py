"""Who takes part in an issue: its owner and participants (the owner is always one of them)."""

from tortoise.queryset import ValuesListQuery

from ..models import IssueParticipant


def involved_issue_ids(user_id: int) -> ValuesListQuery:
    return IssueParticipant.filter(user_id=user_id).values_list("issue_id", flat=True)


async def takes_part(user_id: int | None, issue_id: int) -> bool:
    if user_id is None:
        return False
    return await IssueParticipant.exists(user_id=user_id, issue_id=issue_id)
