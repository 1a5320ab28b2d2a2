import strawberry

from ..models import EventKind, IssueStatus, Role, Severity

SeverityEnum = strawberry.enum(Severity, name="Severity")
IssueStatusEnum = strawberry.enum(IssueStatus, name="IssueStatus")
EventKindEnum = strawberry.enum(EventKind, name="IssueEventKind")
RoleEnum = strawberry.enum(Role, name="Role")
