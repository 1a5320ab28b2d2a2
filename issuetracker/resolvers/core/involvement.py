"""Taking part in an issue: being one of its participants (its owner always is one). The one
definition of the rule, as SQL and as the queries built on it."""

from collections.abc import Collection
from typing import Any, TypeVar

from tortoise.queryset import ValuesListQuery

from ...models import IssueParticipant

T = TypeVar("T")


def takes_part_sql(issue: str, viewer: str) -> str:
    """SQL: the viewer (an SQL expression for a user id) takes part in the issue row `issue`."""
    return (
        "EXISTS (SELECT 1 FROM issue_participants AS v_p"
        f" WHERE v_p.issue_id = {issue}.id AND v_p.user_id = {viewer})"
    )


def involved_issue_ids_sql(user: str) -> str:
    """SQL: the ids of the issues the user (an SQL expression) takes part in."""
    return f"SELECT i_p.issue_id FROM issue_participants AS i_p WHERE i_p.user_id = {user}"


def involved_issue_ids(user_id: int) -> ValuesListQuery[Any]:
    """The ids of the issues the user takes part in."""
    return IssueParticipant.filter(user_id=user_id).values_list("issue_id", flat=True)


async def takes_part(user_id: int | None, issue_id: int) -> bool:
    if user_id is None:
        return False
    return await IssueParticipant.exists(issue_id=issue_id, user_id=user_id)


def for_those_taking_part(
    value: T, viewer_id: int | None, participant_ids: Collection[int]
) -> T | None:
    """Some of an issue is shown only to those taking part in it, given the issue's
    participants: its webhook URL (which may carry a secret) and its invitations (which name
    people by address)."""
    return value if viewer_id is not None and viewer_id in participant_ids else None


def shown_email(
    viewer_id: int | None, user_id: int, email: str, alongside: Collection[int] = ()
) -> str | None:
    """E-mail addresses are personal: a user's own is shown to them, and no one else's. The
    one exception: where a face shows the people taking part in an issue together (the Kinetic
    issue object, whose document shows their addresses), they see each other's; `alongside`
    holds them then. `email_shown_sql` is the same rule in SQL."""
    if viewer_id is not None and (viewer_id == user_id or viewer_id in alongside):
        return email
    return None


def email_shown_sql(user: str, viewer: str | None, alongside_issue: str | None = None) -> str:
    """SQL: the `shown_email` rule for the users row `user`; with `alongside_issue`, the issue
    row whose participants see each other's addresses."""
    if viewer is None:
        return "1 = 0"
    condition = f"{user}.id = {viewer}"
    if alongside_issue is not None:
        condition = f"({condition} OR {takes_part_sql(alongside_issue, viewer)})"
    return condition
