"""addCompanyMember: who may add members or change their role, and the roles an admin may not
give or take."""

import pytest

from issuetracker.models import Company

from ..support import Api, Person, gid, make_person, only_error
from .company_helpers import (
    ADD_MEMBER,
    MISSING_COMPANY_ID,
    VIEWER_COMPANIES,
    company_seen_by,
    role_of,
)


async def test_anonymous_cannot_add_a_member(api: Api, anonymous: Person, company: Company) -> None:
    # given a user who is not a member
    newcomer = await make_person("Nina Newcomer")
    assert newcomer.user is not None

    # when an anonymous client adds them
    body = await api.graphql(
        ADD_MEMBER,
        {"input": {"companyId": gid("Company", company), "email": newcomer.user.email}},
        as_=anonymous,
    )

    # then it is refused as unauthenticated, and they are still not a member
    assert only_error(body) == ("UNAUTHENTICATED", "Unauthenticated.")
    assert await role_of(api, newcomer, company) is None


@pytest.mark.parametrize(
    ("role", "outcome"),
    [
        ("outsider", ("FORBIDDEN", "You do not have access to this company.")),
        ("member", ("FORBIDDEN", "Only owners and admins of the company may do this.")),
    ],
)
async def test_outsiders_and_plain_members_cannot_add_members(
    api: Api,
    outsider: Person,
    member: Person,
    company: Company,
    role: str,
    outcome: tuple[str, str],
) -> None:
    # given a user who is not a member
    newcomer = await make_person("Nina Newcomer")
    assert newcomer.user is not None
    person = {"outsider": outsider, "member": member}[role]

    # when a non-member or a plain member adds them
    body = await api.graphql(
        ADD_MEMBER,
        {"input": {"companyId": gid("Company", company), "email": newcomer.user.email}},
        as_=person,
    )

    # then it is forbidden, and they are still not a member
    assert only_error(body) == outcome
    assert await role_of(api, newcomer, company) is None


async def test_an_outsider_adding_to_a_private_company_finds_nothing(
    api: Api, outsider: Person, private_company: Company
) -> None:
    # when a non-member adds themself to a private company
    assert outsider.user is not None
    body = await api.graphql(
        ADD_MEMBER,
        {"input": {"companyId": gid("Company", private_company), "email": outsider.user.email}},
        as_=outsider,
    )

    # then it is not found, and they are still not a member
    assert only_error(body) == ("NOT_FOUND", "Company not found.")
    assert await role_of(api, outsider, private_company) is None


@pytest.mark.parametrize("role", ["owner", "admin"])
async def test_owners_and_admins_add_members_and_admins(
    api: Api, owner: Person, admin: Person, private_company: Company, role: str
) -> None:
    # given two users who are not members
    newcomer = await make_person("Nina Newcomer")
    helper = await make_person("Hal Helper")
    assert newcomer.user is not None
    assert helper.user is not None
    person = {"owner": owner, "admin": admin}[role]
    company_id = gid("Company", private_company)

    # when an owner or admin adds one (as a member, by default) and the other as an admin
    as_member = await api.data(
        ADD_MEMBER, {"input": {"companyId": company_id, "email": newcomer.user.email}}, as_=person
    )
    as_admin = await api.data(
        ADD_MEMBER,
        {"input": {"companyId": company_id, "email": helper.user.email, "role": "ADMIN"}},
        as_=person,
    )

    # then the payloads show the memberships, and the newcomers now see the private company
    assert as_member["addCompanyMember"] == {
        "membership": {
            "role": "MEMBER",
            "user": {"name": "Nina Newcomer"},
            "company": {"name": "Private Ltd"},
        },
        "errors": [],
    }
    assert as_admin["addCompanyMember"]["membership"]["role"] == "ADMIN"
    assert (await company_seen_by(api, newcomer, private_company))["viewerRole"] == "MEMBER"
    assert (await company_seen_by(api, helper, private_company))["viewerRole"] == "ADMIN"


async def test_an_email_address_is_matched_whatever_its_case(
    api: Api, owner: Person, company: Company
) -> None:
    # given a user
    newcomer = await make_person("Nina Newcomer", email="nina@example.com")

    # when an owner adds them by their address in other case and with spaces
    body = await api.data(
        ADD_MEMBER,
        {"input": {"companyId": gid("Company", company), "email": "  Nina@EXAMPLE.com "}},
        as_=owner,
    )

    # then they are added
    assert body["addCompanyMember"]["errors"] == []
    assert await role_of(api, newcomer, company) == "MEMBER"


async def test_an_admin_cannot_make_an_owner(api: Api, admin: Person, company: Company) -> None:
    # given a user who is not a member
    newcomer = await make_person("Nina Newcomer")
    assert newcomer.user is not None

    # when an admin adds them as an owner
    body = await api.graphql(
        ADD_MEMBER,
        {
            "input": {
                "companyId": gid("Company", company),
                "email": newcomer.user.email,
                "role": "OWNER",
            }
        },
        as_=admin,
    )

    # then it is forbidden, and they are not a member at all
    assert only_error(body) == ("FORBIDDEN", "Only owners may make someone an owner.")
    assert await role_of(api, newcomer, company) is None


async def test_an_admin_cannot_promote_a_member_to_owner(
    api: Api, admin: Person, member: Person, company: Company
) -> None:
    # when an admin makes an existing member an owner
    assert member.user is not None
    body = await api.graphql(
        ADD_MEMBER,
        {
            "input": {
                "companyId": gid("Company", company),
                "email": member.user.email,
                "role": "OWNER",
            }
        },
        as_=admin,
    )

    # then it is forbidden, and the member keeps their role
    assert only_error(body) == ("FORBIDDEN", "Only owners may make someone an owner.")
    assert await role_of(api, member, company) == "MEMBER"


async def test_an_admin_cannot_demote_an_owner(
    api: Api, admin: Person, owner: Person, company: Company
) -> None:
    # when an admin re-adds the owner as a plain member
    assert owner.user is not None
    body = await api.graphql(
        ADD_MEMBER,
        {
            "input": {
                "companyId": gid("Company", company),
                "email": owner.user.email,
                "role": "MEMBER",
            }
        },
        as_=admin,
    )

    # then it is forbidden, and the owner stays an owner
    assert only_error(body) == ("FORBIDDEN", "Only owners may change another owner.")
    assert await role_of(api, owner, company) == "OWNER"


async def test_an_admin_changes_the_role_of_a_member(
    api: Api, admin: Person, member: Person, company: Company
) -> None:
    # when an admin re-adds a member as an admin
    assert member.user is not None
    body = await api.data(
        ADD_MEMBER,
        {
            "input": {
                "companyId": gid("Company", company),
                "email": member.user.email,
                "role": "ADMIN",
            }
        },
        as_=admin,
    )

    # then the member is now an admin
    assert body["addCompanyMember"]["membership"]["role"] == "ADMIN"
    assert await role_of(api, member, company) == "ADMIN"


async def test_an_owner_makes_another_owner_who_may_then_demote_the_first(
    api: Api, owner: Person, member: Person, company: Company
) -> None:
    # given the owner promotes a member to owner
    assert member.user is not None
    assert owner.user is not None
    company_id = gid("Company", company)
    promoted = await api.data(
        ADD_MEMBER,
        {"input": {"companyId": company_id, "email": member.user.email, "role": "OWNER"}},
        as_=owner,
    )

    # when the new owner demotes the first owner to admin
    demoted = await api.data(
        ADD_MEMBER,
        {"input": {"companyId": company_id, "email": owner.user.email, "role": "ADMIN"}},
        as_=member,
    )

    # then both changes hold
    assert promoted["addCompanyMember"]["membership"]["role"] == "OWNER"
    assert demoted["addCompanyMember"]["membership"]["role"] == "ADMIN"
    assert await role_of(api, member, company) == "OWNER"
    assert await role_of(api, owner, company) == "ADMIN"


async def test_the_last_owner_cannot_step_down(api: Api, owner: Person, company: Company) -> None:
    # when the only owner re-adds themself as an admin
    assert owner.user is not None
    body = await api.data(
        ADD_MEMBER,
        {
            "input": {
                "companyId": gid("Company", company),
                "email": owner.user.email,
                "role": "ADMIN",
            }
        },
        as_=owner,
    )

    # then the payload says why, and they stay the owner
    assert body["addCompanyMember"] == {
        "membership": None,
        "errors": [
            {
                "field": "email",
                "message": "A company must keep at least one owner.",
                "code": "LAST_OWNER",
            }
        ],
    }
    assert await role_of(api, owner, company) == "OWNER"


async def test_adding_an_existing_member_with_the_same_role_changes_nothing(
    api: Api, owner: Person, member: Person, company: Company
) -> None:
    # when the owner adds someone who is already a member, as a member
    assert member.user is not None
    body = await api.data(
        ADD_MEMBER,
        {"input": {"companyId": gid("Company", company), "email": member.user.email}},
        as_=owner,
    )

    # then the membership is answered as it is
    assert body["addCompanyMember"]["errors"] == []
    assert body["addCompanyMember"]["membership"]["role"] == "MEMBER"
    assert await role_of(api, member, company) == "MEMBER"


@pytest.mark.parametrize(
    ("email", "message", "code"),
    [
        ("nobody@example.com", "No user has this email address.", "UNKNOWN_USER"),
        ("not an address", "The email must be a valid email address.", "INVALID_EMAIL"),
        ("", "The email field is required.", "REQUIRED"),
    ],
)
async def test_a_new_member_must_be_a_known_user(
    api: Api, owner: Person, company: Company, email: str, message: str, code: str
) -> None:
    # when the owner adds an unknown, malformed or empty address
    body = await api.data(
        ADD_MEMBER, {"input": {"companyId": gid("Company", company), "email": email}}, as_=owner
    )

    # then the payload names the field, and no one joins
    assert body["addCompanyMember"] == {
        "membership": None,
        "errors": [{"field": "email", "message": message, "code": code}],
    }
    members = await api.data(VIEWER_COMPANIES, as_=owner)
    assert members["viewer"]["companies"]["totalCount"] == 1


async def test_adding_to_a_company_named_by_an_invalid_id_is_a_payload_error(
    api: Api, owner: Person, member: Person
) -> None:
    # when an owner names the company by something that is not a company id
    assert member.user is not None
    body = await api.data(
        ADD_MEMBER, {"input": {"companyId": "not-an-id", "email": member.user.email}}, as_=owner
    )

    # then the payload names the field
    assert body["addCompanyMember"] == {
        "membership": None,
        "errors": [{"field": "companyId", "message": "The id is not valid.", "code": "INVALID_ID"}],
    }


async def test_adding_to_a_missing_company_is_not_found(api: Api, owner: Person) -> None:
    # when a user adds someone to a company that does not exist
    assert owner.user is not None
    body = await api.graphql(
        ADD_MEMBER,
        {"input": {"companyId": MISSING_COMPANY_ID, "email": owner.user.email}},
        as_=owner,
    )

    # then it is not found
    assert only_error(body) == ("NOT_FOUND", "Company not found.")
