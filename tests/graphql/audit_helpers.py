"""What the audit log tests share: requests from a chosen client address (the app believes one
proxy's `X-Forwarded-For` in these tests), the logs as GraphQL shows them, and the entries."""

from typing import Any

from aiohttp.test_utils import TestClient

from issuetracker.models import AuditEntry

from ..support import Person

ENTRY_FIELDS = """
  action createdAt clientAddress subjectId
  actor { name }
  subject { __typename id }
  changes { field before after }
"""

COMPANY_LOG = f"""
query ($id: ID!, $first: Int, $after: String) {{
  company(id: $id) {{
    auditLog(first: $first, after: $after) {{
      nodes {{ {ENTRY_FIELDS} }}
      pageInfo {{ hasNextPage endCursor }}
    }}
  }}
}}
"""

VIEWER_LOG = f"""
query ($first: Int, $after: String) {{
  viewer {{
    auditLog(first: $first, after: $after) {{
      nodes {{ {ENTRY_FIELDS} }}
      pageInfo {{ hasNextPage endCursor }}
    }}
  }}
}}
"""

ADDRESS = "203.0.113.7"


async def graphql(
    client: TestClient,
    query: str,
    variables: dict[str, Any] | None = None,
    *,
    as_: Person | None = None,
    address: str = ADDRESS,
) -> dict[str, Any]:
    headers = {"X-Forwarded-For": address, **(as_.headers if as_ else {})}
    response = await client.post(
        "/graphql", json={"query": query, "variables": variables or {}}, headers=headers
    )
    assert response.status == 200
    body: dict[str, Any] = await response.json()
    return body


async def data(
    client: TestClient,
    query: str,
    variables: dict[str, Any] | None = None,
    *,
    as_: Person | None = None,
    address: str = ADDRESS,
) -> dict[str, Any]:
    body = await graphql(client, query, variables, as_=as_, address=address)
    assert "errors" not in body, body["errors"]
    result: dict[str, Any] = body["data"]
    return result


def payload_ok(result: dict[str, Any]) -> dict[str, Any]:
    """The one mutation's payload, which must carry no errors."""
    [payload] = result.values()
    assert payload["errors"] == [], payload["errors"]
    return payload


async def company_log(
    client: TestClient, company_gid: str, as_: Person, first: int = 50
) -> list[dict[str, Any]]:
    found = await data(client, COMPANY_LOG, {"id": company_gid, "first": first}, as_=as_)
    nodes: list[dict[str, Any]] = found["company"]["auditLog"]["nodes"]
    return nodes


async def viewer_log(client: TestClient, as_: Person, first: int = 50) -> list[dict[str, Any]]:
    found = await data(client, VIEWER_LOG, {"first": first}, as_=as_)
    nodes: list[dict[str, Any]] = found["viewer"]["auditLog"]["nodes"]
    return nodes


def of_action(entries: list[dict[str, Any]], action: str) -> list[dict[str, Any]]:
    return [entry for entry in entries if entry["action"] == action]


def changes_of(entry: dict[str, Any]) -> dict[str, tuple[str | None, str | None]]:
    return {change["field"]: (change["before"], change["after"]) for change in entry["changes"]}


async def stored_entries(**where: Any) -> list[AuditEntry]:
    return await AuditEntry.filter(**where).order_by("id")
