"""The model enums, registered as GraphQL enums (names in UPPER_CASE, values as stored)."""

import strawberry

from ..models import EventKind, IssueStatus, Role, Severity

strawberry.enum(Severity, name="Severity")
strawberry.enum(IssueStatus, name="IssueStatus")
strawberry.enum(EventKind, name="IssueEventKind")
strawberry.enum(Role, name="Role")

__all__ = ["EventKind", "IssueStatus", "Role", "Severity"]
