"""Bad input on the ConnectNow face: text no column can hold is a 422 naming the field, a body
that cannot be read is a 400 and one of a type the face does not read a 415, all in the face's
JSON, the same on SQLite and PostgreSQL."""

import asyncio
import json
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import hypothesis
import pytest
import requests
from aiohttp import FormData
from aiohttp.test_utils import TestClient
from hypothesis import strategies as st

from issuetracker.models import Company, Issue

from ..openapi_fuzzing import base_url
from ..support import Person, make_category, make_issue
from .helpers import ISSUES, call, issue_body, post

NUL = "bad\x00text"
LONE_SURROGATE = "bad\ud800text"
BAD_TEXTS = [pytest.param(NUL, id="nul"), pytest.param(LONE_SURROGATE, id="lone-surrogate")]


@dataclass(frozen=True)
class Given:
    company: int
    category: int
    issue: int


@pytest.fixture
async def given(member: Person, company: Company) -> Given:
    category = await make_category(member, company)
    issue = await make_issue(member, category)
    return Given(company.id, category.id, issue.id)


Body = Callable[[Given, str], dict[str, Any]]

WRITES: list[tuple[str, str, Body, str]] = [
    ("POST", "/api/issues", lambda g, t: issue_body(g.category, name=t), "name"),
    ("POST", "/api/issues", lambda g, t: issue_body(g.category, description=t), "description"),
    ("PUT", "/api/issues/{issue}", lambda g, t: {"description": "D", "name": t}, "name"),
    ("PUT", "/api/issues/{issue}", lambda g, t: {"description": t}, "description"),
    ("POST", "/api/issues/{issue}/close", lambda g, t: {"description": t}, "description"),
    ("POST", "/api/categories", lambda g, t: {"name": t, "company_id": g.company}, "name"),
    ("PUT", "/api/categories/{category}", lambda g, t: {"name": t}, "name"),
    ("POST", "/api/companies", lambda g, t: {"name": t}, "name"),
    ("PUT", "/api/companies/{company}", lambda g, t: {"name": t}, "name"),
    (
        "POST",
        "/api/webhooks",
        lambda g, t: {"url": "http://127.0.0.1:9/h", "description": t},
        "description",
    ),
    ("POST", "/api/webhooks", lambda g, t: {"url": f"http://127.0.0.1:9/{t}"}, "url"),
    ("POST", "/api/issues/{issue}/subscriptions", lambda g, t: {"email": f"{t}@x.org"}, "email"),
    (
        "POST",
        "/api/categories/{category}/subscriptions",
        lambda g, t: {"email": f"{t}@x.org"},
        "email",
    ),
]


@pytest.mark.parametrize("text", BAD_TEXTS)
@pytest.mark.parametrize(
    ("method", "url", "body_of", "field"),
    WRITES,
    ids=[f"{method} {url} {field}" for method, url, _, field in WRITES],
)
async def test_text_no_column_can_hold_is_a_422_naming_the_field(
    client: TestClient,
    member: Person,
    given: Given,
    text: str,
    method: str,
    url: str,
    body_of: Body,
    field: str,
) -> None:
    # when a write is sent a NUL or a lone surrogate in one of its texts
    target = url.format(issue=given.issue, category=given.category, company=given.company)
    reply = await call(client, method, target, as_=member, json=body_of(given, text))

    # then it is Laravel's 422, naming the field
    assert reply.status == 422, reply.body
    assert list(reply.body["errors"]) == [field]


async def test_an_issue_with_a_nul_is_not_created_on_any_database(
    client: TestClient, member: Person, given: Given
) -> None:
    reply = await post(client, ISSUES, as_=member, json=issue_body(given.category, name=NUL))

    assert reply.status == 422
    assert reply.body == {
        "message": "The name may not contain a NUL character.",
        "errors": {"name": ["The name may not contain a NUL character."]},
    }
    assert await Issue.all().count() == 1  # the one given


async def test_text_is_stored_in_nfc(client: TestClient, member: Person, given: Given) -> None:
    reply = await post(
        client, ISSUES, as_=member, json=issue_body(given.category, name="Cafe\u0301")
    )

    assert reply.status == 201
    assert reply.body["name"] == "Café"


async def test_a_webhook_description_is_bounded(client: TestClient, member: Person) -> None:
    body = {"url": "http://127.0.0.1:9/h", "description": "d" * 1001}
    reply = await post(client, "/api/webhooks", as_=member, json=body)

    assert reply.status == 422
    assert reply.body["errors"] == {
        "description": ["The description may not be greater than 1000 characters."]
    }


MALFORMED: list[tuple[str, bytes, str]] = [
    (
        "no boundary",
        b'--x\r\nContent-Disposition: form-data; name="name"\r\n\r\nA\r\n--x--\r\n',
        "multipart/form-data",
    ),
    ("a wrong boundary", b"--y\r\n\r\nA\r\n--y--\r\n", "multipart/form-data; boundary=x"),
    (
        "a part without a name",
        b"--x\r\nContent-Disposition: form-data\r\n\r\nA\r\n--x--\r\n",
        "multipart/form-data; boundary=x",
    ),
    (
        "bytes that are not UTF-8",
        b"name=%FF&description=\xff\xfe",
        "application/x-www-form-urlencoded",
    ),
    ("a charset nobody knows", b"name=A", "application/x-www-form-urlencoded; charset=klingon"),
    ("JSON that is not UTF-8", b'{"name": "\xff"}', "application/json"),
    ("JSON nested past any sense", b"[" * 100_000 + b"]" * 100_000, "application/json"),
    (
        "a JSON number too long to read",
        b'{"category_ids": [' + b"9" * 5000 + b"]}",
        "application/json",
    ),
    ("JSON that is not an object", b'"hello"', "application/json"),
]


@pytest.mark.parametrize(
    ("body", "content_type"),
    [pytest.param(body, content_type, id=case) for case, body, content_type in MALFORMED],
)
@pytest.mark.parametrize(("method", "url"), [("POST", ISSUES), ("PUT", "/api/issues/{issue}")])
async def test_a_body_that_cannot_be_read_is_a_400_in_json(
    client: TestClient,
    member: Person,
    given: Given,
    method: str,
    url: str,
    body: bytes,
    content_type: str,
) -> None:
    # when a write is sent a body that cannot be read
    target = url.format(issue=given.issue)
    headers = {"Content-Type": content_type}
    reply = await call(client, method, target, as_=member, data=body, headers=headers)

    # then it is a 400 with the face's message, and nothing was made
    assert reply.status == 400, reply.body
    assert set(reply.body) == {"message"}
    assert await Issue.all().count() == 1


@pytest.mark.parametrize("content_type", ["text/plain", "application/xml", "image/png"])
async def test_a_body_of_a_type_the_face_does_not_read_is_a_415(
    client: TestClient, member: Person, given: Given, content_type: str
) -> None:
    headers = {"Content-Type": content_type}
    data = b'{"name": "A", "description": "B", "severity": "info"}'
    reply = await call(client, "POST", ISSUES, as_=member, data=data, headers=headers)

    assert reply.status == 415
    assert reply.body == {"message": "The body must be JSON (application/json) or a form."}


async def test_json_without_a_content_type_and_forms_still_work(
    client: TestClient, member: Person, given: Given
) -> None:
    # JSON sent without saying so, as some clients do
    data = b'{"name": "A", "description": "B", "severity": "info", "category_ids": [%d]}' % (
        given.category
    )
    response = await client.post(
        ISSUES, data=data, headers=member.headers, skip_auto_headers=["Content-Type"]
    )
    assert response.status == 201, await response.text()

    # and a multipart form with a boundary
    form = FormData()
    form.add_field("category_ids[]", str(given.category))
    for key in ("name", "description", "severity"):
        form.add_field(key, issue_body()[key])
    reply = await post(client, ISSUES, as_=member, data=form)
    assert reply.status == 201, reply.body


async def test_any_company_name_is_stored_in_nfc_or_refused_naming_it(
    client: TestClient, member: Person
) -> None:
    # when companies are created with any text as their name (NULs, lone surrogates, combining
    # marks, blanks, long text), over HTTP, on this test's database
    answers: list[tuple[str, int, Any]] = []

    @hypothesis.settings(max_examples=60, deadline=None, database=None, derandomize=True)
    @hypothesis.given(name=st.text(st.characters(exclude_categories=()), max_size=300))
    def create_company(name: str) -> None:
        response = requests.post(
            f"{base_url(client)}/api/companies",
            data=json.dumps({"name": name}),
            headers={**member.headers, "Content-Type": "application/json"},
            timeout=30,
        )
        answers.append((name, response.status_code, response.json()))

    await asyncio.to_thread(create_company)

    # then each is made with its name stripped and in NFC, or refused naming the name
    for name, status, body in answers:
        cleaned = unicodedata.normalize("NFC", name).strip() if "\x00" not in name else None
        if status == 201:
            assert body["name"] == cleaned
            assert 0 < len(body["name"]) <= 255
        else:
            assert status == 422, (name, status, body)
            assert list(body["errors"]) == ["name"]


@pytest.mark.parametrize("url", ["http://[::1/", "http://[zz]/x", "https://[/"])
async def test_a_webhook_url_that_cannot_be_read_is_a_422(
    client: TestClient, member: Person, url: str
) -> None:
    reply = await post(client, "/api/webhooks", as_=member, json={"url": url})

    assert reply.status == 422
    assert reply.body["errors"] == {"url": ["The url must be a valid http or https URL."]}
