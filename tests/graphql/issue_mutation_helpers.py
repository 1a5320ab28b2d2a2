"""What the issue mutation test modules share: the mutations more than one of them sends, every
change to an existing issue with an input that would succeed, and how they read an issue back."""

from collections.abc import Callable
from typing import Any

from issuetracker.models import Issue

from ..support import Api, Person, gid

CREATE_ISSUE = """
mutation ($input: CreateIssueInput!) {
  createIssue(input: $input) {
    issue {
      id name description severity status
      owner { name }
      participants { name }
      tags
      categories { nodes { name } }
      events { nodes { kind description author { name } } }
    }
    errors { field message code }
  }
}
"""

UPDATE_ISSUE = """
mutation ($input: UpdateIssueInput!) {
  updateIssue(input: $input) {
    issue { id name description severity tags categories { nodes { name } } }
    errors { field message code }
  }
}
"""

ADD_ISSUE_EVENT = """
mutation ($input: AddIssueEventInput!) {
  addIssueEvent(input: $input) {
    event { kind description author { name } }
    errors { field message code }
  }
}
"""

CLOSE_ISSUE = """
mutation ($input: CloseIssueInput!) {
  closeIssue(input: $input) {
    issue { status conclusion closedAt }
    errors { field message code }
  }
}
"""

DELETE_ISSUE = """
mutation ($input: DeleteIssueInput!) {
  deleteIssue(input: $input) {
    issue { id name }
    errors { field message code }
  }
}
"""

ISSUE_STATE = """
query ($id: ID!) {
  issue(id: $id) {
    name description severity status conclusion closedAt updatedAt tags
    categories { nodes { name } }
    events { nodes { kind description author { name } } }
  }
}
"""

ISSUE_COUNT = """
query { issues { totalCount } }
"""

Attempt = tuple[str, Callable[[str], dict[str, Any]]]

CHANGES: dict[str, Attempt] = {
    "updateIssue": (
        UPDATE_ISSUE,
        lambda id_: {"id": id_, "name": "Renamed", "description": "New."},
    ),
    "addIssueEvent": (ADD_ISSUE_EVENT, lambda id_: {"issueId": id_, "description": "A note."}),
    "closeIssue": (CLOSE_ISSUE, lambda id_: {"id": id_, "description": "Fixed."}),
    "deleteIssue": (DELETE_ISSUE, lambda id_: {"id": id_}),
}
"""Every change to an existing issue, with an input that would succeed if allowed."""

ALL_CHANGES = list(CHANGES)


async def state_of(api: Api, issue: Issue, as_: Person) -> dict[str, Any]:
    """What a reader sees of the issue: a refused change must leave all of it as it was."""
    return (await api.data(ISSUE_STATE, {"id": gid("Issue", issue)}, as_=as_))["issue"]


async def attempt(api: Api, mutation: str, issue: Issue | str, as_: Person) -> dict[str, Any]:
    """Try one change on an issue (or on a global id)."""
    query, make_input = CHANGES[mutation]
    issue_id = issue if isinstance(issue, str) else gid("Issue", issue)
    return await api.graphql(query, {"input": make_input(issue_id)}, as_=as_)
