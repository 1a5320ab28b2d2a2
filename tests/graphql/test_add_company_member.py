"""addCompanyMember (deprecated): it invites, as inviteCompanyMember does, answering alike for
every address; who may, and the roles an admin may not give. Nobody joins, and no role changes,
until the person accepts."""

import pytest

from issuetracker.models import Company, CompanyInvitation

from ..support import Api, Person, gid, make_person, only_error
from .company_helpers import (
    ADD_MEMBER,
    MISSING_COMPANY_ID,
    company_seen_by,
    role_of,
)

MY_INVITATIONS = """
query { viewer { companyInvitations { nodes { id role companyName } } } }
"""

ACCEPT = """
mutation ($id: ID!) { acceptCompanyInvitation(input: {id: $id}) { errors { code } } }
"""

INVITED: dict[str, object] = {"addCompanyMember": {"membership": None, "errors": []}}
"""The answer to every address: nobody is a member before accepting."""


async def accept_invitation(api: Api, person: Person) -> None:
    """The person accepts the one invitation waiting for them."""
    data = await api.data(MY_INVITATIONS, as_=person)
    [invitation] = data["viewer"]["companyInvitations"]["nodes"]
    accepted = await api.data(ACCEPT, {"id": invitation["id"]}, as_=person)
    assert accepted["acceptCompanyInvitation"]["errors"] == []


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

    # then it is refused as unauthenticated, and nobody is invited
    assert only_error(body) == ("UNAUTHENTICATED", "Unauthenticated.")
    assert await CompanyInvitation.all().count() == 0


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

    # then it is forbidden, and nobody is invited
    assert only_error(body) == outcome
    assert await CompanyInvitation.all().count() == 0


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

    # then it is not found, and nobody is invited
    assert only_error(body) == ("NOT_FOUND", "Company not found.")
    assert await CompanyInvitation.all().count() == 0


@pytest.mark.parametrize("role", ["owner", "admin"])
async def test_owners_and_admins_invite_members_and_admins_who_join_when_they_accept(
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

    # then both are invited, not members yet
    assert as_member == as_admin == INVITED
    assert await role_of(api, newcomer, private_company) is None

    # and once they accept, they see the private company in their roles
    await accept_invitation(api, newcomer)
    await accept_invitation(api, helper)
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

    # then the invitation waits for them
    assert body == INVITED
    data = await api.data(MY_INVITATIONS, as_=newcomer)
    assert [found["companyName"] for found in data["viewer"]["companyInvitations"]["nodes"]] == [
        company.name
    ]


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

    # then it is forbidden, and nobody is invited
    assert only_error(body) == ("FORBIDDEN", "Only owners may make someone an owner.")
    assert await CompanyInvitation.all().count() == 0


async def test_adding_someone_already_a_member_answers_alike_and_changes_no_role(
    api: Api, owner: Person, admin: Person, member: Person, company: Company
) -> None:
    # given the addresses of a member, of the only owner, and of someone with no account
    assert member.user is not None
    assert owner.user is not None
    company_id = gid("Company", company)
    changes = [
        (admin, member.user.email, "ADMIN"),
        (owner, owner.user.email, "ADMIN"),  # the last owner "stepping down"
        (owner, member.user.email, "MEMBER"),
        (owner, "nobody@example.com", "ADMIN"),
    ]

    # when each is added with a role
    answers = [
        await api.data(
            ADD_MEMBER, {"input": {"companyId": company_id, "email": email, "role": role}}, as_=by
        )
        for by, email, role in changes
    ]

    # then every answer is the same invitation answer, and every role stays as it was
    assert answers == [INVITED] * 4
    assert await role_of(api, member, company) == "MEMBER"
    assert await role_of(api, owner, company) == "OWNER"


@pytest.mark.parametrize(
    ("email", "message", "code"),
    [
        ("not an address", "The email must be a valid email address.", "INVALID_EMAIL"),
        ("", "The email field is required.", "REQUIRED"),
    ],
)
async def test_a_malformed_or_empty_address_is_refused(
    api: Api, owner: Person, company: Company, email: str, message: str, code: str
) -> None:
    # when the owner adds a malformed or empty address
    body = await api.data(
        ADD_MEMBER, {"input": {"companyId": gid("Company", company), "email": email}}, as_=owner
    )

    # then the payload names the field, and nobody is invited
    assert body["addCompanyMember"] == {
        "membership": None,
        "errors": [{"field": "email", "message": message, "code": code}],
    }
    assert await CompanyInvitation.all().count() == 0


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
