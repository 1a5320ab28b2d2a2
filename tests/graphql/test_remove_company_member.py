"""removeCompanyMember: who may remove whom, leaving a company, the last owner, and roles that
hold per company."""

import pytest

from issuetracker.models import Company, Membership, Role

from ..support import Api, Person, gid, make_company, make_person, only_error
from .company_helpers import COMPANY_BY_ID, DELETE_COMPANY, role_of

REMOVE_MEMBER = """
mutation ($input: RemoveCompanyMemberInput!) {
  removeCompanyMember(input: $input) {
    membership { role user { name } company { name } }
    errors { field message code }
  }
}
"""


def removal(company: Company, person: Person) -> dict:
    return {"input": {"companyId": gid("Company", company), "userId": person.global_id}}


async def test_anonymous_cannot_remove_a_member(
    api: Api, anonymous: Person, member: Person, company: Company
) -> None:
    # when an anonymous client removes a member
    body = await api.graphql(REMOVE_MEMBER, removal(company, member), as_=anonymous)

    # then it is refused as unauthenticated, and the member stays
    assert only_error(body) == ("UNAUTHENTICATED", "Unauthenticated.")
    assert await role_of(api, member, company) == "MEMBER"


async def test_an_outsider_cannot_remove_a_member_of_a_public_company(
    api: Api, outsider: Person, member: Person, company: Company
) -> None:
    # when a non-member removes a member of a public company
    body = await api.graphql(REMOVE_MEMBER, removal(company, member), as_=outsider)

    # then it is forbidden, and the member stays
    assert only_error(body) == ("FORBIDDEN", "You do not have access to this company.")
    assert await role_of(api, member, company) == "MEMBER"


async def test_an_outsider_removing_from_a_private_company_finds_nothing(
    api: Api, outsider: Person, member: Person, private_company: Company
) -> None:
    # when a non-member removes a member of a private company
    body = await api.graphql(REMOVE_MEMBER, removal(private_company, member), as_=outsider)

    # then it is not found, and the member stays
    assert only_error(body) == ("NOT_FOUND", "Company not found.")
    assert await role_of(api, member, private_company) == "MEMBER"


async def test_a_plain_member_cannot_remove_someone_else(
    api: Api, member: Person, admin: Person, company: Company
) -> None:
    # when a plain member removes an admin
    body = await api.graphql(REMOVE_MEMBER, removal(company, admin), as_=member)

    # then it is forbidden, and the admin stays
    assert only_error(body) == ("FORBIDDEN", "Only owners and admins of the company may do this.")
    assert await role_of(api, admin, company) == "ADMIN"


async def test_a_member_may_leave_a_company(
    api: Api, member: Person, private_company: Company
) -> None:
    # when a plain member removes themself from a private company
    body = await api.data(REMOVE_MEMBER, removal(private_company, member), as_=member)

    # then they are no longer a member and no longer see it
    assert body["removeCompanyMember"] == {
        "membership": {
            "role": "MEMBER",
            "user": {"name": "Mia Member"},
            "company": {"name": "Private Ltd"},
        },
        "errors": [],
    }
    gone = await api.graphql(COMPANY_BY_ID, {"id": gid("Company", private_company)}, as_=member)
    assert only_error(gone) == ("NOT_FOUND", "Company not found.")


@pytest.mark.parametrize("role", ["owner", "admin"])
async def test_owners_and_admins_remove_members(
    api: Api, owner: Person, admin: Person, member: Person, company: Company, role: str
) -> None:
    # when an owner or admin removes a plain member
    person = {"owner": owner, "admin": admin}[role]
    body = await api.data(REMOVE_MEMBER, removal(company, member), as_=person)

    # then the member is gone
    assert body["removeCompanyMember"]["errors"] == []
    assert body["removeCompanyMember"]["membership"]["user"] == {"name": "Mia Member"}
    assert await role_of(api, member, company) is None


async def test_an_owner_removes_an_admin(
    api: Api, owner: Person, admin: Person, company: Company
) -> None:
    # when the owner removes the admin
    body = await api.data(REMOVE_MEMBER, removal(company, admin), as_=owner)

    # then the admin is gone
    assert body["removeCompanyMember"]["membership"]["role"] == "ADMIN"
    assert await role_of(api, admin, company) is None


async def test_an_admin_cannot_remove_an_owner(
    api: Api, admin: Person, owner: Person, company: Company
) -> None:
    # when an admin removes the owner
    body = await api.graphql(REMOVE_MEMBER, removal(company, owner), as_=admin)

    # then it is forbidden, and the owner stays
    assert only_error(body) == ("FORBIDDEN", "Only owners may change another owner.")
    assert await role_of(api, owner, company) == "OWNER"


async def test_the_last_owner_cannot_leave(api: Api, owner: Person, company: Company) -> None:
    # when the only owner removes themself
    body = await api.data(REMOVE_MEMBER, removal(company, owner), as_=owner)

    # then the payload says why, and they stay the owner
    assert body["removeCompanyMember"] == {
        "membership": None,
        "errors": [
            {
                "field": "userId",
                "message": "A company must keep at least one owner.",
                "code": "LAST_OWNER",
            }
        ],
    }
    assert await role_of(api, owner, company) == "OWNER"


async def test_one_of_two_owners_may_remove_the_other(
    api: Api, owner: Person, company: Company
) -> None:
    # given a second owner
    second = await make_person("Sid Second")
    assert second.user is not None
    await Membership.create(user=second.user, company=company, role=Role.OWNER)

    # when the second owner removes the first
    body = await api.data(REMOVE_MEMBER, removal(company, owner), as_=second)

    # then the first is no longer a member, and the second still owns the company
    assert body["removeCompanyMember"]["membership"]["role"] == "OWNER"
    assert await role_of(api, owner, company) is None
    assert await role_of(api, second, company) == "OWNER"


async def test_removing_someone_who_is_not_a_member_is_not_found(
    api: Api, owner: Person, outsider: Person, company: Company
) -> None:
    # when the owner removes a user who never was a member
    body = await api.graphql(REMOVE_MEMBER, removal(company, outsider), as_=owner)

    # then it is not found
    assert only_error(body) == ("NOT_FOUND", "Member not found.")


async def test_removing_a_user_named_by_an_invalid_id_is_a_payload_error(
    api: Api, owner: Person, member: Person, company: Company
) -> None:
    # when the owner names the user by a company id
    body = await api.data(
        REMOVE_MEMBER,
        {"input": {"companyId": gid("Company", company), "userId": gid("Company", company)}},
        as_=owner,
    )

    # then the payload names the field, and the member stays
    assert body["removeCompanyMember"] == {
        "membership": None,
        "errors": [
            {"field": "userId", "message": "The id is not of type User.", "code": "INVALID_ID"}
        ],
    }
    assert await role_of(api, member, company) == "MEMBER"


async def test_roles_are_per_company(
    api: Api, owner: Person, member: Person, company: Company
) -> None:
    # given the member owns another company
    theirs = await make_company(member, name="Member Co")

    # when the member, an owner elsewhere, tries to delete the company where they are a member
    body = await api.graphql(DELETE_COMPANY, {"input": {"id": gid("Company", company)}}, as_=member)

    # then their role here is what counts
    assert only_error(body) == ("FORBIDDEN", "Only owners and admins of the company may do this.")
    assert await role_of(api, member, theirs) == "OWNER"
    assert await role_of(api, member, company) == "MEMBER"
