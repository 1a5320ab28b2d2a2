"""The typed arguments of issue reads and writes, and their cleaning."""

from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from ...models import Issue, IssueStatus, Severity, Tag
from ..core.errors import ErrorCode
from ..core.validation import LONG_TEXT_LENGTH, Collector, column_limit
from .search_language import NOTHING, ParsedSearch, parse, parse_plain

MAX_TAGS = 20
MAX_SEARCH_LENGTH = 255
"""A search is as long as the longest name it could be."""
TAG_LENGTH = column_limit(Tag, "name")
NAME_LENGTH = column_limit(Issue, "name")
EXTERNAL_REFERENCE_LENGTH = column_limit(Issue, "external_reference_id")


def check_search(search: str | None) -> None:
    """Raises ValidationFailed as an `IssueFilter` with this search would (it checks itself)."""
    IssueFilter(search=search)


def clean_search(check: Collector, search: str | None) -> str | None:
    return check.text("search", search, max_length=MAX_SEARCH_LENGTH, required=False, label="query")


def clean_tag(check: Collector, field: str, tag: str | None) -> str | None:
    """A tag as it is kept and compared: NFC, lower case, without surrounding blanks."""
    lowered = None if tag is None else tag.lower()
    return check.text(field, lowered, max_length=TAG_LENGTH, required=False, label="tag")


def in_utc(check: Collector, field: str, moment: datetime | None) -> datetime | None:
    """The moment in UTC (a naive one is UTC already); one that has no UTC time (the first
    hours of the year 1 east of Greenwich, the last of 9999 west of it) is out of range."""
    if moment is None or moment.tzinfo is None:
        return moment
    try:
        return moment.astimezone(UTC)
    except OverflowError:
        check.add(field, f"The {field} is out of range.", ErrorCode.OUT_OF_RANGE)
        return None


@dataclass(frozen=True, slots=True)
class IssueFilter:
    """Checked where it is made, so every face and both read paths (the ORM's and the compiled
    one) refuse the same filters alike (ValidationFailed)."""

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
    plain_search: bool = False
    """The search is plain words (Kinetic's `query`), not the search language."""
    parsed_search: ParsedSearch = field(default=NOTHING, init=False)
    """What `search` means (`search_language`)."""

    def __post_init__(self) -> None:
        check = Collector()
        cleaned: dict[str, Any] = {
            "search": clean_search(check, self.search),
            "tag": clean_tag(check, "tag", self.tag),
            "created_after": in_utc(check, "created_after", self.created_after),
            "created_before": in_utc(check, "created_before", self.created_before),
        }
        search = cleaned["search"] or ""
        if search.strip():
            read = parse_plain(search) if self.plain_search else parse(check, search)
            cleaned["parsed_search"] = read
        check.raise_if_any()
        for name, value in cleaned.items():
            object.__setattr__(self, name, value)  # frozen, but still being made

    @property
    def searching(self) -> bool:
        """Whether a search was given (not blank)."""
        return bool(self.search and self.search.strip())

    @property
    def deleted_only(self) -> bool:
        """Deleted issues instead of the others: asked for by `deleted` or `is:deleted`."""
        return self.deleted or self.parsed_search.deleted


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
    cleaned = sorted({tag for raw in tags if (tag := clean_tag(check, "tags", raw))})
    if len(cleaned) > MAX_TAGS:
        check.add("tags", f"An issue may carry at most {MAX_TAGS} tags.", ErrorCode.TOO_MANY)
    return cleaned


def clean_issue_fields(
    check: Collector, data: IssueDraft | IssueChanges, *, creating: bool
) -> dict[str, Any]:
    values: dict[str, Any] = {}
    if creating or data.name is not None:
        values["name"] = check.text("name", data.name, max_length=NAME_LENGTH)
    if data.severity is not None or creating:
        severity = check.choice("severity", data.severity, Severity)
        values["severity"] = severity or Severity.INFO
    description = check.text(
        "description", data.description, max_length=LONG_TEXT_LENGTH, required=False
    )
    if description:
        values["description"] = description  # blank means "no description", never a blank event
    if data.external_reference_id is not None:
        reference = check.text(
            "external_reference_id",
            data.external_reference_id,
            max_length=EXTERNAL_REFERENCE_LENGTH,
            required=False,
        )
        values["external_reference_id"] = reference or None
    return values
