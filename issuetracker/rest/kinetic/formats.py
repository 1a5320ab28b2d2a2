"""The JSON shapes of the Kinetic dialect, as in its documented samples: every key present
(`null` where empty), times in the issue owner's zone with milliseconds."""

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, date, datetime, tzinfo
from functools import lru_cache
from typing import Any
from zoneinfo import ZoneInfo

from ...models import (
    PART_TIMES,
    ActionItem,
    Fact,
    Invitation,
    Issue,
    IssueStatus,
    Upload,
    User,
    UserStatus,
)
from ...resolvers.accounts.rails_zones import rails_name
from ...resolvers.accounts.relations import shown_email
from ...resolvers.issues.uploads import download_path

STATUSES = ("Open", "Closed", "Deleted")


@lru_cache(maxsize=512)
def zone_named(name: str | None) -> tzinfo:
    """An IANA zone (`America/Chicago`); UTC for a name the zone database does not know."""
    if not name:
        return UTC
    try:
        return ZoneInfo(name)
    except (KeyError, ValueError, OSError):  # unknown, malformed, or a directory of zones
        return UTC


def timestamp(moment: datetime | None, zone: tzinfo) -> str | None:
    """Rails' `2015-04-01T11:25:39.017-05:00`: milliseconds, the offset of `zone`, and `Z`
    for a zero offset."""
    if moment is None:
        return None
    local = moment.astimezone(zone)
    text = local.isoformat(timespec="milliseconds")
    return text.removesuffix("+00:00") + "Z" if not local.utcoffset() else text


def day(value: date | None) -> str | None:
    return value.isoformat() if value else None


def issue_status(issue: Issue) -> str:
    if issue.deleted_at is not None:
        return "Deleted"
    return "Closed" if issue.status is IssueStatus.CLOSED else "Open"


@dataclass(frozen=True, slots=True)
class Related:
    """What an issue object shows beyond the issue's own row, read in batches."""

    owner: User | None
    participants: list[User]
    tags: list[str]
    invitations: list[Invitation]
    action_items: list[ActionItem]
    facts: list[Fact]
    uploads: list[Upload]
    webhook_url: str | None
    webhook_secret: str | None
    company_names: Mapping[int, str | None]
    """Of every user shown, keyed by user id."""


@dataclass(frozen=True, slots=True)
class Shown:
    """Who is looking, and in which zone the times are written."""

    viewer_id: int | None
    zone: tzinfo
    participant_ids: frozenset[int]
    company_names: Mapping[int, str | None]


def user_json(user: User, shown: Shown) -> dict[str, Any]:
    zone = shown.zone
    return {
        "id": user.id,
        "email": shown_email(shown.viewer_id, user.id, user.email, shown.participant_ids),
        "name": user.name,
        "created_at": timestamp(user.created_at, zone),
        "updated_at": timestamp(user.updated_at, zone),
        "status": "Disabled" if user.status is UserStatus.DISABLED else "Active",
        "deleted_at": None,
        "guid": str(user.guid),
        "time_zone": rails_name(user.time_zone),
        "company": shown.company_names.get(user.id),
        "phone": user.phone,
        "title": user.title,
        "avatar_file_name": None,
        "avatar_content_type": None,
        "avatar_file_size": None,
        "avatar_updated_at": None,
        "avatar_url": user.avatar_url,
    }


def invitation_json(invitation: Invitation, zone: tzinfo) -> dict[str, Any]:
    return {
        "id": invitation.id,
        "email": invitation.email,
        "invited_by_id": invitation.invited_by_id,
        "accepted_at": timestamp(invitation.accepted_at, zone),
        "created_at": timestamp(invitation.created_at, zone),
        "updated_at": timestamp(invitation.updated_at, zone),
    }


def action_item_json(item: ActionItem, zone: tzinfo) -> dict[str, Any]:
    return {
        "id": item.id,
        "issue_id": item.issue_id,
        "description": item.description,
        "done": item.done,
        "assignee_id": item.assignee_id,
        "due_date": day(item.due_on),
        "created_at": timestamp(item.created_at, zone),
        "updated_at": timestamp(item.updated_at, zone),
    }


def fact_json(fact: Fact, zone: tzinfo) -> dict[str, Any]:
    return {
        "id": fact.id,
        "issue_id": fact.issue_id,
        "description": fact.description,
        "user_id": fact.author_id,
        "created_at": timestamp(fact.created_at, zone),
        "updated_at": timestamp(fact.updated_at, zone),
    }


def upload_json(upload: Upload, zone: tzinfo) -> dict[str, Any]:
    """Paperclip's attachment columns, plus where to fetch the file (with a token)."""
    return {
        "id": upload.id,
        "issue_id": upload.issue_id,
        "user_id": upload.uploaded_by_id,
        "file_file_name": upload.file_name,
        "file_content_type": upload.content_type,
        "file_file_size": upload.size,
        "file_updated_at": timestamp(upload.created_at, zone),
        "created_at": timestamp(upload.created_at, zone),
        "updated_at": timestamp(upload.updated_at, zone),
        "url": download_path(upload.guid),
    }


def issue_json(issue: Issue, related: Related, viewer_id: int | None) -> dict[str, Any]:
    """The full issue object, keys in the sample's order. A part's time that was never set
    means "since the issue was created"."""
    zone = zone_named(related.owner.time_zone if related.owner else None)
    shown = Shown(
        viewer_id,
        zone,
        frozenset(user.id for user in related.participants),
        related.company_names,
    )
    part_times = {
        name: timestamp(getattr(issue, name) or issue.created_at, zone) for name in PART_TIMES
    }
    return {
        "id": issue.id,
        "name": issue.name,
        "description": issue.description or None,
        "created_at": timestamp(issue.created_at, zone),
        "updated_at": timestamp(issue.updated_at, zone),
        "conference_number": issue.conference_number,
        "hash_key": issue.hash_key,
        "owner_id": issue.owner_id,
        "deleted_at": timestamp(issue.deleted_at, zone),
        "status": issue_status(issue),
        "external_reference_id": issue.external_reference_id,
        "categories_updated_at": part_times["categories_updated_at"],
        "messages_updated_at": part_times["messages_updated_at"],
        "unknowns_updated_at": part_times["unknowns_updated_at"],
        "facts_updated_at": part_times["facts_updated_at"],
        "action_items_updated_at": part_times["action_items_updated_at"],
        "uploads_updated_at": part_times["uploads_updated_at"],
        "involvements_updated_at": part_times["involvements_updated_at"],
        "guid": str(issue.guid),
        "conclusion": issue.conclusion,
        "webhook_url": related.webhook_url or "",
        "webhook_secret": related.webhook_secret,
        "participants": [user_json(user, shown) for user in related.participants],
        "invitations": [invitation_json(row, zone) for row in related.invitations],
        "tag_list": related.tags,
        "action_items": [action_item_json(row, zone) for row in related.action_items],
        "facts": [fact_json(row, zone) for row in related.facts],
        "uploads": [upload_json(row, zone) for row in related.uploads],
        "owner": user_json(related.owner, shown) if related.owner else None,
    }
