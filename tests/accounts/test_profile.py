"""Users edit their own profile and change their password over GraphQL."""

import pytest
from aiohttp.test_utils import TestClient

from issuetracker.models import User
from issuetracker.notifications.dispatcher import Dispatcher

from ..notifications.conftest import SmtpServer
from .helpers import (
    NEW_PASSWORD,
    VIEWER,
    WRONG_PASSWORD,
    graphql,
    login,
    make_account,
    payload,
    signed_in_token,
    signs_in,
    the_mail,
    top_level_error,
    viewer,
)

UPDATE_PROFILE = """
mutation ($input: UpdateProfileInput!) {
  updateProfile(input: $input) {
    viewer { name timeZone phone title avatarUrl }
    errors { field message code }
  }
}
"""

CHANGE_PASSWORD = """
mutation ($current: String!, $new: String!) {
  changePassword(input: {currentPassword: $current, newPassword: $new}) {
    viewer { name }
    errors { field message code }
  }
}
"""

FULL_PROFILE = {
    "name": "Dana Doe",
    "timeZone": "Europe/Paris",
    "phone": "+33 1 23 45 67 89",
    "title": "Network engineer",
    "avatarUrl": "https://img.example.com/dana.png",
}


async def update(client: TestClient, token: str, **fields: str) -> dict:
    body = await graphql(client, UPDATE_PROFILE, {"input": fields}, token=token)
    return payload(body, "updateProfile")


async def change_password(client: TestClient, token: str, current: str, new: str) -> dict:
    return await graphql(client, CHANGE_PASSWORD, {"current": current, "new": new}, token=token)


# --- the profile ------------------------------------------------------------------------------


async def test_a_user_sets_every_field_of_their_profile(client: TestClient) -> None:
    # given a user
    account = await make_account()

    # when they set every field
    result = await update(client, account.token, **FULL_PROFILE)

    # then the payload and their viewer show it
    assert result == {"viewer": FULL_PROFILE, "errors": []}
    me = await viewer(client, account.token)
    assert me is not None
    assert {key: me[key] for key in FULL_PROFILE} == FULL_PROFILE


async def test_fields_left_out_stay_and_empty_ones_are_removed(client: TestClient) -> None:
    # given a user with a full profile
    account = await make_account()
    await update(client, account.token, **FULL_PROFILE)

    # when they change the title and empty the phone and the avatar
    result = await update(client, account.token, title="Architect", phone="", avatarUrl="")

    # then those change, and the rest stays
    assert result["viewer"] == {
        **FULL_PROFILE,
        "title": "Architect",
        "phone": None,
        "avatarUrl": None,
    }


async def test_every_invalid_field_is_reported_at_once_and_nothing_changes(
    client: TestClient,
) -> None:
    # given a user
    account = await make_account("Kept Name")

    # when every field they send is wrong
    result = await update(
        client,
        account.token,
        name="  ",
        timeZone="Mars/Olympus_Mons",
        phone="call me maybe",
        title="x" * 256,
        avatarUrl="javascript:alert(1)",
    )

    # then each is reported, and the profile is as it was
    assert result["viewer"] is None
    assert result["errors"] == [
        {"field": "name", "message": "The name field is required.", "code": "REQUIRED"},
        {
            "field": "timeZone",
            "message": "The time zone must be an IANA zone such as Europe/Paris, or a Rails name.",
            "code": "INVALID",
        },
        {
            "field": "phone",
            "message": "The phone must be a phone number, such as +1 555 0100.",
            "code": "INVALID",
        },
        {
            "field": "title",
            "message": "The title may not be greater than 255 characters.",
            "code": "TOO_LONG",
        },
        {
            "field": "avatarUrl",
            "message": "The avatar url must be an http or https URL.",
            "code": "INVALID_URL",
        },
    ]
    me = await viewer(client, account.token)
    assert me is not None
    assert me["name"] == "Kept Name"
    assert me["timeZone"] == "UTC"


@pytest.mark.parametrize(
    "zone", ["America/Argentina/Buenos_Aires", "Asia/Kolkata", "UTC", "Pacific/Chatham"]
)
async def test_iana_zones_are_accepted(client: TestClient, zone: str) -> None:
    account = await make_account()

    assert (await update(client, account.token, timeZone=zone))["errors"] == []


@pytest.mark.parametrize(
    ("given", "kept"),
    [
        ("Central Time (US & Canada)", "America/Chicago"),
        ("London", "Europe/London"),
        ("Edinburgh", "Europe/London"),
        ("Europe/London", "Europe/London"),
        ("Chatham Is.", "Pacific/Chatham"),
    ],
)
async def test_a_rails_zone_name_is_kept_as_its_iana_zone(
    client: TestClient, given: str, kept: str
) -> None:
    # given an account
    account = await make_account()

    # when its zone is set by a Rails name (or an IANA one)
    result = await update(client, account.token, timeZone=given)

    # then one canonical IANA name is kept
    assert result["errors"] == []
    me = await viewer(client, account.token)
    assert me is not None
    assert me["timeZone"] == kept


@pytest.mark.parametrize("zone", ["europe/paris", "../../etc/passwd", "", "GMT+25", "paris"])
async def test_other_zones_are_refused(client: TestClient, zone: str) -> None:
    account = await make_account()

    result = await update(client, account.token, timeZone=zone)

    assert [error["field"] for error in result["errors"]] == ["timeZone"]


@pytest.mark.parametrize(
    "url", ["ftp://files.example.com/a.png", "data:image/png;base64,AAAA", "https://", "img.png"]
)
async def test_avatar_urls_must_be_web_urls(client: TestClient, url: str) -> None:
    account = await make_account()

    result = await update(client, account.token, avatarUrl=url)

    assert [error["code"] for error in result["errors"]] == ["INVALID_URL"]


@pytest.mark.parametrize(
    "phone", ["+1 555 0100", "(555) 123-4567", "0612345678", "+44 20 7946 0958 ext. 12"]
)
async def test_phone_numbers_in_common_forms_are_accepted(client: TestClient, phone: str) -> None:
    account = await make_account()

    result = await update(client, account.token, phone=phone)

    assert result["errors"] == []
    assert result["viewer"]["phone"] == phone


async def test_anonymous_cannot_edit_a_profile(client: TestClient) -> None:
    body = await graphql(client, UPDATE_PROFILE, {"input": {"name": "Nobody"}})

    assert top_level_error(body) == ("UNAUTHENTICATED", "Unauthenticated.")


# --- the password -----------------------------------------------------------------------------


async def test_changing_the_password_ends_every_other_sign_in(
    client: TestClient, smtp: SmtpServer, dispatcher: Dispatcher
) -> None:
    # given a user signed in on two devices
    account = await make_account()
    laptop = await signed_in_token(client, account.email)
    phone = await signed_in_token(client, account.email)

    # when they change the password on the laptop
    body = await change_password(client, laptop, account.password, NEW_PASSWORD)

    # then the new password works and the old one does not; the laptop stays signed in, the
    # other tokens are refused, and an e-mail says the password changed
    assert payload(body, "changePassword")["errors"] == []
    assert await signs_in(client, account.email, NEW_PASSWORD)
    assert not await signs_in(client, account.email, account.password)
    assert await viewer(client, laptop) is not None
    for token in (phone, account.token):
        refused = await graphql(client, VIEWER, token=token)
        assert top_level_error(refused) == ("UNAUTHENTICATED", "Unauthenticated.")
    await the_mail(smtp, dispatcher, account.email, "Your password was changed")


async def test_a_wrong_current_password_and_a_weak_new_one_are_reported_together(
    client: TestClient,
) -> None:
    # given a user
    account = await make_account()

    # when they give a wrong current password and a common new one
    body = await change_password(client, account.token, WRONG_PASSWORD, "password123")

    # then both are reported, and the password stays
    assert payload(body, "changePassword") == {
        "viewer": None,
        "errors": [
            {
                "field": "currentPassword",
                "message": "The current password is incorrect.",
                "code": "INVALID_PASSWORD",
            },
            {
                "field": "newPassword",
                "message": "This password is too common; choose another.",
                "code": "TOO_COMMON",
            },
        ],
    }
    assert await signs_in(client, account.email, account.password)


async def test_wrong_current_passwords_count_as_failed_sign_ins(client: TestClient) -> None:
    # given a stolen token, with which three wrong current passwords were tried (the limit)
    account = await make_account()
    for _ in range(3):
        body = await change_password(client, account.token, WRONG_PASSWORD, NEW_PASSWORD)
        assert payload(body, "changePassword")["errors"][0]["code"] == "INVALID_PASSWORD"

    # when the right one is given from there, or the owner signs in from elsewhere
    again = await change_password(client, account.token, account.password, NEW_PASSWORD)
    sign_in = await login(client, account.email, from_address="10.30.0.1")

    # then the thief's client is refused for now, and the owner is not locked out
    assert top_level_error(again)[0] == "RATE_LIMITED"
    assert payload(sign_in, "login")["errors"] == []


async def test_an_account_without_a_password_is_told_to_choose_one_by_e_mail(
    client: TestClient,
) -> None:
    # given a user made without a password (as `create-user` does without --password)
    account = await make_account()
    await User.filter(id=account.user.id).update(password_hash="")

    # when they try to change it
    body = await change_password(client, account.token, "", NEW_PASSWORD)

    # then they are told how to set one
    assert payload(body, "changePassword")["errors"] == [
        {
            "field": "currentPassword",
            "message": "You have no password yet: choose one with requestPasswordReset.",
            "code": "INVALID_PASSWORD",
        }
    ]


async def test_anonymous_cannot_change_a_password(client: TestClient) -> None:
    body = await graphql(client, CHANGE_PASSWORD, {"current": "a", "new": "b"})

    assert top_level_error(body) == ("UNAUTHENTICATED", "Unauthenticated.")
