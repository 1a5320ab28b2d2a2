"""Changing members' roles: who may, the roles an admin may not give or take, and a company
always keeps an owner."""

import pytest
from aiohttp.test_utils import TestClient

from issuetracker.models import Company, Role

from ..support import Person, gid
from .helpers import graphql, payload, top_level_error
from .invitation_helpers import role_of

CHANGE_ROLE = """
mutation ($input: ChangeCompanyMemberRoleInput!) {
  changeCompanyMemberRole(input: $input) {
    membership { role user { name } }
    errors { field message code }
  }
}
"""


def role_change(company: Company, person: Person, role: str) -> dict:
    return {
        "input": {"companyId": gid("Company", company), "userId": person.global_id, "role": role}
    }


async def test_an_admin_makes_a_member_an_admin_and_back(
    client: TestClient, admin: Person, member: Person, company: Company
) -> None:
    up = await graphql(
        client, CHANGE_ROLE, role_change(company, member, "ADMIN"), token=admin.token
    )
    assert payload(up, "changeCompanyMemberRole") == {
        "membership": {"role": "ADMIN", "user": {"name": "Mia Member"}},
        "errors": [],
    }
    assert await role_of(member.user, company) is Role.ADMIN

    down = await graphql(
        client, CHANGE_ROLE, role_change(company, member, "MEMBER"), token=admin.token
    )
    assert payload(down, "changeCompanyMemberRole")["membership"]["role"] == "MEMBER"
    assert await role_of(member.user, company) is Role.MEMBER


async def test_an_admin_can_neither_make_nor_unmake_owners(
    client: TestClient, owner: Person, admin: Person, member: Person, company: Company
) -> None:
    promote = await graphql(
        client, CHANGE_ROLE, role_change(company, member, "OWNER"), token=admin.token
    )
    demote = await graphql(
        client, CHANGE_ROLE, role_change(company, owner, "ADMIN"), token=admin.token
    )

    assert top_level_error(promote) == ("FORBIDDEN", "Only owners may make someone an owner.")
    assert top_level_error(demote) == ("FORBIDDEN", "Only owners may change another owner.")
    assert await role_of(member.user, company) is Role.MEMBER
    assert await role_of(owner.user, company) is Role.OWNER


@pytest.mark.parametrize("who", ["member", "outsider"])
async def test_plain_members_and_outsiders_cannot_change_roles(
    client: TestClient, member: Person, admin: Person, outsider: Person, company: Company, who: str
) -> None:
    person = member if who == "member" else outsider
    body = await graphql(
        client, CHANGE_ROLE, role_change(company, admin, "MEMBER"), token=person.token
    )

    assert top_level_error(body)[0] == "FORBIDDEN"
    assert await role_of(admin.user, company) is Role.ADMIN


async def test_the_last_owner_cannot_step_down(
    client: TestClient, owner: Person, company: Company
) -> None:
    # when the only owner makes themself an admin
    body = await graphql(
        client, CHANGE_ROLE, role_change(company, owner, "ADMIN"), token=owner.token
    )

    # then the payload says a company keeps an owner, and they still own it
    assert payload(body, "changeCompanyMemberRole") == {
        "membership": None,
        "errors": [
            {
                "field": "role",
                "message": "A company must keep at least one owner.",
                "code": "LAST_OWNER",
            }
        ],
    }
    assert await role_of(owner.user, company) is Role.OWNER


async def test_an_owner_makes_another_owner_then_steps_down(
    client: TestClient, owner: Person, admin: Person, company: Company
) -> None:
    # given the owner made the admin an owner
    up = await graphql(client, CHANGE_ROLE, role_change(company, admin, "OWNER"), token=owner.token)
    assert payload(up, "changeCompanyMemberRole")["errors"] == []

    # when the first owner steps down to member
    down = await graphql(
        client, CHANGE_ROLE, role_change(company, owner, "MEMBER"), token=owner.token
    )

    # then the company has one owner, the former admin, who cannot step down in turn
    assert payload(down, "changeCompanyMemberRole")["errors"] == []
    assert await role_of(owner.user, company) is Role.MEMBER
    assert await role_of(admin.user, company) is Role.OWNER
    last = await graphql(
        client, CHANGE_ROLE, role_change(company, admin, "ADMIN"), token=admin.token
    )
    assert payload(last, "changeCompanyMemberRole")["errors"][0]["code"] == "LAST_OWNER"


async def test_changing_the_role_of_someone_outside_the_company_is_not_found(
    client: TestClient, owner: Person, outsider: Person, company: Company
) -> None:
    body = await graphql(
        client, CHANGE_ROLE, role_change(company, outsider, "ADMIN"), token=owner.token
    )

    assert top_level_error(body) == ("NOT_FOUND", "Member not found.")


async def test_the_last_owner_cannot_be_removed(
    client: TestClient, owner: Person, company: Company
) -> None:
    remove = """
    mutation ($input: RemoveCompanyMemberInput!) {
      removeCompanyMember(input: $input) { errors { code } }
    }
    """
    variables = {"input": {"companyId": gid("Company", company), "userId": owner.global_id}}

    body = await graphql(client, remove, variables, token=owner.token)

    assert payload(body, "removeCompanyMember") == {"errors": [{"code": "LAST_OWNER"}]}
    assert await role_of(owner.user, company) is Role.OWNER
