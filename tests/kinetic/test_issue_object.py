"""GET /api/v1/issues/<guid>: the full issue object of the sample, every key present, times in the
owner's zone, and e-mail addresses, invitations and webhook URLs only for those taking part."""

import io
from datetime import UTC, datetime

import pytest
from aiohttp.test_utils import TestClient

from issuetracker.app_storage import upload_store
from issuetracker.models import PART_TIMES, Company, Issue, User, UserStatus
from issuetracker.resolvers.accounts.relations import shown_email
from issuetracker.resolvers.issues.participants import accept_invitation, invite_to_issue
from issuetracker.resolvers.issues.uploads import ReceivedFile, add_upload
from issuetracker.settings import Settings

from ..support import Person, anonymous_scope, make_category, make_company, make_issue
from .helpers import (
    ISSUE,
    ISSUES,
    NOT_FOUND,
    UNAUTHENTICATED,
    UNKNOWN_GUID,
    UPLOAD_KEYS,
    USER_KEYS,
    create,
    get,
    set_time_zone,
    show,
)

APRIL_FIRST = datetime(2015, 4, 1, 16, 25, 39, 17_000, tzinfo=UTC)
"""11:25:39.017 in Chicago, as in the sample."""


async def set_times(guid: str, moment: datetime) -> None:
    await Issue.filter(guid=guid).update(
        created_at=moment, updated_at=moment, **dict.fromkeys(PART_TIMES, moment)
    )


async def test_the_issue_object_has_the_samples_fields_and_formats(
    client: TestClient, owner: Person
) -> None:
    assert owner.user is not None
    # given an issue made through the API
    created = await create(client, owner, description="This is a description")

    # when it is fetched by its guid
    reply = await show(client, created["guid"], owner)

    # then it is the same object, with the sample's types
    assert reply.status == 200
    issue = reply.body
    assert issue == created
    assert isinstance(issue["id"], int)
    assert issue["owner_id"] == owner.user.id
    assert len(issue["hash_key"]) == 40
    assert int(issue["hash_key"], 16) >= 0
    assert issue["conference_number"] is None
    assert issue["guid"] == str((await Issue.get(id=issue["id"])).guid)
    assert issue["owner"] == issue["participants"][0]
    assert set(issue["owner"]) == USER_KEYS


async def test_times_are_written_in_the_owners_zone_with_milliseconds(
    client: TestClient, owner: Person, member: Person, company: Company
) -> None:
    assert member.user is not None
    # given an owner in Chicago, and an issue created at 16:25:39.017 UTC on April 1st 2015
    await set_time_zone(owner, "America/Chicago")
    created = await create(client, owner, owner_id=member.user.id)
    await set_time_zone(member, "America/Chicago")
    await User.filter(id=member.user.id).update(created_at=APRIL_FIRST)
    await set_times(created["guid"], APRIL_FIRST)

    # when someone in another zone fetches it
    await set_time_zone(owner, "Asia/Tokyo")
    issue = (await show(client, created["guid"], owner)).body

    # then every time is written as the sample writes it, in the (new) owner's zone
    assert issue["created_at"] == "2015-04-01T11:25:39.017-05:00"
    assert issue["updated_at"] == "2015-04-01T11:25:39.017-05:00"
    for part_time in PART_TIMES:
        assert issue[part_time] == "2015-04-01T11:25:39.017-05:00"
    assert issue["owner"]["created_at"] == "2015-04-01T11:25:39.017-05:00"
    assert issue["owner"]["time_zone"] == "Central Time (US & Canada)"


@pytest.mark.parametrize(
    ("zone", "shown"),
    [
        ("America/Chicago", "Central Time (US & Canada)"),
        ("Europe/London", "Edinburgh"),
        ("America/Mexico_City", "Guadalajara"),
        ("Pacific/Tongatapu", "Nuku'alofa"),
        ("Etc/UTC", "UTC"),
        ("America/Argentina/Cordoba", "America/Argentina/Cordoba"),
    ],
)
async def test_a_zone_is_shown_by_its_first_rails_name_or_else_its_iana_name(
    client: TestClient, owner: Person, zone: str, shown: str
) -> None:
    # given an owner whose zone is kept by its IANA name
    created = await create(client, owner)
    await set_time_zone(owner, zone)

    # when the issue is shown, alone and in a list
    issue = (await show(client, created["guid"], owner)).body
    listed = (await get(client, ISSUES, as_=owner)).body["issues"][0]

    # then the owner's zone reads as a Rails client names it
    assert issue["owner"]["time_zone"] == shown
    assert listed["owner"]["time_zone"] == shown


@pytest.mark.parametrize("zone", ["UTC", "Central Time (US & Canada)", "Nowhere/Special", "../x"])
async def test_utc_and_unknown_zones_are_written_as_utc_with_z(
    client: TestClient, owner: Person, zone: str
) -> None:
    created = await create(client, owner)
    await set_times(created["guid"], APRIL_FIRST)
    await set_time_zone(owner, zone)

    issue = (await show(client, created["guid"], owner)).body

    assert issue["created_at"] == "2015-04-01T16:25:39.017Z"
    assert issue["owner"]["time_zone"] == zone


async def test_a_part_never_changed_shows_the_issues_creation_time(
    client: TestClient, owner: Person
) -> None:
    # given an issue whose part times were never set (as rows from before they existed)
    created = await create(client, owner)
    await set_times(created["guid"], APRIL_FIRST)
    await Issue.filter(guid=created["guid"]).update(**dict.fromkeys(PART_TIMES, None))

    issue = (await show(client, created["guid"], owner)).body

    for part_time in PART_TIMES:
        assert issue[part_time] == "2015-04-01T16:25:39.017Z"


async def test_the_user_object_is_the_samples(client: TestClient, owner: Person) -> None:
    assert owner.user is not None
    # given an owner with a phone, a title, a company and an avatar
    await User.filter(id=owner.user.id).update(
        phone="555-555-5555", title="Title", avatar_url="https://cdn.example.com/a.png"
    )
    await make_company(owner, name="Companydd")
    created = await create(client, owner)

    user = (await show(client, created["guid"], owner)).body["owner"]

    assert set(user) == USER_KEYS
    assert user["id"] == owner.user.id
    assert user["email"] == owner.user.email
    assert user["name"] == "Olive Owner"
    assert user["status"] == "Active"
    assert user["deleted_at"] is None
    assert user["guid"] == str(owner.user.guid)
    assert user["time_zone"] == "UTC"
    assert (user["company"], user["phone"], user["title"]) == ("Companydd", "555-555-5555", "Title")
    assert user["avatar_url"] == "https://cdn.example.com/a.png"
    for avatar_field in ("file_name", "content_type", "file_size", "updated_at"):
        assert user[f"avatar_{avatar_field}"] is None


async def test_a_disabled_user_shows_as_disabled(
    client: TestClient, owner: Person, member: Person, company: Company
) -> None:
    assert member.user is not None
    created = await create(client, owner, owner_id=member.user.id)
    await User.filter(id=member.user.id).update(status=UserStatus.DISABLED)

    issue = (await show(client, created["guid"], owner)).body

    assert issue["owner"]["status"] == "Disabled"


async def test_a_company_the_viewer_cannot_see_is_not_named(
    client: TestClient, owner: Person, outsider: Person, private_company: Company
) -> None:
    assert outsider.user is not None
    # given the owner, a member of a private company, shares an issue with an outsider, who
    # joined it by invitation
    created = await create(client, owner)
    invitation = await invite_to_issue(owner.scope, created["id"], outsider.user.email)
    await accept_invitation(anonymous_scope(), invitation.id)

    as_owner = (await show(client, created["guid"], owner)).body
    as_outsider = (await show(client, created["guid"], outsider)).body

    [creator] = [user for user in as_owner["participants"] if user["name"] == "Olive Owner"]
    [seen_by_outsider] = [u for u in as_outsider["participants"] if u["name"] == "Olive Owner"]
    assert creator["company"] == "Private Ltd"
    assert seen_by_outsider["company"] is None


async def test_those_taking_part_see_addresses_invitations_and_the_webhook_url(
    client: TestClient, owner: Person, member: Person, company: Company
) -> None:
    assert owner.user is not None
    assert member.user is not None
    # given an issue in a public company's category, with an invitation and a webhook URL,
    # which the member of the company may see without taking part in it
    issue = await make_issue(owner, await make_category(owner, company))
    await Issue.filter(id=issue.id).update(webhook_url="http://127.0.0.1:9/secret-hook")
    await invite_to_issue(owner.scope, issue.id, "guest@example.com")

    # when the owner and the member fetch it
    as_owner = (await show(client, str(issue.guid), owner)).body
    as_member = (await show(client, str(issue.guid), member)).body

    # then only the owner, who takes part, sees addresses, invitations and the webhook URL
    assert as_owner["owner"]["email"] == owner.user.email
    assert [row["email"] for row in as_owner["invitations"]] == ["guest@example.com"]
    assert as_owner["webhook_url"] == "http://127.0.0.1:9/secret-hook"
    assert as_member["owner"]["email"] is None
    assert [user["email"] for user in as_member["participants"]] == [None]
    assert as_member["invitations"] == []
    assert as_member["webhook_url"] == ""
    assert as_member["owner"]["name"] == as_owner["owner"]["name"]


def test_a_users_own_address_is_shown_to_them_and_to_those_taking_part_only() -> None:
    taking_part = {1, 2}

    assert shown_email(2, 1, "one@example.com", taking_part) == "one@example.com"
    assert shown_email(3, 3, "three@example.com", taking_part) == "three@example.com"
    assert shown_email(3, 1, "one@example.com", taking_part) is None
    assert shown_email(None, 1, "one@example.com", taking_part) is None


async def test_uploads_are_listed_with_a_url_that_serves_the_file_to_those_who_may_see_it(
    client: TestClient, settings: Settings, owner: Person, outsider: Person
) -> None:
    assert owner.user is not None
    # given an issue with a file attached
    created = await create(client, owner)
    received = ReceivedFile("notes.txt", "text/plain", io.BytesIO(b"The router is on fire."))
    await add_upload(owner.scope, created["id"], received, upload_store(client.app))

    # when the issue is fetched, and then its file
    issue = (await show(client, created["guid"], owner)).body
    [upload] = issue["uploads"]
    download = await client.get(upload["url"], headers=owner.headers)
    refused = await client.get(upload["url"], headers=outsider.headers)

    # then the upload has Paperclip's fields, and its URL serves the file, to the owner only
    assert set(upload) == UPLOAD_KEYS
    assert upload["issue_id"] == created["id"]
    assert upload["user_id"] == owner.user.id
    assert (upload["file_file_name"], upload["file_content_type"]) == ("notes.txt", "text/plain")
    assert upload["file_file_size"] == len(b"The router is on fire.")
    assert upload["file_updated_at"] == upload["created_at"]
    assert download.status == 200
    assert await download.read() == b"The router is on fire."
    assert refused.status == 404


async def test_another_users_issue_is_not_found(
    client: TestClient, owner: Person, outsider: Person
) -> None:
    created = await create(client, owner)

    reply = await show(client, created["guid"], outsider)

    assert reply.status == 404
    assert reply.body == NOT_FOUND


@pytest.mark.parametrize("guid", [UNKNOWN_GUID, "42", "not-a-guid"])
async def test_unknown_and_malformed_guids_are_not_found(
    client: TestClient, owner: Person, guid: str
) -> None:
    reply = await show(client, guid, owner)

    assert reply.status == 404
    assert reply.body["success"] is False


async def test_without_a_token_the_issue_is_not_shown(
    client: TestClient, owner: Person, anonymous: Person
) -> None:
    created = await create(client, owner)

    reply = await get(client, ISSUE.format(created["guid"]), as_=anonymous)

    assert reply.status == 401
    assert reply.body == UNAUTHENTICATED
