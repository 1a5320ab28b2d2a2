"""Speaking the Kinetic Response v1 dialect over HTTP, as its clients do, and the shapes it must
answer (the document's samples)."""

import re
from datetime import UTC, datetime, timedelta
from typing import Any

from aiohttp.test_utils import TestClient

from issuetracker.models import Issue, User

from ..connectnow.helpers import Reply, call, delete, get, post, put
from ..support import Person

__all__ = ["Reply", "call", "delete", "get", "post", "put"]

ISSUES = "/api/v1/issues"
ISSUE = "/api/v1/issues/{}"
SEARCH = "/api/v1/issues/search"
SHARED = "/api/v1/users/{}/shared_issues"
TAGS = "/api/v1/tags"

TIMESTAMP = re.compile(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}(Z|[+-]\d\d:\d\d)$")
PART_TIMES = {
    "categories_updated_at",
    "messages_updated_at",
    "unknowns_updated_at",
    "facts_updated_at",
    "action_items_updated_at",
    "uploads_updated_at",
    "involvements_updated_at",
}
ISSUE_KEYS = {
    "id",
    "name",
    "description",
    "created_at",
    "updated_at",
    "conference_number",
    "hash_key",
    "owner_id",
    "deleted_at",
    "status",
    "external_reference_id",
    *PART_TIMES,
    "guid",
    "conclusion",
    "webhook_url",
    "webhook_secret",
    "participants",
    "invitations",
    "tag_list",
    "action_items",
    "facts",
    "uploads",
    "owner",
}
USER_KEYS = {
    "id",
    "email",
    "name",
    "created_at",
    "updated_at",
    "status",
    "deleted_at",
    "guid",
    "time_zone",
    "company",
    "phone",
    "title",
    "avatar_file_name",
    "avatar_content_type",
    "avatar_file_size",
    "avatar_updated_at",
    "avatar_url",
}
INVITATION_KEYS = {"id", "email", "invited_by_id", "accepted_at", "created_at", "updated_at"}
ACTION_ITEM_KEYS = {
    "id",
    "issue_id",
    "description",
    "done",
    "assignee_id",
    "due_date",
    "created_at",
    "updated_at",
}
FACT_KEYS = {"id", "issue_id", "description", "user_id", "created_at", "updated_at"}
UPLOAD_KEYS = {
    "id",
    "issue_id",
    "user_id",
    "file_file_name",
    "file_content_type",
    "file_file_size",
    "file_updated_at",
    "created_at",
    "updated_at",
    "url",
}
PAGE_KEYS = {"count", "limit", "offset", "issues"}

UNAUTHENTICATED = {"success": False, "message": "Error with your login or password"}
NOT_FOUND = {"success": False, "message": "Issue not found."}
UNKNOWN_GUID = "00000000-0000-4000-8000-000000000000"


async def create(client: TestClient, as_: Person, **body: Any) -> dict[str, Any]:
    """An issue made through POST /api/v1/issues, as the answer shows it."""
    reply = await post(client, ISSUES, as_=as_, json={"name": "Printers are down", **body})
    assert reply.status == 200, reply.body
    return reply.body


async def show(client: TestClient, guid: str, as_: Person) -> Reply:
    return await get(client, ISSUE.format(guid), as_=as_)


async def edit(client: TestClient, issue_guid: str, as_: Person, /, **body: Any) -> Reply:
    """PUT; the body's fields are keywords (`guid=` among them, to see it ignored)."""
    return await put(client, ISSUE.format(issue_guid), as_=as_, json=body)


def names(reply: Reply) -> list[str]:
    return [issue["name"] for issue in reply.body["issues"]]


def parse_time(value: str) -> datetime:
    assert TIMESTAMP.match(value), value
    return datetime.fromisoformat(value.replace("Z", "+00:00"))


def assert_recent(value: str) -> None:
    assert abs(datetime.now(UTC) - parse_time(value)) < timedelta(minutes=5), value


async def set_time_zone(person: Person, zone: str) -> None:
    assert person.user is not None
    await User.filter(id=person.user.id).update(time_zone=zone)


async def issue_row(guid: str) -> Issue:
    return await Issue.get(guid=guid)
