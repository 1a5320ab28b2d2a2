"""The JSON shapes of the ConnectNow dialect, as in its documented samples."""

from datetime import UTC, datetime
from typing import Any

from ...models import Category, Company, Issue, IssueEvent, Webhook


def timestamp(moment: datetime | None) -> str | None:
    """Laravel's `2021-04-26T22:25:35.000000Z`."""
    if moment is None:
        return None
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def issue_json(issue: Issue) -> dict[str, Any]:
    return {
        "id": issue.id,
        "name": issue.name,
        "severity": issue.severity.value,
        "closed_at": timestamp(issue.closed_at),
        "created_at": timestamp(issue.created_at),
        "updated_at": timestamp(issue.updated_at),
    }


def created_issue_json(issue: Issue) -> dict[str, Any]:
    """The create sample carries only what was set: no `closed_at`."""
    created = issue_json(issue)
    del created["closed_at"]
    return created


def event_json(event: IssueEvent) -> dict[str, Any]:
    return {
        "id": event.id,
        "issue_id": event.issue_id,
        "description": event.description,
        "created_at": timestamp(event.created_at),
        "updated_at": timestamp(event.updated_at),
    }


def category_json(category: Category) -> dict[str, Any]:
    return {
        "id": category.id,
        "name": category.name,
        "company_id": category.company_id,
        "created_at": timestamp(category.created_at),
        "updated_at": timestamp(category.updated_at),
    }


def company_json(company: Company) -> dict[str, Any]:
    return {
        "id": company.id,
        "name": company.name,
        "created_at": timestamp(company.created_at),
        "updated_at": timestamp(company.updated_at),
    }


def webhook_json(webhook: Webhook) -> dict[str, Any]:
    return {
        "id": webhook.id,
        "user_id": webhook.user_id,
        "url": webhook.url,
        "description": webhook.description,
        "created_at": timestamp(webhook.created_at),
        "updated_at": timestamp(webhook.updated_at),
    }
