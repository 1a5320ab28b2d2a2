"""createCompany, updateCompany and deleteCompany: who may do each, and what an invalid change
leaves behind (nothing)."""

import pytest

from issuetracker.models import Company
from issuetracker.schema.relay import to_global_id

from ..support import Api, Person, gid, make_category, nothing_answered, only_error
from .company_helpers import (
    COMPANIES,
    COMPANY_BY_ID,
    DELETE_COMPANY,
    MISSING_COMPANY_ID,
    VIEWER_COMPANIES,
    company_seen_by,
    names,
)

CREATE_COMPANY = """
mutation ($input: CreateCompanyInput!) {
  createCompany(input: $input) {
    company { id name logoUrl isPublic viewerRole }
    errors { field message code }
  }
}
"""

UPDATE_COMPANY = """
mutation ($input: UpdateCompanyInput!) {
  updateCompany(input: $input) {
    company { id name logoUrl isPublic }
    errors { field message code }
  }
}
"""


# --- createCompany --------------------------------------------------------------------------------


async def test_anonymous_cannot_create_a_company(api: Api, anonymous: Person) -> None:
    # when an anonymous client tries to create a company
    body = await api.graphql(CREATE_COMPANY, {"input": {"name": "Acme"}}, as_=anonymous)

    # then it is refused as unauthenticated, and no company exists
    assert only_error(body) == ("UNAUTHENTICATED", "Unauthenticated.")
    assert nothing_answered(body)
    assert (await api.data(COMPANIES))["companies"]["totalCount"] == 0


async def test_any_signed_in_user_creates_a_company_and_owns_it(api: Api, outsider: Person) -> None:
    # when a user with no company creates one
    body = await api.data(
        CREATE_COMPANY,
        {"input": {"name": "  Acme  ", "logoUrl": "https://example.com/acme.png"}},
        as_=outsider,
    )

    # then it is created public, with a trimmed name, and its creator is the owner
    payload = body["createCompany"]
    assert payload["errors"] == []
    assert payload["company"]["name"] == "Acme"
    assert payload["company"]["logoUrl"] == "https://example.com/acme.png"
    assert payload["company"]["isPublic"] is True
    assert payload["company"]["viewerRole"] == "OWNER"
    assert names(await api.data(COMPANIES)) == ["Acme"]
    assert (await api.data(VIEWER_COMPANIES, as_=outsider))["viewer"]["companies"]["edges"][0][
        "node"
    ] == {"name": "Acme", "viewerRole": "OWNER"}


async def test_a_private_company_is_seen_by_its_creator_only(
    api: Api, outsider: Person, anonymous: Person, member: Person
) -> None:
    # when a user creates a private company
    body = await api.data(
        CREATE_COMPANY, {"input": {"name": "Secret Inc", "isPublic": False}}, as_=outsider
    )
    created = body["createCompany"]["company"]

    # then its creator sees it, and nobody else does
    assert created["isPublic"] is False
    mine = await api.graphql(COMPANY_BY_ID, {"id": created["id"]}, as_=outsider)
    assert mine["data"]["company"]["name"] == "Secret Inc"
    for person in (anonymous, member):
        body = await api.graphql(COMPANY_BY_ID, {"id": created["id"]}, as_=person)
        assert only_error(body) == ("NOT_FOUND", "Company not found.")


@pytest.mark.parametrize(
    ("name", "message", "code"),
    [
        ("", "The name field is required.", "REQUIRED"),
        ("   ", "The name field is required.", "REQUIRED"),
        ("x" * 256, "The name may not be greater than 255 characters.", "TOO_LONG"),
    ],
)
async def test_a_company_needs_a_name_of_sensible_length(
    api: Api, outsider: Person, name: str, message: str, code: str
) -> None:
    # when a user creates a company with an empty, blank or too long name
    body = await api.data(CREATE_COMPANY, {"input": {"name": name}}, as_=outsider)

    # then the payload names the field, and nothing is created
    assert body["createCompany"] == {
        "company": None,
        "errors": [{"field": "name", "message": message, "code": code}],
    }
    assert (await api.data(COMPANIES, as_=outsider))["companies"]["totalCount"] == 0


async def test_every_invalid_field_of_a_new_company_is_reported_at_once(
    api: Api, outsider: Person
) -> None:
    # when both the name and the logo URL are invalid
    body = await api.data(
        CREATE_COMPANY, {"input": {"name": "", "logoUrl": "x" * 2049}}, as_=outsider
    )

    # then both are reported
    assert body["createCompany"]["errors"] == [
        {"field": "name", "message": "The name field is required.", "code": "REQUIRED"},
        {
            "field": "logoUrl",
            "message": "The logo_url may not be greater than 2048 characters.",
            "code": "TOO_LONG",
        },
    ]
    assert body["createCompany"]["company"] is None


# --- updateCompany --------------------------------------------------------------------------------


async def test_anonymous_cannot_edit_a_company(
    api: Api, anonymous: Person, company: Company
) -> None:
    # when an anonymous client renames a company
    body = await api.graphql(
        UPDATE_COMPANY, {"input": {"id": gid("Company", company), "name": "Hacked"}}, as_=anonymous
    )

    # then it is refused as unauthenticated, and the name stays
    assert only_error(body) == ("UNAUTHENTICATED", "Unauthenticated.")
    assert (await company_seen_by(api, anonymous, company))["name"] == company.name


async def test_an_outsider_cannot_edit_a_public_company(
    api: Api, outsider: Person, company: Company
) -> None:
    # when a non-member renames a public company
    body = await api.graphql(
        UPDATE_COMPANY, {"input": {"id": gid("Company", company), "name": "Hacked"}}, as_=outsider
    )

    # then it is forbidden, and the name stays
    assert only_error(body) == ("FORBIDDEN", "You do not have access to this company.")
    assert (await company_seen_by(api, outsider, company))["name"] == company.name


async def test_an_outsider_editing_a_private_company_finds_nothing(
    api: Api, outsider: Person, owner: Person, private_company: Company
) -> None:
    # when a non-member renames a private company
    body = await api.graphql(
        UPDATE_COMPANY,
        {"input": {"id": gid("Company", private_company), "name": "Hacked"}},
        as_=outsider,
    )
    missing = await api.graphql(
        UPDATE_COMPANY, {"input": {"id": MISSING_COMPANY_ID, "name": "Hacked"}}, as_=outsider
    )

    # then it is not found, as for a company that does not exist, and the name stays
    assert only_error(body) == only_error(missing) == ("NOT_FOUND", "Company not found.")
    assert (await company_seen_by(api, owner, private_company))["name"] == "Private Ltd"


@pytest.mark.parametrize("role", ["owner", "admin", "member"])
async def test_members_of_every_role_edit_the_name_and_logo(
    api: Api, owner: Person, admin: Person, member: Person, private_company: Company, role: str
) -> None:
    # given a member of a private company
    person = {"owner": owner, "admin": admin, "member": member}[role]

    # when they rename it and set its logo
    body = await api.data(
        UPDATE_COMPANY,
        {
            "input": {
                "id": gid("Company", private_company),
                "name": "Open Ltd",
                "logoUrl": "https://example.com/open.png",
            }
        },
        as_=person,
    )

    # then the payload and later reads show the change
    expected = {
        "id": gid("Company", private_company),
        "name": "Open Ltd",
        "logoUrl": "https://example.com/open.png",
        "isPublic": False,
    }
    assert body["updateCompany"] == {"company": expected, "errors": []}
    assert names(await api.data(COMPANIES, as_=person)) == ["Open Ltd"]


@pytest.mark.parametrize("role", ["owner", "admin"])
async def test_owners_and_admins_make_a_private_company_public(
    api: Api, owner: Person, admin: Person, private_company: Company, role: str
) -> None:
    # when an owner or admin makes the private company public
    person = {"owner": owner, "admin": admin}[role]
    body = await api.data(
        UPDATE_COMPANY,
        {"input": {"id": gid("Company", private_company), "isPublic": True}},
        as_=person,
    )

    # then anyone sees it now
    assert body["updateCompany"]["company"]["isPublic"] is True
    assert names(await api.data(COMPANIES)) == ["Private Ltd"]


@pytest.mark.parametrize("made_public", [True, False])
async def test_a_plain_member_cannot_change_who_sees_the_company(
    api: Api,
    member: Person,
    company: Company,
    private_company: Company,
    made_public: bool,
) -> None:
    # given a private or a public company the member belongs to, without being owner or admin
    target = private_company if made_public else company

    # when the member makes it public, or private, renaming it in the same breath
    body = await api.graphql(
        UPDATE_COMPANY,
        {"input": {"id": gid("Company", target), "isPublic": made_public, "name": "Renamed"}},
        as_=member,
    )

    # then it is forbidden, and nothing changed
    assert only_error(body) == (
        "FORBIDDEN",
        "Only owners and admins of the company may make it public or private.",
    )
    seen = await company_seen_by(api, member, target)
    assert (seen["name"], seen["isPublic"]) == (target.name, not made_public)


async def test_a_member_may_send_back_the_visibility_the_company_has(
    api: Api, member: Person, company: Company
) -> None:
    # when a member renames the public company, sending `isPublic: true` along as it is
    body = await api.data(
        UPDATE_COMPANY,
        {"input": {"id": gid("Company", company), "name": "Renamed", "isPublic": True}},
        as_=member,
    )

    # then the rename is made: asking for the visibility it has changes nothing
    assert body["updateCompany"]["errors"] == []
    assert body["updateCompany"]["company"]["name"] == "Renamed"


async def test_fields_left_out_of_an_update_stay_as_they_were(
    api: Api, member: Person, company: Company
) -> None:
    # given a company with a logo
    await api.data(
        UPDATE_COMPANY,
        {"input": {"id": gid("Company", company), "logoUrl": "https://example.com/a.png"}},
        as_=member,
    )

    # when only its name changes
    body = await api.data(
        UPDATE_COMPANY, {"input": {"id": gid("Company", company), "name": "Renamed"}}, as_=member
    )

    # then the logo and visibility stay
    assert body["updateCompany"]["company"] == {
        "id": gid("Company", company),
        "name": "Renamed",
        "logoUrl": "https://example.com/a.png",
        "isPublic": True,
    }


async def test_an_empty_logo_url_removes_the_logo(
    api: Api, member: Person, company: Company
) -> None:
    # given a company with a logo
    await api.data(
        UPDATE_COMPANY,
        {"input": {"id": gid("Company", company), "logoUrl": "https://example.com/a.png"}},
        as_=member,
    )

    # when the logo URL is set to an empty string
    body = await api.data(
        UPDATE_COMPANY, {"input": {"id": gid("Company", company), "logoUrl": ""}}, as_=member
    )

    # then the company has no logo
    assert body["updateCompany"]["company"]["logoUrl"] is None
    assert (await company_seen_by(api, member, company))["logoUrl"] is None


async def test_making_a_company_private_hides_it_from_outsiders(
    api: Api, admin: Person, member: Person, outsider: Person, company: Company
) -> None:
    # when an admin makes the public company private
    await api.data(
        UPDATE_COMPANY, {"input": {"id": gid("Company", company), "isPublic": False}}, as_=admin
    )

    # then outsiders no longer find it, and members still do
    body = await api.graphql(COMPANY_BY_ID, {"id": gid("Company", company)}, as_=outsider)
    assert only_error(body) == ("NOT_FOUND", "Company not found.")
    assert names(await api.data(COMPANIES, as_=outsider)) == []
    assert (await company_seen_by(api, member, company))["isPublic"] is False


@pytest.mark.parametrize("name", ["", "   "])
async def test_a_company_cannot_be_renamed_to_nothing(
    api: Api, member: Person, company: Company, name: str
) -> None:
    # when a member clears the company's name
    body = await api.data(
        UPDATE_COMPANY, {"input": {"id": gid("Company", company), "name": name}}, as_=member
    )

    # then the payload names the field, and the name stays
    assert body["updateCompany"] == {
        "company": None,
        "errors": [{"field": "name", "message": "The name field is required.", "code": "REQUIRED"}],
    }
    assert (await company_seen_by(api, member, company))["name"] == company.name


@pytest.mark.parametrize(
    ("company_id", "message"),
    [
        ("not-an-id", "The id is not valid."),
        (to_global_id("User", 1), "The id is not of type Company."),
    ],
)
async def test_updating_by_an_invalid_id_is_a_payload_error(
    api: Api, member: Person, company: Company, company_id: str, message: str
) -> None:
    # when a member updates a company named by something that is not a company id
    body = await api.data(
        UPDATE_COMPANY, {"input": {"id": company_id, "name": "Renamed"}}, as_=member
    )

    # then the payload names the field, and nothing changes
    assert body["updateCompany"] == {
        "company": None,
        "errors": [{"field": "id", "message": message, "code": "INVALID_ID"}],
    }
    assert (await company_seen_by(api, member, company))["name"] == company.name


# --- deleteCompany --------------------------------------------------------------------------------


async def test_anonymous_cannot_delete_a_company(
    api: Api, anonymous: Person, company: Company
) -> None:
    # when an anonymous client deletes a company
    body = await api.graphql(
        DELETE_COMPANY, {"input": {"id": gid("Company", company)}}, as_=anonymous
    )

    # then it is refused as unauthenticated, and the company is still there
    assert only_error(body) == ("UNAUTHENTICATED", "Unauthenticated.")
    assert names(await api.data(COMPANIES)) == [company.name]


async def test_an_outsider_cannot_delete_a_public_company(
    api: Api, outsider: Person, company: Company
) -> None:
    # when a non-member deletes a public company
    body = await api.graphql(
        DELETE_COMPANY, {"input": {"id": gid("Company", company)}}, as_=outsider
    )

    # then it is forbidden, and the company is still there
    assert only_error(body) == ("FORBIDDEN", "You do not have access to this company.")
    assert names(await api.data(COMPANIES)) == [company.name]


async def test_an_outsider_deleting_a_private_company_finds_nothing(
    api: Api, outsider: Person, owner: Person, private_company: Company
) -> None:
    # when a non-member deletes a private company
    body = await api.graphql(
        DELETE_COMPANY, {"input": {"id": gid("Company", private_company)}}, as_=outsider
    )

    # then it is not found, and the company is still there
    assert only_error(body) == ("NOT_FOUND", "Company not found.")
    assert names(await api.data(COMPANIES, as_=owner)) == ["Private Ltd"]


async def test_a_plain_member_cannot_delete_the_company(
    api: Api, member: Person, company: Company
) -> None:
    # when a member who is neither owner nor admin deletes the company
    body = await api.graphql(DELETE_COMPANY, {"input": {"id": gid("Company", company)}}, as_=member)

    # then it is forbidden, and the company is still there
    assert only_error(body) == ("FORBIDDEN", "Only owners and admins of the company may do this.")
    assert names(await api.data(COMPANIES)) == [company.name]


@pytest.mark.parametrize("role", ["owner", "admin"])
async def test_owners_and_admins_delete_the_company_with_its_categories(
    api: Api, owner: Person, admin: Person, private_company: Company, role: str
) -> None:
    # given a private company with a category
    category = await make_category(owner, private_company, "Network")
    person = {"owner": owner, "admin": admin}[role]

    # when an owner or admin deletes it
    body = await api.data(
        DELETE_COMPANY, {"input": {"id": gid("Company", private_company)}}, as_=person
    )

    # then the payload shows what was deleted, and neither it nor its category can be found
    assert body["deleteCompany"] == {"company": {"name": "Private Ltd"}, "errors": []}
    gone = await api.graphql(COMPANY_BY_ID, {"id": gid("Company", private_company)}, as_=person)
    assert only_error(gone) == ("NOT_FOUND", "Company not found.")
    category_gone = await api.graphql(
        "query ($id: ID!) { category(id: $id) { name } }", {"id": gid("Category", category)}
    )
    assert only_error(category_gone) == ("NOT_FOUND", "Category not found.")
    assert (await api.data(VIEWER_COMPANIES, as_=person))["viewer"]["companies"]["edges"] == []
