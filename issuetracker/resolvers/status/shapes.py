"""What a status page or feed shows, as the reads return it: only what anyone may see of a
public company. No people (owners, participants, authors), no addresses, invitations, action
items, facts or files; of an issue's categories, only the company's own."""

from dataclasses import dataclass
from datetime import UTC, datetime, time, timedelta
from typing import Any

from ...models import EventKind, IssueStatus, Severity
from ..issues.ordering import SEVERITY_RANKS
from .times import json_time

RECENT_DAYS = 7
"""A company's page lists the issues closed since midnight (UTC) this many days ago."""
TIMELINE_LENGTH = 200
"""An issue's page shows its latest events, up to this many."""
FEED_LENGTH = 50


def closed_since(now: datetime) -> datetime:
    """The page shows issues closed since then; it moves at midnight (UTC), so a rendered copy
    is good for the rest of the day (`good_until`)."""
    return datetime.combine(now.astimezone(UTC).date(), time(), UTC) - timedelta(days=RECENT_DAYS)


def _day_after(moment: datetime) -> datetime:
    return datetime.combine(moment.astimezone(UTC).date(), time(), UTC) + timedelta(days=1)


def good_until(now: datetime) -> datetime:
    """When `closed_since` moves next."""
    return closed_since(now) + timedelta(days=RECENT_DAYS + 1)


def shown_logo_url(url: str | None) -> str | None:
    """A logo is shown from an http(s) URL only (the field takes any text)."""
    if url is None or not url.lower().startswith(("https://", "http://")):
        return None
    return url


@dataclass(frozen=True, slots=True)
class PublicCompany:
    id: int
    name: str
    slug: str
    logo_url: str | None
    created_at: datetime

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> "PublicCompany":
        logo_url = shown_logo_url(data["logo_url"])
        return cls(data["id"], data["name"], data["slug"], logo_url, _time(data["created_at"]))


@dataclass(frozen=True, slots=True)
class StatusIssue:
    id: int
    name: str
    severity: Severity
    status: IssueStatus
    started_at: datetime
    updated_at: datetime
    """Its last event's time (or its creation): the last thing anyone was told of it."""
    closed_at: datetime | None

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> "StatusIssue":
        return cls(
            data["id"],
            data["name"],
            Severity(data["severity"]),
            IssueStatus(data["status"]),
            _time(data["created_at"]),
            _time(data["updated_at"]),
            json_time(data["closed_at"]),
        )


@dataclass(frozen=True, slots=True)
class StatusCategory:
    id: int
    name: str
    open_issues: tuple[StatusIssue, ...]
    """Newest first."""

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> "StatusCategory":
        issues = tuple(StatusIssue.from_json(issue) for issue in data.get("open", ()))
        return cls(data["id"], data["name"], issues)


@dataclass(frozen=True, slots=True)
class CompanyStatus:
    company: PublicCompany
    categories: tuple[StatusCategory, ...]
    """By name."""
    recently_closed: tuple[StatusIssue, ...]
    """Closed since `closed_since`, the latest first."""
    closed_since: datetime
    updated_at: datetime
    """The company's last change."""
    last_dropped: datetime | None
    """When the last issue closed before `closed_since` was closed."""

    @property
    def last_modified(self) -> datetime:
        """When the page last changed: at the company's last change, or when an issue left
        the list of those lately closed, whichever came last."""
        if self.last_dropped is None:
            return self.updated_at
        return max(self.updated_at, _day_after(self.last_dropped) + timedelta(days=RECENT_DAYS))

    @property
    def open_issue_count(self) -> int:
        return len({issue.id for category in self.categories for issue in category.open_issues})

    @property
    def overall(self) -> Severity | None:
        """The most severe open issue's severity; None when all is clear."""
        severities = [issue.severity for c in self.categories for issue in c.open_issues]
        return max(severities, key=SEVERITY_RANKS.__getitem__, default=None)


@dataclass(frozen=True, slots=True)
class TimelineEvent:
    id: int
    kind: EventKind
    description: str
    created_at: datetime

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> "TimelineEvent":
        return cls(data["id"], EventKind(data["kind"]), data["description"], _time(data["at"]))


@dataclass(frozen=True, slots=True)
class IssueStatusPage:
    company: PublicCompany
    issue: StatusIssue
    categories: tuple[StatusCategory, ...]
    """The company's categories the issue is in (without their issues)."""
    events: tuple[TimelineEvent, ...]
    """The latest `TIMELINE_LENGTH`, newest first."""
    event_count: int


@dataclass(frozen=True, slots=True)
class FeedEntry:
    event: TimelineEvent
    issue_id: int
    issue_name: str


@dataclass(frozen=True, slots=True)
class StatusFeed:
    """The latest `FEED_LENGTH` events of a company's issues, of one category's or of one
    issue's, newest first."""

    company: PublicCompany
    category: StatusCategory | None
    issue: StatusIssue | None
    entries: tuple[FeedEntry, ...]
    updated_at: datetime
    """The latest entry's time, or the company's last change when there is none."""


def _time(value: str) -> datetime:
    moment = json_time(value)
    assert moment is not None, "a time the reads always give"
    return moment
