"""The typed arguments of issue reads and writes, and their cleaning."""

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from ...models import IssueStatus, Severity
from ..core.errors import ErrorCode, ValidationFailed
from ..core.validation import Collector

MAX_TAGS = 20
MAX_SEARCH_LENGTH = 255


def check_search(search: str | None) -> None:
    if search is not None and len(search.strip()) > MAX_SEARCH_LENGTH:
        message = f"The query may not be greater than {MAX_SEARCH_LENGTH} characters."
        raise ValidationFailed.single("search", message, ErrorCode.TOO_LONG)


@dataclass(frozen=True, slots=True)
class IssueFilter:
    company_ids: list[int] | None = None
    category_ids: list[int] | None = None
    severity: Severity | None = None
    status: IssueStatus | None = None
    created_after: datetime | None = None
    """Inclusive."""
    created_before: datetime | None = None
    """Exclusive."""
    search: str | None = None
    tag: str | None = None
    involving_viewer: bool = False
    """Only issues the viewer owns or takes part in."""
    shared_with_user_id: int | None = None
    """Only issues that user takes part in too."""
    deleted: bool = False
    """Deleted issues instead of the others."""


@dataclass(frozen=True, slots=True)
class IssueDraft:
    name: str | None
    description: str | None = None
    severity: str | None = None
    category_ids: list[int] | None = None
    tags: list[str] | None = None
    owner_id: int | None = None
    """Defaults to the creator, who takes part either way."""
    external_reference_id: str | None = None
    webhook_url: str | None = None


@dataclass(frozen=True, slots=True)
class IssueChanges:
    name: str | None = None
    description: str | None = None
    severity: str | None = None
    category_ids: list[int] | None = None
    """Synced when given: categories not listed are removed."""
    tags: list[str] | None = None
    """Synced when given."""
    owner_id: int | None = None
    external_reference_id: str | None = None
    webhook_url: str | None = None
    """A blank value removes it."""
    closing: bool = False
    """Close the issue after the other changes, with `conclusion` if given."""
    deleting: bool = False
    """Delete the issue after the other changes (softly)."""
    conclusion: str | None = None


def clean_tags(check: Collector, tags: list[str] | None) -> list[str] | None:
    if tags is None:
        return None
    cleaned = sorted({tag.strip().lower() for tag in tags if tag.strip()})
    if len(cleaned) > MAX_TAGS:
        check.add("tags", f"An issue may carry at most {MAX_TAGS} tags.", ErrorCode.TOO_MANY)
    if any(len(tag) > 64 for tag in cleaned):
        check.add("tags", "A tag may not be greater than 64 characters.", ErrorCode.TOO_LONG)
    return cleaned


def clean_issue_fields(
    check: Collector, data: IssueDraft | IssueChanges, *, creating: bool
) -> dict[str, Any]:
    values: dict[str, Any] = {}
    if creating or data.name is not None:
        values["name"] = check.text("name", data.name)
    if data.severity is not None or creating:
        severity = check.choice("severity", data.severity, Severity)
        values["severity"] = severity or Severity.INFO
    description = check.text("description", data.description, max_length=65535, required=False)
    if description:
        values["description"] = description  # blank means "no description", never a blank event
    if data.external_reference_id is not None:
        values["external_reference_id"] = (
            check.text("external_reference_id", data.external_reference_id, required=False) or None
        )
    return values
