"""Answering an invitation is the invitee's: they see theirs once their address is verified,
accept or decline it over GraphQL; nobody else may, and the inviter does not see them before
they join."""

import pytest
from aiohttp.test_utils import TestClient

from issuetracker.models import Company, CompanyInvitation, Role
from issuetracker.notifications.dispatcher import Dispatcher
from issuetracker.schema.relay import to_global_id

from ..notifications.conftest import SmtpServer
from ..support import Person, make_company
from .helpers import (
    VERIFY_EMAIL,
    account_link,
    graphql,
    make_account,
    new_address,
    payload,
    register,
    signed_in_token,
    the_mail,
    token_of,
    top_level_error,
)
from .invitation_helpers import (
    answer,
    companies_of,
    company_invitations,
    invited,
    my_invitations,
    role_of,
)

USER = """
query ($id: ID!) { node(id: $id) { ... on User { name } } }
"""

INVITATION = """
query ($id: ID!) { node(id: $id) { ... on CompanyInvitation { email role companyName } } }
"""

NOT_FOUND = ("NOT_FOUND", "Invitation not found.")


async def test_the_invitee_sees_their_invitations_and_accepts_one(
    client: TestClient, owner: Person, company: Company, private_company: Company
) -> None:
    # given a user invited to a public company as an admin, and to a private one
    account = await make_account()
    await invited(client, owner, company, account.email, "ADMIN")
    await invited(client, owner, private_company, account.email)

    # when they look at their invitations
    waiting = await my_invitations(client, account.token)

    # then both are there, oldest first; the private company is named, but not shown yet
    assert [(found["companyName"], found["role"]) for found in waiting] == [
        (company.name, "ADMIN"),
        (private_company.name, "MEMBER"),
    ]
    assert waiting[0]["company"]["name"] == company.name
    assert waiting[1]["company"] is None
    assert waiting[0]["invitedBy"] == {"name": "Olive Owner"}

    # when they accept the first
    body = await answer(client, "acceptCompanyInvitation", waiting[0]["id"], account.token)

    # then they are its admin, and only the other invitation waits
    result = payload(body, "acceptCompanyInvitation")
    assert result["errors"] == []
    assert result["companyInvitation"]["acceptedAt"] is not None
    assert result["company"] == {"name": company.name, "viewerRole": "ADMIN"}
    assert await companies_of(client, account.token) == [
        {"name": company.name, "viewerRole": "ADMIN"}
    ]
    assert [found["id"] for found in await my_invitations(client, account.token)] == [
        waiting[1]["id"]
    ]


async def test_accepting_twice_changes_nothing_more(
    client: TestClient, owner: Person, company: Company
) -> None:
    account = await make_account()
    invitation = await invited(client, owner, company, account.email, "ADMIN")
    first = await answer(client, "acceptCompanyInvitation", invitation["id"], account.token)

    again = await answer(client, "acceptCompanyInvitation", invitation["id"], account.token)

    assert payload(again, "acceptCompanyInvitation") == payload(first, "acceptCompanyInvitation")
    assert await role_of(account.user, company) is Role.ADMIN


async def test_a_member_accepting_an_invitation_keeps_their_role(
    client: TestClient, owner: Person, admin: Person, company: Company
) -> None:
    # given an admin invited again as a plain member
    assert admin.user is not None
    invitation = await invited(client, owner, company, admin.user.email)

    # when they accept it
    body = await answer(client, "acceptCompanyInvitation", invitation["id"], admin.token)

    # then it is marked accepted, and they stay an admin
    assert payload(body, "acceptCompanyInvitation")["companyInvitation"]["acceptedAt"]
    assert await role_of(admin.user, company) is Role.ADMIN


async def test_declining_deletes_the_invitation_and_joins_nothing(
    client: TestClient, owner: Person, company: Company
) -> None:
    # given an invitation
    account = await make_account()
    invitation = await invited(client, owner, company, account.email)

    # when the invitee declines it
    body = await answer(client, "declineCompanyInvitation", invitation["id"], account.token)

    # then it is answered as it was, and gone for both sides; nobody joined
    result = payload(body, "declineCompanyInvitation")
    assert result["errors"] == []
    assert result["companyInvitation"]["acceptedAt"] is None
    assert await my_invitations(client, account.token) == []
    assert (await company_invitations(client, company, owner))["totalCount"] == 0
    assert await role_of(account.user, company) is None
    again = await answer(client, "acceptCompanyInvitation", invitation["id"], account.token)
    assert top_level_error(again) == NOT_FOUND


async def test_an_accepted_invitation_cannot_be_declined(
    client: TestClient, owner: Person, company: Company
) -> None:
    account = await make_account()
    invitation = await invited(client, owner, company, account.email)
    await answer(client, "acceptCompanyInvitation", invitation["id"], account.token)

    body = await answer(client, "declineCompanyInvitation", invitation["id"], account.token)

    assert top_level_error(body) == NOT_FOUND
    assert await role_of(account.user, company) is Role.MEMBER


@pytest.mark.parametrize("mutation", ["acceptCompanyInvitation", "declineCompanyInvitation"])
@pytest.mark.parametrize("who", ["outsider", "owner", "anonymous"])
async def test_nobody_else_answers_someone_elses_invitation(
    client: TestClient,
    owner: Person,
    outsider: Person,
    anonymous: Person,
    company: Company,
    mutation: str,
    who: str,
) -> None:
    # given an invitation to someone's address
    account = await make_account()
    invitation = await invited(client, owner, company, account.email)
    person = {"outsider": outsider, "owner": owner, "anonymous": anonymous}[who]

    # when an outsider, the inviting owner (who sees it) or an anonymous client answers it
    body = await answer(client, mutation, invitation["id"], person.token)

    # then it is not found (unauthenticated, anonymously), and it still waits
    expected = ("UNAUTHENTICATED", "Unauthenticated.") if who == "anonymous" else NOT_FOUND
    assert top_level_error(body) == expected
    assert len(await my_invitations(client, account.token)) == 1
    assert await role_of(account.user, company) is None


async def test_a_sign_up_sees_invitations_to_its_address_once_it_verifies_it(
    client: TestClient, smtp: SmtpServer, dispatcher: Dispatcher, owner: Person, company: Company
) -> None:
    # given an unverified sign-up with an address, and an invitation to that address
    address = new_address("signup")
    assert await register(client, address) == {"errors": []}
    token = await signed_in_token(client, address)
    invitation = await invited(client, owner, company, address)

    # when it looks for invitations, or accepts the one it knows the id of
    listed = await my_invitations(client, token)
    body = await answer(client, "acceptCompanyInvitation", invitation["id"], token)

    # then it sees none and may accept none
    assert listed == []
    assert top_level_error(body) == NOT_FOUND

    # and once the address is verified, the invitation is there
    mail = await the_mail(smtp, dispatcher, address, "Verify your e-mail address")
    verified = await graphql(client, VERIFY_EMAIL, {"token": token_of(account_link(mail))})
    assert payload(verified, "verifyEmail")["errors"] == []
    assert [found["id"] for found in await my_invitations(client, token)] == [invitation["id"]]


async def test_the_inviter_does_not_see_the_invitee_before_they_join(
    client: TestClient, owner: Person, company: Company
) -> None:
    # given an invitation to a user who shares nothing with the owner
    account = await make_account("Ivy Invitee")
    invitation = await invited(client, owner, company, account.email)
    user_id = {"id": to_global_id("User", account.user.id)}

    # when the owner looks the user up, before and after they accept
    before = await graphql(client, USER, user_id, token=owner.token)
    await answer(client, "acceptCompanyInvitation", invitation["id"], account.token)
    after = await graphql(client, USER, user_id, token=owner.token)

    # then the user is hidden until they join, and seen as a member after
    assert top_level_error(before) == ("NOT_FOUND", "User not found.")
    assert payload(after, "node") == {"name": "Ivy Invitee"}


# --- the company's side ------------------------------------------------------------------------


@pytest.mark.parametrize("who", ["owner", "admin"])
async def test_owners_and_admins_list_the_waiting_invitations(
    client: TestClient, owner: Person, admin: Person, private_company: Company, who: str
) -> None:
    # given two waiting invitations and an accepted one
    account = await make_account()
    accepted = await invited(client, owner, private_company, account.email)
    await answer(client, "acceptCompanyInvitation", accepted["id"], account.token)
    first, second = new_address("first"), new_address("second")
    await invited(client, owner, private_company, first, "ADMIN")
    await invited(client, admin, private_company, second)

    # when an owner or an admin lists the company's invitations
    listed = await company_invitations(client, private_company, owner if who == "owner" else admin)

    # then the waiting ones are there, oldest first
    assert listed == {
        "totalCount": 2,
        "nodes": [
            {"email": first, "role": "ADMIN", "invitedBy": {"name": "Olive Owner"}},
            {"email": second, "role": "MEMBER", "invitedBy": {"name": "Adam Admin"}},
        ],
    }


async def test_plain_members_see_no_invitations(
    client: TestClient, owner: Person, member: Person, company: Company
) -> None:
    await invited(client, owner, company, new_address())

    listed = await company_invitations(client, company, member)

    assert listed == {"totalCount": 0, "nodes": []}


@pytest.mark.parametrize("who", ["invitee", "owner", "admin"])
async def test_an_invitation_is_seen_by_id_by_its_invitee_and_the_companys_managers(
    client: TestClient, owner: Person, admin: Person, company: Company, who: str
) -> None:
    account = await make_account()
    invitation = await invited(client, owner, company, account.email)
    token = {"invitee": account.token, "owner": owner.token, "admin": admin.token}[who]

    body = await graphql(client, INVITATION, {"id": invitation["id"]}, token=token)

    assert payload(body, "node") == {
        "email": account.email,
        "role": "MEMBER",
        "companyName": company.name,
    }


@pytest.mark.parametrize("who", ["member", "outsider", "anonymous"])
async def test_an_invitation_is_hidden_from_everyone_else(
    client: TestClient,
    owner: Person,
    member: Person,
    outsider: Person,
    anonymous: Person,
    company: Company,
    who: str,
) -> None:
    invitation = await invited(client, owner, company, new_address())
    person = {"member": member, "outsider": outsider, "anonymous": anonymous}[who]

    body = await graphql(client, INVITATION, {"id": invitation["id"]}, token=person.token)

    assert top_level_error(body) == NOT_FOUND


async def test_an_admin_cancels_an_invitation(
    client: TestClient, owner: Person, admin: Person, company: Company
) -> None:
    # given an invitation the owner sent
    account = await make_account()
    invitation = await invited(client, owner, company, account.email)

    # when an admin cancels it
    body = await answer(client, "cancelCompanyInvitation", invitation["id"], admin.token)

    # then it is gone for the invitee too, who can no longer accept it
    assert payload(body, "cancelCompanyInvitation")["errors"] == []
    assert await my_invitations(client, account.token) == []
    accepted = await answer(client, "acceptCompanyInvitation", invitation["id"], account.token)
    assert top_level_error(accepted) == NOT_FOUND
    assert await role_of(account.user, company) is None


async def test_only_owners_cancel_an_invitation_to_become_an_owner(
    client: TestClient, owner: Person, admin: Person, company: Company
) -> None:
    invitation = await invited(client, owner, company, new_address(), "OWNER")

    by_admin = await answer(client, "cancelCompanyInvitation", invitation["id"], admin.token)
    by_owner = await answer(client, "cancelCompanyInvitation", invitation["id"], owner.token)

    assert top_level_error(by_admin)[0] == "FORBIDDEN"
    assert payload(by_owner, "cancelCompanyInvitation")["errors"] == []
    assert await CompanyInvitation.all().count() == 0


@pytest.mark.parametrize("who", ["member", "outsider", "invitee"])
async def test_nobody_else_cancels_an_invitation(
    client: TestClient, owner: Person, member: Person, outsider: Person, company: Company, who: str
) -> None:
    account = await make_account()
    invitation = await invited(client, owner, company, account.email)
    token = {"member": member.token, "outsider": outsider.token, "invitee": account.token}[who]

    body = await answer(client, "cancelCompanyInvitation", invitation["id"], token)

    assert top_level_error(body) == NOT_FOUND
    assert await CompanyInvitation.all().count() == 1


async def test_another_companys_owner_cannot_cancel_it(
    client: TestClient, owner: Person, outsider: Person, company: Company
) -> None:
    await make_company(outsider, name="Outsider Ltd")
    invitation = await invited(client, owner, company, new_address())

    body = await answer(client, "cancelCompanyInvitation", invitation["id"], outsider.token)

    assert top_level_error(body) == NOT_FOUND
