"""What the issue reading test modules share: the queries more than one of them sends, and how they
read a page of issues."""

import base64

ISSUES = """
query ($filter: IssueFilterInput, $first: Int, $after: String, $last: Int, $before: String) {
  issues(filter: $filter, first: $first, after: $after, last: $last, before: $before) {
    edges { cursor node { name } }
    pageInfo { hasNextPage hasPreviousPage startCursor endCursor }
    totalCount
  }
}
"""

ISSUE_BY_ID = """
query ($id: ID!) { issue(id: $id) { id databaseId guid name } }
"""

ISSUE_BY_DATABASE_ID = """
query ($databaseId: Int!) { issue(databaseId: $databaseId) { id databaseId guid name } }
"""

ISSUE_BY_GUID = """
query ($guid: UUID!) { issue(guid: $guid) { id databaseId guid name } }
"""

NODE = """
query ($id: ID!) { node(id: $id) { id ... on Issue { name } ... on IssueEvent { description } } }
"""

ISSUE_DETAILS = """
query ($id: ID!) {
  issue(id: $id) {
    name description severity status conclusion closedAt
    owner { name }
    participants { name }
    tags
    subscriberCount
    categories { nodes { name company { name } } totalCount }
    events { nodes { id kind description author { name } } }
  }
}
"""

FILTERED_ISSUE_NAMES = """
query ($filter: IssueFilterInput) { issues(filter: $filter) { nodes { name } } }
"""


def names(data: dict) -> list[str]:
    return [edge["node"]["name"] for edge in data["issues"]["edges"]]


def cursor_of(text: str) -> str:
    return base64.urlsafe_b64encode(text.encode()).decode().rstrip("=")
