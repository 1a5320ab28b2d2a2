"""DELETE /api/v1/issues/<guid>: soft; the issue shows as "Deleted" to those who may see it and
leaves the lists; closed issues cannot be deleted."""

from aiohttp.test_utils import TestClient

from issuetracker.models import Issue

from ..support import Person
from .helpers import (
    ISSUE,
    ISSUES,
    NOT_FOUND,
    SEARCH,
    UNAUTHENTICATED,
    UNKNOWN_GUID,
    assert_recent,
    create,
    delete,
    edit,
    get,
    names,
    show,
)


async def test_a_deleted_issue_shows_as_deleted_and_leaves_the_list(
    client: TestClient, owner: Person
) -> None:
    # given two issues
    created = await create(client, owner, name="Gone")
    await create(client, owner, name="Kept")

    # when one is deleted
    reply = await delete(client, ISSUE.format(created["guid"]), as_=owner)

    # then the answer is the issue, deleted; it can still be fetched, but is no longer listed
    assert reply.status == 200
    assert reply.body["status"] == "Deleted"
    assert_recent(reply.body["deleted_at"])
    assert (await show(client, created["guid"], owner)).body == reply.body
    assert names(await get(client, ISSUES, as_=owner)) == ["Kept"]
    assert names(await get(client, SEARCH + "?status=Deleted", as_=owner)) == ["Gone"]
    assert await Issue.filter(id=created["id"]).exists()


async def test_status_deleted_in_a_put_deletes_too(client: TestClient, owner: Person) -> None:
    created = await create(client, owner)

    reply = await edit(client, created["guid"], owner, status="Deleted")

    assert reply.status == 200
    assert reply.body["status"] == "Deleted"
    assert_recent(reply.body["deleted_at"])


async def test_a_deleted_issue_cannot_be_deleted_again(client: TestClient, owner: Person) -> None:
    created = await create(client, owner)
    first = await delete(client, ISSUE.format(created["guid"]), as_=owner)

    again = await delete(client, ISSUE.format(created["guid"]), as_=owner)

    assert again.status == 404
    assert (await show(client, created["guid"], owner)).body["deleted_at"] == first.body[
        "deleted_at"
    ]


async def test_a_closed_issue_cannot_be_deleted(client: TestClient, owner: Person) -> None:
    created = await create(client, owner)
    await edit(client, created["guid"], owner, status="Closed")

    reply = await delete(client, ISSUE.format(created["guid"]), as_=owner)

    assert reply.status == 422
    assert reply.body == {"success": False, "message": "The issue is closed."}
    assert (await show(client, created["guid"], owner)).body["status"] == "Closed"


async def test_another_users_issue_cannot_be_deleted(
    client: TestClient, owner: Person, outsider: Person
) -> None:
    created = await create(client, owner)

    reply = await delete(client, ISSUE.format(created["guid"]), as_=outsider)

    assert reply.status == 404
    assert reply.body == NOT_FOUND
    assert (await show(client, created["guid"], owner)).body["status"] == "Open"


async def test_without_a_token_nothing_is_deleted(
    client: TestClient, owner: Person, anonymous: Person
) -> None:
    created = await create(client, owner)

    reply = await delete(client, ISSUE.format(created["guid"]), as_=anonymous)
    unknown = await delete(client, ISSUE.format(UNKNOWN_GUID), as_=owner)

    assert (reply.status, reply.body) == (401, UNAUTHENTICATED)
    assert unknown.status == 404
    assert (await show(client, created["guid"], owner)).body["status"] == "Open"
