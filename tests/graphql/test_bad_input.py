"""Text no column can hold, text too long for its column, and times with no moment in UTC are
bad input on every mutation and filter: `BAD_USER_INPUT` or a payload error naming the field,
never INTERNAL_SERVER_ERROR, and the same on SQLite and PostgreSQL. Text is kept in NFC."""

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import pytest

from issuetracker.models import Company, Issue

from ..support import Api, Person, error_codes, gid, make_category, make_issue

NUL = "bad\x00text"
LONE_SURROGATE = "bad\ud800text"
BAD_TEXTS = [pytest.param(NUL, id="nul"), pytest.param(LONE_SURROGATE, id="lone-surrogate")]

ISSUES = """
query ($filter: IssueFilterInput) { issues(filter: $filter) { nodes { name tags } } }
"""

CREATE_ISSUE = """
mutation ($input: CreateIssueInput!) {
  createIssue(input: $input) { issue { name tags } errors { field message code } }
}
"""


@dataclass(frozen=True)
class Given:
    """Global ids of what a mutation's input may name: a category, its company and an issue
    (the member's)."""

    company: str
    category: str
    issue: str


@pytest.fixture
async def given(member: Person, company: Company) -> Given:
    category = await make_category(member, company)
    issue = await make_issue(member, category)
    return Given(gid("Company", company), gid("Category", category), gid("Issue", issue))


Input = Callable[[Given, str], dict[str, Any]]

# Each mutation's input with one text replaced by the bad text, and the field to be named.
MUTATIONS: list[tuple[str, str, Input, str]] = [
    ("createIssue", "CreateIssueInput", lambda g, t: {"name": t, "description": "D"}, "name"),
    (
        "createIssue",
        "CreateIssueInput",
        lambda g, t: {"name": "N", "description": t, "categoryIds": [g.category]},
        "description",
    ),
    (
        "createIssue",
        "CreateIssueInput",
        lambda g, t: {"name": "N", "description": "D", "tags": [t]},
        "tags",
    ),
    (
        "createIssue",
        "CreateIssueInput",
        lambda g, t: {"name": "N", "description": "D", "externalReferenceId": t},
        "externalReferenceId",
    ),
    ("updateIssue", "UpdateIssueInput", lambda g, t: {"id": g.issue, "name": t}, "name"),
    (
        "addIssueEvent",
        "AddIssueEventInput",
        lambda g, t: {"issueId": g.issue, "description": t},
        "description",
    ),
    (
        "closeIssue",
        "CloseIssueInput",
        lambda g, t: {"id": g.issue, "description": t},
        "description",
    ),
    ("addFact", "AddFactInput", lambda g, t: {"issueId": g.issue, "description": t}, "description"),
    (
        "inviteToIssue",
        "InviteToIssueInput",
        lambda g, t: {"issueId": g.issue, "email": f"{t}@example.com"},
        "email",
    ),
    (
        "subscribeToIssue",
        "SubscribeToIssueInput",
        lambda g, t: {"issueId": g.issue, "email": f"{t}@example.com"},
        "email",
    ),
    ("createCompany", "CreateCompanyInput", lambda g, t: {"name": t}, "name"),
    (
        "updateCompany",
        "UpdateCompanyInput",
        lambda g, t: {"id": g.company, "logoUrl": t},
        "logoUrl",
    ),
    (
        "createCategory",
        "CreateCategoryInput",
        lambda g, t: {"companyId": g.company, "name": t},
        "name",
    ),
    (
        "createWebhook",
        "CreateWebhookInput",
        lambda g, t: {"url": "http://127.0.0.1:9/h", "description": t},
        "description",
    ),
    ("createApiToken", "CreateApiTokenInput", lambda g, t: {"name": t}, "name"),
    ("updateProfile", "UpdateProfileInput", lambda g, t: {"title": t}, "title"),
    ("updateProfile", "UpdateProfileInput", lambda g, t: {"timeZone": t}, "timeZone"),
    (
        "changePassword",
        "ChangePasswordInput",
        lambda g, t: {"currentPassword": t, "newPassword": "a long new passphrase"},
        "currentPassword",
    ),
    (
        "register",
        "RegisterInput",
        lambda g, t: {
            "email": f"{t}@example.com",
            "name": "N",
            "password": "correct horse battery",
        },
        "email",
    ),
    (
        "register",
        "RegisterInput",
        lambda g, t: {"email": "new@example.com", "name": t, "password": "correct horse battery"},
        "name",
    ),
    (
        "register",
        "RegisterInput",
        lambda g, t: {"email": "new@example.com", "name": "N", "password": t + " horse battery"},
        "password",
    ),
    (
        "login",
        "LoginInput",
        lambda g, t: {"email": f"{t}@example.com", "password": "whatever it is"},
        "email",
    ),
    (
        "login",
        "LoginInput",
        lambda g, t: {"email": "someone@example.com", "password": t},
        "password",
    ),
    (
        "requestPasswordReset",
        "RequestPasswordResetInput",
        lambda g, t: {"email": f"{t}@example.com"},
        "email",
    ),
]


@pytest.mark.parametrize("text", BAD_TEXTS)
@pytest.mark.parametrize(
    ("mutation", "input_type", "input_of", "field"),
    MUTATIONS,
    ids=[f"{mutation}.{field}" for mutation, _, _, field in MUTATIONS],
)
async def test_text_no_column_can_hold_is_a_payload_error_naming_the_field(
    api: Api,
    member: Person,
    given: Given,
    text: str,
    mutation: str,
    input_type: str,
    input_of: Input,
    field: str,
) -> None:
    # when a mutation is sent a NUL or a lone surrogate in one text field
    document = f"""
    mutation ($input: {input_type}!) {{ {mutation}(input: $input) {{ errors {{ field code }} }} }}
    """
    body = await api.graphql(document, {"input": input_of(given, text)}, as_=member)

    # then the field is named in the payload, as invalid: no server error
    assert "errors" not in body, body["errors"]
    assert {"field": field, "code": "INVALID"} in body["data"][mutation]["errors"]


@pytest.mark.parametrize("text", BAD_TEXTS)
async def test_a_link_token_that_is_not_ascii_is_an_invalid_token(api: Api, text: str) -> None:
    for document, variables in [
        (
            "mutation ($t: String!) { verifyEmail(input: {token: $t}) { errors { field code } } }",
            {"t": f"user.stamp.1.{text}é"},
        ),
        (
            "mutation ($t: String!) { resetPassword(input: {token: $t, password: $t}) "
            "{ errors { field code } } }",
            {"t": f"user.stamp.1.{text}é"},
        ),
    ]:
        body = await api.graphql(document, variables)

        assert "errors" not in body, body["errors"]
        (payload,) = body["data"].values()
        assert payload["errors"] == [{"field": "token", "code": "INVALID_TOKEN"}]


async def test_an_issue_with_a_nul_in_its_name_is_not_created(api: Api, member: Person) -> None:
    # when an issue is created with a NUL in its name and a lone surrogate in a tag
    body = await api.graphql(
        CREATE_ISSUE,
        {"input": {"name": NUL, "description": "D", "tags": ["ok", LONE_SURROGATE]}},
        as_=member,
    )

    # then both fields are named, and nothing was stored
    assert body["data"]["createIssue"] == {
        "issue": None,
        "errors": [
            {
                "field": "name",
                "message": "The name may not contain a NUL character.",
                "code": "INVALID",
            },
            {
                "field": "tags",
                "message": "The tag is not valid Unicode (it holds a lone surrogate).",
                "code": "INVALID",
            },
        ],
    }
    assert await Issue.all().count() == 0


@pytest.mark.parametrize("text", BAD_TEXTS)
@pytest.mark.parametrize("field", ["search", "tag"])
async def test_a_filter_text_no_column_can_hold_is_bad_user_input(
    api: Api, member: Person, given: Given, field: str, text: str
) -> None:
    # when issues are filtered by a text with a NUL or a lone surrogate
    body = await api.graphql(ISSUES, {"filter": {field: text}}, as_=member)

    # then the field is named as bad input
    assert error_codes(body) == ["BAD_USER_INPUT"]
    assert [error["field"] for error in body["errors"][0]["extensions"]["errors"]] == [field]
    assert body["data"] is None


@pytest.mark.parametrize("length", [65, 100, 255])
async def test_a_tag_filter_longer_than_any_tag_is_bad_user_input(
    api: Api, member: Person, given: Given, length: int
) -> None:
    # when issues are filtered by a tag longer than a tag may be (64 characters)
    body = await api.graphql(ISSUES, {"filter": {"tag": "t" * length}}, as_=member)

    # then it is refused as too long, naming the field
    assert error_codes(body) == ["BAD_USER_INPUT"]
    assert body["errors"][0]["extensions"]["errors"] == [
        {"field": "tag", "message": "The tag may not be greater than 64 characters."}
    ]


@pytest.mark.parametrize("length", [65, 100, 255])
async def test_a_search_as_long_as_a_name_may_be_searches(
    api: Api, member: Person, company: Company, length: int
) -> None:
    # given an issue whose name is as long as the search
    category = await make_category(member, company)
    await make_issue(member, category, name="s" * length)

    # when issues are searched with up to 255 characters
    body = await api.graphql(ISSUES, {"filter": {"search": "s" * length}}, as_=member)

    # then the search runs (longer than a tag, it matches no tag, but names)
    assert "errors" not in body, body["errors"]
    assert [node["name"] for node in body["data"]["issues"]["nodes"]] == ["s" * length]


async def test_a_search_longer_than_a_name_is_bad_user_input(api: Api, member: Person) -> None:
    body = await api.graphql(ISSUES, {"filter": {"search": "s" * 256}}, as_=member)

    assert error_codes(body) == ["BAD_USER_INPUT"]
    assert body["errors"][0]["extensions"]["errors"] == [
        {"field": "search", "message": "The query may not be greater than 255 characters."}
    ]


@pytest.mark.parametrize(
    ("field", "moment"),
    [
        ("createdAfter", "0001-01-01T00:00:00+14:00"),
        ("createdBefore", "0001-01-01T13:59:59+14:00"),
        ("createdAfter", "9999-12-31T23:59:59-14:00"),
    ],
)
async def test_a_time_with_no_moment_in_utc_is_bad_user_input(
    api: Api, member: Person, given: Given, field: str, moment: str
) -> None:
    # when issues are filtered by a time before the year 1 or after 9999 in UTC
    body = await api.graphql(ISSUES, {"filter": {field: moment}}, as_=member)

    # then the field is named as out of range
    assert error_codes(body) == ["BAD_USER_INPUT"]
    assert [error["field"] for error in body["errors"][0]["extensions"]["errors"]] == [field]


async def test_the_first_and_last_moments_in_utc_filter_as_any_other(
    api: Api, member: Person, given: Given
) -> None:
    body = await api.graphql(
        ISSUES,
        {
            "filter": {
                "createdAfter": "0001-01-01T00:00:00+00:00",
                "createdBefore": "9999-12-31T23:59:59+00:00",
            }
        },
        as_=member,
    )

    assert "errors" not in body, body["errors"]
    assert len(body["data"]["issues"]["nodes"]) == 1


async def test_text_is_kept_in_nfc_and_found_in_any_normal_form(
    api: Api, member: Person, company: Company
) -> None:
    # given an issue named and tagged with a combining accent ("e" + U+0301)
    category = await make_category(member, company)
    decomposed = "Cafe\u0301 cre\u0300me"
    body = await api.graphql(
        CREATE_ISSUE,
        {
            "input": {
                "name": decomposed,
                "description": "D",
                "categoryIds": [gid("Category", category)],
                "tags": ["e\u0301te\u0301"],
            }
        },
        as_=member,
    )

    # then it is kept with precomposed characters (NFC)
    assert body["data"]["createIssue"] == {
        "issue": {"name": "Café crème", "tags": ["été"]},
        "errors": [],
    }
    # and the tag is found written either way
    for tag in ("été", "e\u0301te\u0301"):
        found = await api.data(ISSUES, {"filter": {"tag": tag}}, as_=member)
        assert found["issues"]["nodes"] == [{"name": "Café crème", "tags": ["été"]}]


@pytest.mark.parametrize(
    ("input_type", "mutation", "values", "field", "code"),
    [
        (
            "UpdateProfileInput",
            "updateProfile",
            {"avatarUrl": "http://[::1/"},
            "avatarUrl",
            "INVALID_URL",
        ),
        ("CreateWebhookInput", "createWebhook", {"url": "http://[zz]/"}, "url", "INVALID_URL"),
        (
            "CreateIssueInput",
            "createIssue",
            {"name": "N", "description": "D", "webhookUrl": "https://[/"},
            "webhookUrl",
            "INVALID_URL",
        ),
    ],
)
async def test_a_url_that_cannot_be_read_is_a_payload_error(
    api: Api,
    member: Person,
    input_type: str,
    mutation: str,
    values: dict[str, str],
    field: str,
    code: str,
) -> None:
    document = f"""
    mutation ($input: {input_type}!) {{ {mutation}(input: $input) {{ errors {{ field code }} }} }}
    """
    body = await api.graphql(document, {"input": values}, as_=member)

    assert "errors" not in body, body["errors"]
    assert body["data"][mutation]["errors"] == [{"field": field, "code": code}]
