"""Answering an invitation through the links of its e-mail, followed as a person would: the GET
shows a button and changes nothing, the POST joins or declines. The link proves the address,
so an account made for the invitation may join before it has a password; a sign-up that never
proved the address may not."""

from aiohttp.test_utils import TestClient

from issuetracker.models import AuditAction, AuditEntry, Company, CompanyInvitation, Role, User
from issuetracker.notifications.dispatcher import Dispatcher

from ..notifications.conftest import Clock, SmtpServer
from ..notifications.mail_helpers import assert_refused, path_of, with_query
from ..support import Person
from .helpers import (
    NEW_PASSWORD,
    account_link,
    make_account,
    new_address,
    register,
    signed_in_token,
    the_mail,
)
from .invitation_helpers import (
    answer,
    companies_of,
    company_invitations,
    invited,
    join_link,
    my_invitations,
    role_of,
    subject,
)


async def _link(
    client: TestClient,
    smtp: SmtpServer,
    dispatcher: Dispatcher,
    by: Person,
    company: Company,
    address: str,
    action: str = "accept",
    role: str = "MEMBER",
) -> str:
    """Invites the address; the link of its e-mail that accepts (or declines)."""
    await invited(client, by, company, address, role)
    return join_link(await the_mail(smtp, dispatcher, address, subject(company)), action)


async def test_the_join_link_shows_a_button_and_only_the_button_joins(
    client: TestClient, smtp: SmtpServer, dispatcher: Dispatcher, owner: Person, company: Company
) -> None:
    # given a user's invitation link, to join as an admin
    account = await make_account()
    link = await _link(client, smtp, dispatcher, owner, company, account.email, role="ADMIN")

    # when it is opened, as a mail scanner would
    page = await client.get(path_of(link))

    # then the page names who invites, whom (masked), where and as what, and nothing changed
    text = await page.text()
    assert page.status == 200
    assert (
        f"<strong>Olive Owner</strong> invites <strong>{account.email[0]}***@example.com</strong> "
        f"to join the company <strong>{company.name}</strong> as admin."
    ) in text
    assert '<button type="submit">Join the company</button>' in text
    assert account.email not in text
    assert await role_of(account.user, company) is None

    # when the button is pressed
    joined = await client.post(path_of(link))

    # then they are an admin, and the invitation no longer waits
    assert joined.status == 200
    assert "You are a member of the company now." in await joined.text()
    assert await role_of(account.user, company) is Role.ADMIN
    assert await my_invitations(client, account.token) == []

    # and the link says so when used again, with nothing to press
    again = await client.get(path_of(link))
    assert "This invitation was already accepted." in await again.text()
    assert "<button" not in await (await client.get(path_of(link))).text()


async def test_the_decline_link_declines(
    client: TestClient, smtp: SmtpServer, dispatcher: Dispatcher, owner: Person, company: Company
) -> None:
    # given a user's invitation link to decline
    account = await make_account()
    link = await _link(client, smtp, dispatcher, owner, company, account.email, "decline")

    # when it is opened, then its button pressed
    page = await client.get(path_of(link))
    declined = await client.post(path_of(link))

    # then the page offered to decline, and the invitation is gone; nobody joined
    assert '<button type="submit">Decline the invitation</button>' in await page.text()
    assert "You declined the invitation." in await declined.text()
    assert await CompanyInvitation.all().count() == 0
    assert await role_of(account.user, company) is None
    assert (await company_invitations(client, company, owner))["totalCount"] == 0


async def test_an_account_made_for_the_invitation_joins_then_chooses_a_password(
    client: TestClient, smtp: SmtpServer, dispatcher: Dispatcher, owner: Person, company: Company
) -> None:
    # given an invitation to an address without an account
    address = new_address("newbie")
    await invited(client, owner, company, address)
    mail = await the_mail(smtp, dispatcher, address, subject(company))

    # when they join with the link, then choose a password with the other
    joined = await client.post(path_of(join_link(mail)))
    password = path_of(account_link(mail))
    chosen = await client.post(
        password, data={"password": NEW_PASSWORD, "password_confirmation": NEW_PASSWORD}
    )

    # then they sign in as a member
    assert (joined.status, chosen.status) == (200, 200)
    token = await signed_in_token(client, address, NEW_PASSWORD)
    assert await companies_of(client, token) == [{"name": company.name, "viewerRole": "MEMBER"}]


async def test_a_sign_up_that_never_proved_the_address_does_not_join_by_link(
    client: TestClient, smtp: SmtpServer, dispatcher: Dispatcher, owner: Person, company: Company
) -> None:
    # given someone signed up with an address they may not own, and an invitation to it
    address = new_address("squatter")
    assert await register(client, address) == {"errors": []}
    link = await _link(client, smtp, dispatcher, owner, company, address)

    # when the invitation's link is followed
    response = await client.post(path_of(link))

    # then that account does not join: the address must be verified first
    assert response.status == 409
    assert "has not verified it yet" in await response.text()
    user = await User.get(email=address)
    assert await role_of(user, company) is None


async def test_a_withdrawn_invitation_link_says_so(
    client: TestClient,
    smtp: SmtpServer,
    dispatcher: Dispatcher,
    owner: Person,
    company: Company,
) -> None:
    # given an invitation link, whose invitation the owner then cancelled
    account = await make_account()
    link = await _link(client, smtp, dispatcher, owner, company, account.email)
    [listed] = await my_invitations(client, account.token)
    await answer(client, "cancelCompanyInvitation", listed["id"], owner.token)

    # when the link is opened and its old form posted
    page = await client.get(path_of(link))
    posted = await client.post(path_of(link))

    # then both say it no longer stands, and nobody joined
    for response in (page, posted):
        assert response.status == 200
        text = await response.text()
        assert "This invitation no longer stands" in text
        assert "<button" not in text
    assert await role_of(account.user, company) is None


async def test_an_altered_or_expired_link_changes_nothing(
    client: TestClient,
    smtp: SmtpServer,
    dispatcher: Dispatcher,
    owner: Person,
    company: Company,
    clock: Clock,
) -> None:
    # given an invitation link, and the same link altered to name another invitation
    account = await make_account()
    link = await _link(client, smtp, dispatcher, owner, company, account.email)
    other = link.replace("/company-invitations/", "/company-invitations/9")

    # when the altered one is posted, and the real one a week and a minute later
    altered = await client.post(path_of(other))
    altered_signature = await client.post(path_of(with_query(link, signature="0" * 64)))
    clock.advance(days=7, minutes=1)
    expired = await client.post(path_of(link))

    # then each is refused, and nobody joined
    await assert_refused(altered, 403, "This link is not valid")
    await assert_refused(altered_signature, 403, "This link is not valid")
    await assert_refused(expired, 410, "This link has expired")
    assert await role_of(account.user, company) is None


async def test_joining_by_link_is_in_the_company_audit_log_by_the_one_who_joined(
    client: TestClient, smtp: SmtpServer, dispatcher: Dispatcher, owner: Person, company: Company
) -> None:
    # given a user's invitation link, followed and its button pressed, without signing in
    account = await make_account()
    link = await _link(client, smtp, dispatcher, owner, company, account.email, role="ADMIN")
    assert (await client.post(path_of(link))).status == 200

    # then the company's log has one MEMBER_JOINED entry, whose actor is the one who joined
    [entry] = await AuditEntry.filter(company_id=company.id, action=AuditAction.MEMBER_JOINED)
    assert account.user is not None
    assert (entry.actor_id, entry.subject_type, entry.subject_id) == (
        account.user.id,
        "User",
        account.user.id,
    )
    assert entry.changes == [{"field": "role", "before": None, "after": "ADMIN"}]
