"""Who takes part in an issue: its owner and participants (the owner is always one of them)."""

from collections.abc import Collection

from tortoise.queryset import ValuesListQuery

from ..models import IssueParticipant


def involved_issue_ids(user_id: int) -> ValuesListQuery:
    return IssueParticipant.filter(user_id=user_id).values_list("issue_id", flat=True)


def shown_email(
    viewer_id: int | None, user_id: int, email: str, participant_ids: Collection[int]
) -> str | None:
    """E-mail addresses are personal: a user's is shown to themself, and to the people taking
    part in the issue it is shown with (`participant_ids`, its owner among them); to anyone
    else it is None."""
    if viewer_id is not None and (viewer_id == user_id or viewer_id in participant_ids):
        return email
    return None
