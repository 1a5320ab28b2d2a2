"""Bad input on the Kinetic face: text no column can hold is a 422 (the document's "a field is
malformed") naming the field in its message, a body that cannot be read is a 400 and one of a
type the face does not read a 415, in the face's envelope, the same on SQLite and PostgreSQL."""

from typing import Any

import pytest
from aiohttp.test_utils import TestClient

from issuetracker.models import Issue

from ..support import Person
from .helpers import ISSUE, ISSUES, SEARCH, call, create, get, post

NUL = "bad\x00text"
LONE_SURROGATE = "bad\ud800text"
BAD_TEXTS = [pytest.param(NUL, id="nul"), pytest.param(LONE_SURROGATE, id="lone-surrogate")]

CREATES: list[tuple[dict[str, Any], str]] = [
    ({"name": "{}"}, "name"),
    ({"name": "N", "description": "{}"}, "description"),
    ({"name": "N", "tag_list": ["ok", "{}"]}, "tag"),
    ({"name": "N", "tag_list": "ok,{}"}, "tag"),
    ({"name": "N", "external_reference_id": "{}"}, "external_reference_id"),
    ({"name": "N", "webhook_url": "http://127.0.0.1:9/{}"}, "webhook_url"),
]
EDITS: list[tuple[dict[str, Any], str]] = [
    ({"name": "{}"}, "name"),
    ({"status": "Closed", "conclusion": "{}"}, "conclusion"),
    ({"invitations": ["{}@example.com"]}, "email"),
    ({"action_items": [{"description": "{}"}]}, "description"),
    ({"facts": [{"description": "{}"}]}, "description"),
]


def _with(template: Any, text: str) -> Any:
    """The template with `{}` in its strings replaced by the text."""
    if isinstance(template, dict):
        return {key: _with(value, text) for key, value in template.items()}
    if isinstance(template, list):
        return [_with(value, text) for value in template]
    return template.replace("{}", text) if isinstance(template, str) else template


def _names_the_field(message: str, field: str) -> bool:
    return message.startswith(f"The {field} ")


@pytest.mark.parametrize("text", BAD_TEXTS)
@pytest.mark.parametrize(("template", "field"), CREATES, ids=[field for _, field in CREATES])
async def test_creating_with_text_no_column_can_hold_is_a_422(
    client: TestClient, owner: Person, text: str, template: dict[str, Any], field: str
) -> None:
    reply = await post(client, ISSUES, as_=owner, json=_with(template, text))

    assert reply.status == 422, reply.body
    assert reply.body["success"] is False
    assert _names_the_field(reply.body["message"], field), reply.body
    assert await Issue.all().count() == 0


@pytest.mark.parametrize("text", BAD_TEXTS)
@pytest.mark.parametrize(("template", "field"), EDITS, ids=[field for _, field in EDITS])
async def test_editing_with_text_no_column_can_hold_is_a_422(
    client: TestClient, owner: Person, text: str, template: dict[str, Any], field: str
) -> None:
    # given an issue of the owner
    issue = await create(client, owner, name="Kept")

    # when a PUT sends a NUL or a lone surrogate in one of its texts
    reply = await call(
        client, "PUT", ISSUE.format(issue["guid"]), as_=owner, json=_with(template, text)
    )

    # then it is a 422 naming the field, and the issue is as it was
    assert reply.status == 422, reply.body
    assert _names_the_field(reply.body["message"], field), reply.body
    shown = await get(client, ISSUE.format(issue["guid"]), as_=owner)
    assert (shown.body["name"], shown.body["status"]) == ("Kept", "Open")
    assert shown.body["action_items"] == shown.body["facts"] == shown.body["invitations"] == []


@pytest.mark.parametrize(
    ("query", "message"),
    [
        ("%00", "The query may not contain a NUL character."),
        ("a%00b", "The query may not contain a NUL character."),
        ("x" * 256, "The query may not be greater than 255 characters."),
    ],
    ids=["nul", "nul-inside", "too-long"],
)
async def test_a_search_query_no_column_can_hold_is_a_422(
    client: TestClient, owner: Person, query: str, message: str
) -> None:
    reply = await get(client, f"{SEARCH}?query={query}", as_=owner)

    assert reply.status == 422
    assert reply.body == {"success": False, "message": message}


@pytest.mark.parametrize("query", ["%ED%A0%80", "%FF", "a\ud800b"], ids=["cesu", "ff", "raw"])
async def test_a_query_of_bytes_that_are_not_utf8_is_searched_as_replacement_characters(
    client: TestClient, owner: Person, query: str
) -> None:
    # given an issue of the owner
    await create(client, owner, name="Printer down")

    # when the query's bytes are not UTF-8 (a surrogate's, or none at all)
    reply = await get(client, f"{SEARCH}?query={query}", as_=owner)

    # then they arrive as U+FFFD, which matches nothing
    assert reply.status == 200, reply.body
    assert reply.body["issues"] == []


async def test_a_search_as_long_as_a_name_finds_it(client: TestClient, owner: Person) -> None:
    await create(client, owner, name="n" * 255)

    reply = await get(client, f"{SEARCH}?query={'n' * 255}", as_=owner)

    assert reply.status == 200
    assert [issue["name"] for issue in reply.body["issues"]] == ["n" * 255]


MALFORMED: list[tuple[str, bytes, str]] = [
    (
        "no boundary",
        b'--x\r\nContent-Disposition: form-data; name="name"\r\n\r\nA\r\n--x--\r\n',
        "multipart/form-data",
    ),
    ("bytes that are not UTF-8", b"name=\xff\xfe", "application/x-www-form-urlencoded"),
    ("JSON nested past any sense", b"[" * 100_000 + b"]" * 100_000, "application/json"),
    ("JSON that is not an object", b"[1, 2]", "application/json"),
]


@pytest.mark.parametrize(
    ("body", "content_type"),
    [pytest.param(body, content_type, id=case) for case, body, content_type in MALFORMED],
)
@pytest.mark.parametrize("method", ["POST", "PUT"])
async def test_a_body_that_cannot_be_read_is_a_400_in_the_envelope(
    client: TestClient, owner: Person, method: str, body: bytes, content_type: str
) -> None:
    # given an issue of the owner
    issue = await create(client, owner, name="Kept")
    url = ISSUES if method == "POST" else ISSUE.format(issue["guid"])

    # when a write is sent a body that cannot be read
    headers = {"Content-Type": content_type}
    reply = await call(client, method, url, as_=owner, data=body, headers=headers)

    # then it is a 400 in the face's envelope, and nothing changed
    assert reply.status == 400, reply.body
    assert reply.body["success"] is False
    assert isinstance(reply.body["message"], str)
    assert [issue.name for issue in await Issue.all()] == ["Kept"]


@pytest.mark.parametrize("method", ["POST", "PUT"])
async def test_a_body_of_a_type_the_face_does_not_read_is_a_415(
    client: TestClient, owner: Person, method: str
) -> None:
    issue = await create(client, owner, name="Kept")
    url = ISSUES if method == "POST" else ISSUE.format(issue["guid"])

    headers = {"Content-Type": "text/plain"}
    reply = await call(client, method, url, as_=owner, data=b'{"name": "B"}', headers=headers)

    assert reply.status == 415
    assert reply.body == {
        "success": False,
        "message": "The body must be JSON (application/json) or a form.",
    }


@pytest.mark.parametrize("url", ["http://[::1/", "http://[zz]/x"])
async def test_a_webhook_url_that_cannot_be_read_is_a_422(
    client: TestClient, owner: Person, url: str
) -> None:
    reply = await post(client, ISSUES, as_=owner, json={"name": "N", "webhook_url": url})

    assert reply.status == 422
    assert reply.body == {
        "success": False,
        "message": "The webhook_url must be a valid http or https URL.",
    }
