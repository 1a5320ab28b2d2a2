"""Speaking the ConnectNow dialect over HTTP, as its clients do: its routes, and the shapes it
must answer."""

import re
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

from aiohttp.test_utils import TestClient
from multidict import CIMultiDictProxy
from yarl import URL

from ..support import Person

TIMESTAMP = re.compile(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{6}Z$")

PAGE_KEYS = {
    "current_page",
    "data",
    "first_page_url",
    "from",
    "next_page_url",
    "path",
    "per_page",
    "prev_page_url",
    "to",
}
ISSUE_KEYS = {"id", "name", "severity", "closed_at", "created_at", "updated_at"}
CREATED_ISSUE_KEYS = ISSUE_KEYS - {"closed_at"}
EVENT_KEYS = {"id", "issue_id", "description", "created_at", "updated_at"}
CATEGORY_KEYS = {"id", "name", "company_id", "created_at", "updated_at"}
COMPANY_KEYS = {"id", "name", "created_at", "updated_at"}
WEBHOOK_KEYS = {"id", "user_id", "url", "description", "created_at", "updated_at"}

UNAUTHENTICATED = {"message": "Unauthenticated."}

ISSUES = "/api/issues"
ISSUE = "/api/issues/{}"
CLOSE = "/api/issues/{}/close"
CATEGORIES = "/api/categories"
CATEGORY = "/api/categories/{}"
COMPANIES = "/api/companies"
COMPANY = "/api/companies/{}"
WEBHOOKS = "/api/webhooks"
WEBHOOK = "/api/webhooks/{}"


@dataclass(frozen=True)
class Reply:
    status: int
    body: Any
    headers: CIMultiDictProxy[str]


async def call(
    client: TestClient,
    method: str,
    url: str,
    *,
    as_: Person | None = None,
    json: Any = None,
    data: Any = None,
    headers: dict[str, str] | None = None,
) -> Reply:
    """One request; the body is decoded as JSON whenever there is one."""
    all_headers = {**(as_.headers if as_ else {}), **(headers or {})}
    response = await client.request(method, url, json=json, data=data, headers=all_headers)
    text = await response.text()
    if text:
        assert response.content_type == "application/json", text
    body = await response.json() if text else None
    return Reply(response.status, body, response.headers)


async def get(client: TestClient, url: str, *, as_: Person | None = None) -> Reply:
    return await call(client, "GET", url, as_=as_)


async def post(client: TestClient, url: str, *, as_: Person | None = None, **body: Any) -> Reply:
    return await call(client, "POST", url, as_=as_, **body)


async def put(client: TestClient, url: str, *, as_: Person | None = None, **body: Any) -> Reply:
    return await call(client, "PUT", url, as_=as_, **body)


async def delete(client: TestClient, url: str, *, as_: Person | None = None) -> Reply:
    return await call(client, "DELETE", url, as_=as_)


async def follow(client: TestClient, link: str, *, as_: Person | None = None) -> Reply:
    """Follows an absolute paginator link on the test server."""
    return await get(client, URL(link).path_qs, as_=as_)


def ids(reply: Reply) -> list[int]:
    return [row["id"] for row in reply.body["data"]]


def names(reply: Reply) -> list[str]:
    return [row["name"] for row in reply.body["data"]]


def assert_timestamps(row: dict[str, Any], *fields: str) -> None:
    """Laravel's `2021-04-26T22:25:35.000000Z`, in UTC: a fresh row was stamped just now."""
    for field in fields or ("created_at", "updated_at"):
        value = row[field]
        assert isinstance(value, str), (field, value)
        assert TIMESTAMP.match(value), (field, value)
        moment = datetime.strptime(value, "%Y-%m-%dT%H:%M:%S.%fZ").replace(tzinfo=UTC)
        assert abs(datetime.now(UTC) - moment) < timedelta(minutes=5), (field, value)


def issue_body(*category_ids: int, **overrides: Any) -> dict[str, Any]:
    """A valid create-issue body."""
    return {
        "category_ids": list(category_ids),
        "name": "Server login issues",
        "description": "Nobody can log in since 9:00.",
        "severity": "critical",
        **overrides,
    }
