"""Reading a public company's status: its page, an issue's page, and the feeds, one statement
each (after `stamps.stamp_of` found the company). Anyone may read them: there is no actor, the
rules are the anonymous viewer's. None means there is nothing to show (the company is no
longer public, or the issue or category is not one of its to show)."""

import json
from datetime import datetime
from typing import Any

from ...sqljson.statements import current_dialect, fetch_text
from .shapes import (
    CompanyStatus,
    FeedEntry,
    IssueStatusPage,
    PublicCompany,
    StatusCategory,
    StatusFeed,
    StatusIssue,
    TimelineEvent,
    closed_since,
)
from .statements import (
    category_feed_sql,
    company_feed_sql,
    company_status_sql,
    issue_feed_sql,
    issue_status_sql,
)
from .times import json_time


async def _read(sql: str, values: list[object]) -> dict[str, Any] | None:
    text = await fetch_text(sql, values)
    return None if text is None else dict(json.loads(text))


async def company_status(company_id: int, now: datetime) -> CompanyStatus | None:
    dialect = current_dialect()
    since = closed_since(now)
    data = await _read(company_status_sql(dialect), [company_id, dialect.datetime_value(since)])
    if data is None:
        return None
    return CompanyStatus(
        PublicCompany.from_json(data),
        tuple(StatusCategory.from_json(category) for category in data["categories"]),
        tuple(StatusIssue.from_json(issue) for issue in data["closed"]),
        since,
        _changed_at(data),
        json_time(data["last_dropped"]),
    )


async def issue_status(company_id: int, issue_id: int) -> IssueStatusPage | None:
    data = await _read(issue_status_sql(current_dialect()), [company_id, issue_id])
    if data is None or data["found"] is None:
        return None
    found = data["found"]
    return IssueStatusPage(
        PublicCompany.from_json(data),
        StatusIssue.from_json(found["issue"]),
        tuple(StatusCategory.from_json(category) for category in found["categories"]),
        tuple(TimelineEvent.from_json(event) for event in found["events"]),
        int(found["event_count"]),
    )


async def company_feed(company_id: int) -> StatusFeed | None:
    data = await _read(company_feed_sql(current_dialect()), [company_id])
    return None if data is None else _feed(data, None, None)


async def category_feed(company_id: int, category_id: int) -> StatusFeed | None:
    data = await _read(category_feed_sql(current_dialect()), [company_id, category_id])
    if data is None or data["category"] is None:
        return None
    return _feed(data, StatusCategory.from_json(data["category"]), None)


async def issue_feed(company_id: int, issue_id: int) -> StatusFeed | None:
    data = await _read(issue_feed_sql(current_dialect()), [company_id, issue_id])
    if data is None or data["found"] is None:
        return None
    return _feed(data, None, StatusIssue.from_json(data["found"]["issue"]))


def _feed(
    data: dict[str, Any], category: StatusCategory | None, issue: StatusIssue | None
) -> StatusFeed:
    entries = tuple(
        FeedEntry(TimelineEvent.from_json(entry), entry["issue_id"], entry["issue_name"])
        for entry in data["entries"]
    )
    updated_at = entries[0].event.created_at if entries else _changed_at(data)
    return StatusFeed(PublicCompany.from_json(data), category, issue, entries, updated_at)


def _changed_at(data: dict[str, Any]) -> datetime:
    moment = json_time(data["changed_at"])
    assert moment is not None, "a company always has one"
    return moment
