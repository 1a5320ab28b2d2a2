"""Inviting people into a company: the invitation waits until the person accepts it, the
answer is the same whoever the address is (an account, no account, a member already), an
unknown address gets an account and a link to choose a password, followed as a person would,
and who may invite."""

from datetime import datetime, timedelta

import pytest
from aiohttp.test_utils import TestClient

from issuetracker.models import Company, CompanyInvitation, Membership, Role, User
from issuetracker.notifications.dispatcher import Dispatcher

from ..notifications.conftest import Clock, SmtpServer
from ..notifications.mail_helpers import assert_refused, path_of, text_of
from ..support import Person, make_person
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
    register,
    signed_in_token,
    the_mail,
    top_level_error,
    whole_response,
)
from .invitation_helpers import (
    ADD_MEMBER,
    answer,
    companies_of,
    invitation_input,
    invite,
    invited,
    my_invitations,
    pending_count,
    role_of,
    subject,
)

# --- the invitation waits -----------------------------------------------------------------------


async def test_an_invited_user_is_told_and_is_no_member_until_they_accept(
    client: TestClient,
    smtp: SmtpServer,
    dispatcher: Dispatcher,
    owner: Person,
    company: Company,
    clock: Clock,
) -> None:
    # given a user with an account
    account = await make_account("Ivy Invitee")

    # when the owner invites their address as an admin
    body = await invite(client, owner, company, account.email, "ADMIN")

    # then the payload shows a pending invitation for a week, and they are not a member
    result = payload(body, "inviteCompanyMember")
    invitation = result["companyInvitation"]
    assert result["errors"] == []
    assert result["company"] == {"name": company.name}
    assert {key: invitation[key] for key in ("email", "role", "acceptedAt", "invitedBy")} == {
        "email": account.email,
        "role": "ADMIN",
        "acceptedAt": None,
        "invitedBy": {"name": "Olive Owner"},
    }
    expires = datetime.fromisoformat(invitation["expiresAt"])
    assert abs(expires - (clock.now + timedelta(days=7))) < timedelta(seconds=2)
    assert await companies_of(client, account.token) == []
    assert await role_of(account.user, company) is None

    # and an e-mail invites them, with links to join and to decline, and none to a password
    mail = await the_mail(smtp, dispatcher, account.email, subject(company))
    assert f"Olive Owner invites you to join {company.name} as admin." in text_of(mail)
    assert f"/company-invitations/{invitation['databaseId']}/accept?" in text_of(mail)
    assert f"/company-invitations/{invitation['databaseId']}/decline?" in text_of(mail)
    assert "/account/" not in text_of(mail)


def _without_the_address(result: dict) -> dict:
    """The payload with what names the address (its id and the address itself) set aside."""
    invitation = dict(result["companyInvitation"])
    for key in ("id", "databaseId", "email"):
        invitation.pop(key)
    return {**result, "companyInvitation": invitation}


async def test_the_answer_is_the_same_for_an_account_no_account_and_a_member(
    client: TestClient, owner: Person, member: Person, company: Company
) -> None:
    # given an address with an account, one without, and a member's
    account = await make_account()
    assert member.user is not None
    addresses = [account.email, new_address("nobody"), member.user.email]

    # when the owner invites each
    bodies = [await invite(client, owner, company, address) for address in addresses]

    # then the three payloads are the same but for the address they name, and nobody joined
    results = [_without_the_address(payload(body, "inviteCompanyMember")) for body in bodies]
    assert results[0] == results[1] == results[2]
    assert results[0]["errors"] == []
    assert [body["status"] for body in bodies] == [200, 200, 200]
    assert await role_of(account.user, company) is None
    assert await role_of(member.user, company) is Role.MEMBER


async def test_add_company_member_invites_too_and_answers_alike(
    client: TestClient,
    smtp: SmtpServer,
    dispatcher: Dispatcher,
    owner: Person,
    member: Person,
    company: Company,
) -> None:
    # given an address with an account, one without, and a member's
    account = await make_account()
    assert member.user is not None
    addresses = [account.email, new_address("nobody"), member.user.email]

    # when the owner adds each with the deprecated mutation, as admins
    bodies = [
        await graphql(
            client, ADD_MEMBER, invitation_input(company, address, "ADMIN"), token=owner.token
        )
        for address in addresses
    ]

    # then each answer is the same, no membership; each address is invited and e-mailed
    assert [payload(body, "addCompanyMember") for body in bodies] == [
        {"membership": None, "errors": []}
    ] * 3
    assert await role_of(account.user, company) is None
    assert await role_of(member.user, company) is Role.MEMBER
    assert await pending_count(company) == 3
    for address in addresses:
        await the_mail(smtp, dispatcher, address, subject(company))


async def test_an_address_is_matched_whatever_its_case(
    client: TestClient, owner: Person, company: Company
) -> None:
    account = await make_account()

    invitation = await invited(client, owner, company, f" {account.email.upper()} ")

    assert invitation["email"] == account.email
    assert [found["companyName"] for found in await my_invitations(client, account.token)] == [
        company.name
    ]
    assert await User.all().count() == 4  # owner, admin, member and the account: none new


async def test_inviting_again_renews_the_one_invitation(
    client: TestClient,
    smtp: SmtpServer,
    dispatcher: Dispatcher,
    owner: Person,
    admin: Person,
    company: Company,
    clock: Clock,
) -> None:
    # given an address invited as a member three days ago
    account = await make_account()
    first = await invited(client, owner, company, account.email)
    clock.advance(days=3)

    # when an admin invites it again, as an admin
    again = await invited(client, admin, company, account.email, "ADMIN")

    # then it is the same invitation, renewed: its role, who invites, when, and a new week
    assert again["id"] == first["id"]
    assert (again["role"], again["invitedBy"]) == ("ADMIN", {"name": "Adam Admin"})
    assert datetime.fromisoformat(again["createdAt"]) > datetime.fromisoformat(first["createdAt"])
    expires = datetime.fromisoformat(again["expiresAt"])
    assert abs(expires - (clock.now + timedelta(days=7))) < timedelta(seconds=2)
    assert await CompanyInvitation.filter(email=account.email).count() == 1
    assert len(await mails_to(smtp, dispatcher, account.email)) == 2


async def test_invitations_to_one_address_send_at_most_the_account_e_mail_limit(
    client: TestClient, smtp: SmtpServer, dispatcher: Dispatcher, owner: Person, company: Company
) -> None:
    # when the owner invites one address five times within the hour
    address = new_address("flooded")
    answers = [await invited(client, owner, company, address) for _ in range(5)]

    # then every answer is alike, and three e-mails (the limit in these tests) were sent
    assert len({invitation["id"] for invitation in answers}) == 1
    assert len(await mails_to(smtp, dispatcher, address)) == 3


async def test_an_invitation_lapses_after_seven_days(
    client: TestClient, owner: Person, company: Company, clock: Clock
) -> None:
    # given an invitation sent a week and a minute ago
    account = await make_account()
    invitation = await invited(client, owner, company, account.email)
    clock.advance(days=7, minutes=1)

    # when the invitee looks for it, and accepts it
    listed = await my_invitations(client, account.token)
    body = await answer(client, "acceptCompanyInvitation", invitation["id"], account.token)

    # then it is gone, and they did not join
    assert listed == []
    assert top_level_error(body) == ("NOT_FOUND", "Invitation not found.")
    assert await role_of(account.user, company) is None


# --- an address without an account ----------------------------------------------------------------


async def test_an_unknown_address_gets_an_account_and_a_link_to_choose_a_password(
    client: TestClient, smtp: SmtpServer, dispatcher: Dispatcher, admin: Person, company: Company
) -> None:
    # given an address without an account
    address = new_address("newbie")

    # when an admin invites it
    await invited(client, admin, company, address)

    # then an unverified account without a password is made, not a member, and the e-mail
    # brings a link to choose a password, valid for 7 days, beside the links to join or not
    user = await User.get(email=address)
    assert user.password_hash == ""
    assert user.email_verified_at is None
    assert not await Membership.exists(user_id=user.id)
    mail = await the_mail(smtp, dispatcher, address, subject(company, "Adam Admin"))
    assert "An account was made for this address." in text_of(mail)
    assert "the link works once, for 7 days" in text_of(mail)
    assert "It does not join the company" in text_of(mail)
    assert account_link(mail).startswith("http://testserver/account/password?token=")


async def test_the_invited_person_chooses_a_password_signs_in_and_accepts(
    client: TestClient, smtp: SmtpServer, dispatcher: Dispatcher, owner: Person, company: Company
) -> None:
    # given an invited address, which cannot sign in yet
    address = new_address("newbie")
    await invited(client, owner, company, address)
    link = account_link(await the_mail(smtp, dispatcher, address, subject(company)))
    assert payload(await login(client, address, NEW_PASSWORD), "login")["errors"][0]["code"] == (
        "INVALID_CREDENTIALS"
    )

    # when they open the link and fill in the form
    form = await client.get(path_of(link))
    response = await client.post(
        path_of(link), data={"password": NEW_PASSWORD, "password_confirmation": NEW_PASSWORD}
    )

    # then they sign in with it, verified, not yet a member: the invitation waits for them
    assert form.status == 200
    assert f"For the account of <strong>{address[0]}***@example.com</strong>" in await form.text()
    assert response.status == 200
    token = await signed_in_token(client, address, NEW_PASSWORD)
    assert await companies_of(client, token) == []
    [waiting] = await my_invitations(client, token)

    # and once they accept it, they are a member; no "password changed" e-mail followed
    accepted = await answer(client, "acceptCompanyInvitation", waiting["id"], token)
    assert payload(accepted, "acceptCompanyInvitation")["errors"] == []
    assert await companies_of(client, token) == [{"name": company.name, "viewerRole": "MEMBER"}]
    assert len(await mails_to(smtp, dispatcher, address)) == 1

    # and the password link does not work a second time
    await assert_refused(await client.get(path_of(link)), 410, "This link was already used")


async def test_the_password_link_expires_after_seven_days(
    client: TestClient,
    smtp: SmtpServer,
    dispatcher: Dispatcher,
    owner: Person,
    company: Company,
    clock: Clock,
) -> None:
    # given an invitation e-mailed a week and a minute ago
    address = new_address("late")
    await invited(client, owner, company, address)
    link = account_link(await the_mail(smtp, dispatcher, address, subject(company)))
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
    invited_address = new_address("invited")
    await invited(client, owner, company, invited_address)

    # when both try to sign in
    def attempt(email: str) -> dict:
        return {"input": {"email": email, "password": NEW_PASSWORD}}

    invited_answer = await whole_response(client, LOGIN, attempt(invited_address))
    unknown_answer = await whole_response(client, LOGIN, attempt(new_address()))

    # then the responses are identical
    assert invited_answer == unknown_answer


async def test_a_second_company_inviting_a_password_less_account_sends_a_link_again(
    client: TestClient, smtp: SmtpServer, dispatcher: Dispatcher, owner: Person, company: Company
) -> None:
    # given an address invited to one company, that has not chosen a password yet
    address = new_address("twice")
    await invited(client, owner, company, address)
    other_owner = await make_person("Oscar Other")
    other = await Company.create(name="Other Inc")
    assert other_owner.user is not None
    await Membership.create(user=other_owner.user, company=other, role=Role.OWNER)

    # when another company invites it
    await invited(client, other_owner, other, address)

    # then the same account is invited, and this e-mail too brings a link to choose a password
    assert await User.filter(email=address).count() == 1
    mail = await the_mail(smtp, dispatcher, address, subject(other, "Oscar Other"))
    assert account_link(mail)


async def test_someone_who_signed_up_with_the_address_gets_no_password_link(
    client: TestClient, smtp: SmtpServer, dispatcher: Dispatcher, owner: Person, company: Company
) -> None:
    # given an unverified sign-up with an address (whoever made it chose its password)
    address = new_address("signup")
    assert await register(client, address) == {"errors": []}

    # when the owner invites that address
    await invited(client, owner, company, address)

    # then the e-mail has links to join and decline, but none to choose a password
    mail = await the_mail(smtp, dispatcher, address, subject(company))
    assert "/account/" not in text_of(mail)


# --- who may invite -------------------------------------------------------------------------------


async def test_anonymous_cannot_invite(
    client: TestClient, anonymous: Person, company: Company
) -> None:
    body = await invite(client, anonymous, company, new_address())

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

    # then it is forbidden: no invitation, no account, nothing sent
    code, _ = top_level_error(body)
    assert code == "FORBIDDEN"
    assert await pending_count(company) == 0
    assert not await User.exists(email=address)
    assert await mails_to(smtp, dispatcher, address) == []


async def test_an_unverified_user_cannot_invite(
    client: TestClient, owner: Person, company: Company
) -> None:
    # given an owner whose address is not verified
    assert owner.user is not None
    await User.filter(id=owner.user.id).update(email_verified_at=None)

    body = await invite(client, owner, company, new_address())

    assert top_level_error(body)[0] == "FORBIDDEN"
    assert await pending_count(company) == 0


async def test_an_admin_cannot_invite_an_owner(
    client: TestClient, admin: Person, company: Company
) -> None:
    address = new_address()

    body = await invite(client, admin, company, address, "OWNER")

    assert top_level_error(body) == ("FORBIDDEN", "Only owners may make someone an owner.")
    assert not await User.exists(email=address)


async def test_an_admin_cannot_change_a_waiting_invitation_to_become_an_owner(
    client: TestClient, owner: Person, admin: Person, company: Company
) -> None:
    # given the owner invited an address to become an owner
    address = new_address()
    await invited(client, owner, company, address, "OWNER")

    # when an admin invites it again, as a member
    body = await invite(client, admin, company, address)

    # then it is forbidden, and the invitation stays as the owner made it
    assert top_level_error(body)[0] == "FORBIDDEN"
    assert (await CompanyInvitation.get(email=address)).role is Role.OWNER


async def test_an_owner_invites_an_owner(
    client: TestClient, owner: Person, company: Company
) -> None:
    invitation = await invited(client, owner, company, new_address(), "OWNER")

    assert invitation["role"] == "OWNER"


async def test_a_malformed_address_is_refused(
    client: TestClient, owner: Person, company: Company
) -> None:
    body = await invite(client, owner, company, "not an address")

    assert payload(body, "inviteCompanyMember") == {
        "companyInvitation": None,
        "company": None,
        "errors": [
            {
                "field": "email",
                "message": "The email must be a valid email address.",
                "code": "INVALID_EMAIL",
            }
        ],
    }
    assert await pending_count(company) == 0
