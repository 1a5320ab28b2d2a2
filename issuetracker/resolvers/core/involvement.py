"""Taking part in an issue: being one of its participants (its owner always is one). The one
definition of the rule (`_participation`), and the SQL and queries built on it."""

from ...models import IssueParticipant
from .fragments import inner


def _participation(participant: str, user: str) -> str:
    """SQL: the issue_participants row `participant` is the user's (an SQL expression)."""
    return f"{participant}.user_id = {user}"


def taking_part_in(issue_id: str, viewer: str) -> str:
    """SQL: the viewer (an SQL expression for a user id) takes part in the issue whose id is
    the SQL expression `issue_id`."""
    participant = inner(issue_id, "participant")
    return (
        f"EXISTS (SELECT 1 FROM issue_participants AS {participant}"
        f" WHERE {participant}.issue_id = {issue_id} AND {_participation(participant, viewer)})"
    )


def takes_part_sql(issue: str, viewer: str) -> str:
    """SQL: the viewer takes part in the issue row `issue`."""
    return taking_part_in(f"{issue}.id", viewer)


def involved_issue_ids_sql(user: str) -> str:
    """SQL: the ids of the issues the user (an SQL expression) takes part in."""
    participant = inner(user, "participation")
    return (
        f"SELECT {participant}.issue_id FROM issue_participants AS {participant}"
        f" WHERE {_participation(participant, user)}"
    )


async def takes_part(user_id: int | None, issue_id: int) -> bool:
    """`_participation` as the ORM asks it, for one issue."""
    if user_id is None:
        return False
    return await IssueParticipant.exists(issue_id=issue_id, user_id=user_id)
