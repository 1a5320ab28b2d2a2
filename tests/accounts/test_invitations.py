"""Company invitations and roles: a user invited by e-mail becomes a member and is told; an unknown
address gets an account and a link to choose a password, followed as a person would; who may
invite and change roles; and a company always keeps an owner."""

from typing import Any

import pytest
from aiohttp.test_utils import TestClient

from issuetracker.models import Company, Membership, Role, User
from issuetracker.notifications.dispatcher import Dispatcher

from ..notifications.conftest import Clock, SmtpServer
from ..notifications.mail_helpers import assert_refused, path_of, text_of
from ..support import Person, gid, make_person
from .helpers import (
    LOGIN,
    NEW_PASSWORD,
    account_link,
    graphql,
    login,
    mails_to,
    make_account,
    new_address,
    payload,
    signed_in_token,
    the_mail,
    top_level_error,
    viewer,
    whole_response,
)

INVITE = """
mutation ($input: InviteCompanyMemberInput!) {
  inviteCompanyMember(input: $input) {
    membership { role user { name } company { name } }
    errors { field message code }
  }
}
"""

CHANGE_ROLE = """
mutation ($input: ChangeCompanyMemberRoleInput!) {
  changeCompanyMemberRole(input: $input) {
    membership { role user { name } }
    errors { field message code }
  }
}
"""

ADD_MEMBER = """
mutation ($input: AddCompanyMemberInput!) {
  addCompanyMember(input: $input) { membership { role } errors { code } }
}
"""

VIEWER_COMPANIES = """
query { viewer { companies { nodes { name viewerRole } } } }
"""


def invitation(company: Company, email: str, role: str = "MEMBER") -> dict:
    return {"input": {"companyId": gid("Company", company), "email": email, "role": role}}


def role_change(company: Company, person: Person, role: str) -> dict:
    return {
        "input": {"companyId": gid("Company", company), "userId": person.global_id, "role": role}
    }


async def invite(
    client: TestClient, by: Person, company: Company, email: str, role: str = "MEMBER"
) -> dict[str, Any]:
    return await graphql(client, INVITE, invitation(company, email, role), token=by.token)


async def role_of(user: User | None, company: Company) -> Role | None:
    assert user is not None
    membership = await Membership.get_or_none(user_id=user.id, company_id=company.id)
    return membership.role if membership else None


# --- inviting someone with an account ---------------------------------------------------------


async def test_a_user_invited_becomes_a_member_and_is_told(
    client: TestClient, smtp: SmtpServer, dispatcher: Dispatcher, owner: Person, company: Company
) -> None:
    # given a user with an account
    account = await make_account("Ivy Invitee")

    # when the owner invites their address as an admin
    body = await invite(client, owner, company, account.email, "ADMIN")

    # then they are an admin of the company, and an e-mail tells them, with no link
    assert payload(body, "inviteCompanyMember") == {
        "membership": {
            "role": "ADMIN",
            "user": {"name": "Ivy Invitee"},
            "company": {"name": company.name},
        },
        "errors": [],
    }
    companies = await graphql(client, VIEWER_COMPANIES, token=account.token)
    assert payload(companies, "viewer")["companies"]["nodes"] == [
        {"name": company.name, "viewerRole": "ADMIN"}
    ]
    mail = await the_mail(smtp, dispatcher, account.email, f"You were added to {company.name}")
    assert f"Olive Owner added you to {company.name} as admin." in text_of(mail)
    assert "/account/" not in text_of(mail)


async def test_an_address_is_matched_whatever_its_case(
    client: TestClient, owner: Person, company: Company
) -> None:
    account = await make_account()

    body = await invite(client, owner, company, account.email.upper())

    assert payload(body, "inviteCompanyMember")["errors"] == []
    assert await role_of(account.user, company) is Role.MEMBER
    assert await User.all().count() == 4  # owner, admin, member and the account: none new


async def test_inviting_a_member_again_is_refused(
    client: TestClient,
    smtp: SmtpServer,
    dispatcher: Dispatcher,
    owner: Person,
    member: Person,
    company: Company,
) -> None:
    # when the owner invites someone who is already a member, as an admin
    assert member.user is not None
    body = await invite(client, owner, company, member.user.email, "ADMIN")

    # then the payload says so, the role stays, and nobody is e-mailed
    assert payload(body, "inviteCompanyMember")["errors"] == [
        {
            "field": "email",
            "message": "This person is already a member of the company.",
            "code": "ALREADY_MEMBER",
        }
    ]
    assert await role_of(member.user, company) is Role.MEMBER
    assert await mails_to(smtp, dispatcher, member.user.email) == []


# --- inviting an address without an account ---------------------------------------------------


async def test_an_unknown_address_gets_an_account_and_a_link_to_choose_a_password(
    client: TestClient, smtp: SmtpServer, dispatcher: Dispatcher, admin: Person, company: Company
) -> None:
    # given an address without an account
    address = new_address("newbie")

    # when an admin invites it
    body = await invite(client, admin, company, address)

    # then an unverified account without a password is made, a member named after the address,
    # and the e-mail brings a link valid for 7 days
    assert payload(body, "inviteCompanyMember")["membership"] == {
        "role": "MEMBER",
        "user": {"name": address.partition("@")[0]},
        "company": {"name": company.name},
    }
    user = await User.get(email=address)
    assert user.password_hash == ""
    assert user.email_verified_at is None
    mail = await the_mail(smtp, dispatcher, address, f"You were added to {company.name}")
    assert "An account was made for this address." in text_of(mail)
    assert "the link works once, for 7 days" in text_of(mail)
    assert account_link(mail).startswith("http://testserver/account/password?token=")


async def test_the_invited_person_follows_the_link_chooses_a_password_and_signs_in(
    client: TestClient, smtp: SmtpServer, dispatcher: Dispatcher, owner: Person, company: Company
) -> None:
    # given an invited address, which cannot sign in yet
    address = new_address("newbie")
    await invite(client, owner, company, address)
    link = account_link(
        await the_mail(smtp, dispatcher, address, f"You were added to {company.name}")
    )
    assert payload(await login(client, address, NEW_PASSWORD), "login")["errors"][0]["code"] == (
        "INVALID_CREDENTIALS"
    )

    # when they open the link and fill in the form
    form = await client.get(path_of(link))
    response = await client.post(
        path_of(link), data={"password": NEW_PASSWORD, "password_confirmation": NEW_PASSWORD}
    )

    # then they sign in with it, verified, as a member of the company; no "password changed"
    # e-mail follows a first password
    assert form.status == 200
    assert f"For the account of <strong>{address[0]}***@example.com</strong>" in await form.text()
    assert response.status == 200
    token = await signed_in_token(client, address, NEW_PASSWORD)
    me = await viewer(client, token)
    assert me is not None
    assert me["emailVerifiedAt"] is not None
    companies = payload(await graphql(client, VIEWER_COMPANIES, token=token), "viewer")
    assert companies["companies"]["nodes"] == [{"name": company.name, "viewerRole": "MEMBER"}]
    assert len(await mails_to(smtp, dispatcher, address)) == 1

    # and the link does not work a second time
    await assert_refused(await client.get(path_of(link)), 410, "This link was already used")


async def test_an_invitation_link_expires_after_seven_days(
    client: TestClient,
    smtp: SmtpServer,
    dispatcher: Dispatcher,
    owner: Person,
    company: Company,
    clock: Clock,
) -> None:
    # given an invitation e-mailed a week and a minute ago
    address = new_address("late")
    await invite(client, owner, company, address)
    link = account_link(
        await the_mail(smtp, dispatcher, address, f"You were added to {company.name}")
    )
    clock.advance(days=7, minutes=1)

    # when the link is followed
    response = await client.post(
        path_of(link), data={"password": NEW_PASSWORD, "password_confirmation": NEW_PASSWORD}
    )

    # then it expired, and the account still has no password (a reset request makes a new link)
    await assert_refused(response, 410, "This link has expired")
    assert (await User.get(email=address)).password_hash == ""


async def test_an_invited_account_answers_sign_in_as_an_unknown_address_does(
    client: TestClient, owner: Person, company: Company
) -> None:
    # given an invited address, and one never seen
    invited = new_address("invited")
    await invite(client, owner, company, invited)

    # when both try to sign in
    def attempt(email: str) -> dict:
        return {"input": {"email": email, "password": NEW_PASSWORD}}

    invited_answer = await whole_response(client, LOGIN, attempt(invited))
    unknown_answer = await whole_response(client, LOGIN, attempt(new_address()))

    # then the responses are identical
    assert invited_answer == unknown_answer


async def test_a_second_company_inviting_a_password_less_account_sends_a_link_again(
    client: TestClient, smtp: SmtpServer, dispatcher: Dispatcher, owner: Person, company: Company
) -> None:
    # given an address invited to one company, that has not chosen a password yet
    address = new_address("twice")
    await invite(client, owner, company, address)
    other_owner = await make_person("Oscar Other")
    other = await Company.create(name="Other Inc")
    assert other_owner.user is not None
    await Membership.create(user=other_owner.user, company=other, role=Role.OWNER)

    # when another company invites it
    body = await invite(client, other_owner, other, address)

    # then the same account joins, and this e-mail too brings a link to choose a password
    assert payload(body, "inviteCompanyMember")["errors"] == []
    assert await User.filter(email=address).count() == 1
    mail = await the_mail(smtp, dispatcher, address, "You were added to Other Inc")
    assert account_link(mail)


# --- who may invite ---------------------------------------------------------------------------


async def test_anonymous_cannot_invite(client: TestClient, company: Company) -> None:
    body = await graphql(client, INVITE, invitation(company, new_address()))

    assert top_level_error(body) == ("UNAUTHENTICATED", "Unauthenticated.")


@pytest.mark.parametrize("who", ["member", "outsider"])
async def test_plain_members_and_outsiders_cannot_invite(
    client: TestClient,
    smtp: SmtpServer,
    dispatcher: Dispatcher,
    member: Person,
    outsider: Person,
    company: Company,
    who: str,
) -> None:
    # when a plain member or an outsider invites an address
    address = new_address()
    body = await invite(client, member if who == "member" else outsider, company, address)

    # then it is forbidden, no account is made and nothing is sent
    code, _ = top_level_error(body)
    assert code == "FORBIDDEN"
    assert not await User.exists(email=address)
    assert await mails_to(smtp, dispatcher, address) == []


async def test_an_admin_cannot_invite_an_owner(
    client: TestClient, admin: Person, company: Company
) -> None:
    address = new_address()

    body = await invite(client, admin, company, address, "OWNER")

    assert top_level_error(body) == ("FORBIDDEN", "Only owners may make someone an owner.")
    assert not await User.exists(email=address)


async def test_an_owner_invites_an_owner(
    client: TestClient, owner: Person, company: Company
) -> None:
    address = new_address()

    body = await invite(client, owner, company, address, "OWNER")

    assert payload(body, "inviteCompanyMember")["membership"]["role"] == "OWNER"


async def test_a_malformed_address_is_refused(
    client: TestClient, owner: Person, company: Company
) -> None:
    body = await invite(client, owner, company, "not an address")

    assert payload(body, "inviteCompanyMember")["errors"] == [
        {
            "field": "email",
            "message": "The email must be a valid email address.",
            "code": "INVALID_EMAIL",
        }
    ]


async def test_add_company_member_tells_the_new_member_too(
    client: TestClient, smtp: SmtpServer, dispatcher: Dispatcher, owner: Person, company: Company
) -> None:
    account = await make_account()

    body = await graphql(client, ADD_MEMBER, invitation(company, account.email), token=owner.token)

    assert payload(body, "addCompanyMember") == {"membership": {"role": "MEMBER"}, "errors": []}
    await the_mail(smtp, dispatcher, account.email, f"You were added to {company.name}")


# --- changing roles ---------------------------------------------------------------------------


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
