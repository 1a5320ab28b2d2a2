"""The model enums, registered as GraphQL enums (names in UPPER_CASE, values as stored), with
the descriptions a client reads in the schema."""

from collections.abc import Mapping
from enum import Enum
from typing import TypeVar

import strawberry
from strawberry.types.enum import has_enum_definition

from ..models import EventKind, IssueStatus, Role, Severity
from ..resolvers.issues.ordering import IssueOrderField

E = TypeVar("E", bound=Enum)


def described_enum(cls: type[E], name: str, description: str, values: Mapping[E, str]) -> None:
    """Registers a model enum, which cannot carry `strawberry.enum_value`s itself, with a
    description for the enum and for each of its values."""
    strawberry.enum(cls, name=name, description=description)
    registered: object = cls
    assert has_enum_definition(registered)
    for value in registered.__strawberry_definition__.values:
        value.description = values[cls[value.name]]


described_enum(
    Severity,
    "Severity",
    "How severe an issue is, as the people working it judge.",
    {
        Severity.CRITICAL: "The highest severity: it needs attention first.",
        Severity.IMPORTANT: "The middle severity.",
        Severity.INFO: "The lowest severity, and the one a new issue gets by default.",
    },
)
described_enum(
    IssueStatus,
    "IssueStatus",
    "Whether an issue is still being worked on.",
    {
        IssueStatus.OPEN: "Being worked on: it may be edited and get events.",
        IssueStatus.CLOSED: "Done for good: it takes no more changes, events or subscribers.",
    },
)
described_enum(
    EventKind,
    "IssueEventKind",
    "What an entry of an issue's timeline records.",
    {
        EventKind.CREATED: "The issue was created; the event holds its first description.",
        EventKind.UPDATED: "The issue was edited with a new description, which the event holds.",
        EventKind.CLOSED: "The issue was closed; the event holds the conclusion.",
        EventKind.NOTE: "Someone added a note to the timeline (`addIssueEvent`).",
    },
)
described_enum(
    Role,
    "Role",
    "What a member may do in a company.",
    {
        Role.OWNER: "Everything an admin may, and makes or unmakes owners; a company keeps one.",
        Role.ADMIN: "Everything a member may, manages members (not owners), changes the "
        "company's visibility and may delete it.",
        Role.MEMBER: "Sees the company, edits its name and logo, manages its categories and "
        "works its issues.",
    },
)

__all__ = ["EventKind", "IssueStatus", "Role", "Severity", "described_enum"]
described_enum(
    IssueOrderField,
    "IssueOrderField",
    "What an issue list can be ordered by; issues that tie are ordered by their ids.",
    {
        IssueOrderField.CREATED_AT: "When the issue was created.",
        IssueOrderField.UPDATED_AT: "When the issue last changed.",
        IssueOrderField.NAME: "The issue's name, case-insensitively.",
        IssueOrderField.SEVERITY: "Severity, INFO lowest, CRITICAL highest.",
        IssueOrderField.RELEVANCE: (
            "How well the issue matches the filter's `search` (needs one): most relevant "
            "first when DESC."
        ),
    },
)


@strawberry.enum(description="Which way an ordered list runs.")
class OrderDirection(Enum):
    ASC = strawberry.enum_value("asc", description="Lowest (earliest, A) first.")
    DESC = strawberry.enum_value("desc", description="Highest (latest, Z) first.")
