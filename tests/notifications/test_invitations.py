"""Invitations to an issue, end to end: invited over GraphQL, the e-mail through a real SMTP
server, and its signed link followed as a person would (the GET shows a button, the POST joins).
A new address gets an account; altered, expired and used links change nothing more."""

from datetime import UTC, datetime, timedelta

import pytest
from aiohttp.test_utils import TestClient

from issuetracker.models import Issue, User
from issuetracker.notifications.dispatcher import Dispatcher
from issuetracker.notifications.email_builder import INVITATION_LINK_LIFETIME
from issuetracker.notifications.signing import signed_url
from issuetracker.resolvers.issues.writes import delete_issue
from issuetracker.web import SETTINGS

from ..support import Api, Person, gid, make_issue
from .conftest import Clock, SmtpServer, deliver_all
from .mail_helpers import assert_refused, html_of, link_for, path_of, query_of, text_of, with_query

INVITE = """
mutation ($input: InviteToIssueInput!) {
  inviteToIssue(input: $input) { invitation { databaseId email } errors { field message code } }
}
"""

PARTICIPATION = """
query ($id: ID!) {
  issue(id: $id) {
    participants { name }
    involvementsUpdatedAt
    invitations { nodes { email acceptedAt acceptedBy { name } } }
  }
}
"""

ISSUE_NAME = """
query ($id: ID!) { issue(id: $id) { name } }
"""

NEW_ADDRESS = "newcomer@example.com"
SUBJECT = "Olive Owner invites you to the issue Printer down"


async def invite(api: Api, issue: Issue, email: str, as_: Person) -> int:
    data = await api.data(
        INVITE, {"input": {"issueId": gid("Issue", issue), "email": email}}, as_=as_
    )
    assert data["inviteToIssue"]["errors"] == []
    return data["inviteToIssue"]["invitation"]["databaseId"]


async def invitation_link(
    api: Api, smtp: SmtpServer, dispatcher: Dispatcher, issue: Issue, email: str, by: Person
) -> str:
    """Invites the address; the join link of the one e-mail it got."""
    await invite(api, issue, email, by)
    await deliver_all(dispatcher)
    [mail] = smtp.mailbox.to(email.lower())
    return link_for(mail, "accept")


async def participation(api: Api, issue: Issue, as_: Person) -> dict:
    return (await api.data(PARTICIPATION, {"id": gid("Issue", issue)}, as_=as_))["issue"]


def participant_names(state: dict) -> list[str]:
    return sorted(person["name"] for person in state["participants"])


def id_in(link: str) -> int:
    return int(path_of(link).split("/")[2])


def signed_at(client: TestClient, invitation_id: int, moment: datetime) -> str:
    """The join link as the dispatcher would have signed it at `moment`."""
    settings = client.app[SETTINGS]
    path = f"/invitations/{invitation_id}/accept"
    return signed_url(
        settings.public_url, settings.secret_key, path, moment, INVITATION_LINK_LIFETIME
    )


@pytest.fixture
async def issue(owner: Person) -> Issue:
    """An issue without categories: only its owner and participants see it."""
    return await make_issue(owner, name="Printer down")


async def test_the_invitation_email_carries_a_join_link_valid_fourteen_days(
    api: Api, owner: Person, issue: Issue, smtp: SmtpServer, dispatcher: Dispatcher, clock: Clock
) -> None:
    # when the owner invites an address and the e-mail is sent
    invitation_id = await invite(api, issue, NEW_ADDRESS, owner)
    await deliver_all(dispatcher)

    # then one e-mail arrived, text and HTML, with the same signed link to join
    [mail] = smtp.mailbox.to(NEW_ADDRESS)
    assert mail["Subject"] == SUBJECT
    link = link_for(mail, "accept")
    assert link.startswith(f"http://testserver/invitations/{invitation_id}/accept?")
    assert 'Olive Owner invites you to work on the issue "Printer down"' in text_of(mail)
    assert f'href="{link.replace("&", "&amp;")}"' in html_of(mail)
    expires = datetime.fromtimestamp(int(query_of(link)["expires"]), UTC)
    assert abs(expires - (clock.now + timedelta(days=14))) < timedelta(seconds=2)


async def test_a_new_address_joins_with_the_button_and_gets_an_account(
    api: Api,
    client: TestClient,
    owner: Person,
    issue: Issue,
    smtp: SmtpServer,
    dispatcher: Dispatcher,
) -> None:
    # given an invitation to an address nobody has, and its e-mailed link
    link = await invitation_link(api, smtp, dispatcher, issue, NEW_ADDRESS, owner)
    before = await participation(api, issue, owner)

    # when the link is opened, as a mail scanner would, then the button is pressed
    page = await client.get(path_of(link))
    assert page.status == 200
    assert f'<form method="post" action="{path_of(link).replace("&", "&amp;")}">' in (
        await page.text()
    )
    assert await participation(api, issue, owner) == before
    joined = await client.post(path_of(link))

    # then the page says so, and a verified account without a password takes part
    assert joined.status == 200
    assert "You take part in the issue now." in await joined.text()
    newcomer = await User.get(email=NEW_ADDRESS)
    assert newcomer.email_verified_at is not None
    assert newcomer.password_hash == ""
    after = await participation(api, issue, owner)
    assert participant_names(after) == ["Olive Owner", "newcomer"]
    [invitation] = after["invitations"]["nodes"]
    assert invitation["acceptedBy"] == {"name": "newcomer"}
    assert invitation["acceptedAt"] is not None
    assert datetime.fromisoformat(after["involvementsUpdatedAt"]) > datetime.fromisoformat(
        before["involvementsUpdatedAt"]
    )


async def test_an_existing_user_joins_and_then_sees_the_issue(
    api: Api,
    client: TestClient,
    owner: Person,
    member: Person,
    issue: Issue,
    smtp: SmtpServer,
    dispatcher: Dispatcher,
) -> None:
    # given an invitation to the member's address, in another case
    assert member.user is not None
    hidden = await api.graphql(ISSUE_NAME, {"id": gid("Issue", issue)}, as_=member)
    assert hidden["errors"][0]["extensions"]["code"] == "NOT_FOUND"
    link = await invitation_link(api, smtp, dispatcher, issue, member.user.email.upper(), owner)
    users = await User.all().count()

    # when the member presses the button of the link
    assert (await client.post(path_of(link))).status == 200

    # then the member takes part as themself, no account was added, and the issue is theirs
    assert participant_names(await participation(api, issue, owner)) == [
        "Mia Member",
        "Olive Owner",
    ]
    assert await User.all().count() == users
    seen = await api.data(ISSUE_NAME, {"id": gid("Issue", issue)}, as_=member)
    assert seen["issue"]["name"] == "Printer down"


async def test_accepting_twice_is_harmless(
    api: Api,
    client: TestClient,
    owner: Person,
    issue: Issue,
    smtp: SmtpServer,
    dispatcher: Dispatcher,
) -> None:
    link = await invitation_link(api, smtp, dispatcher, issue, NEW_ADDRESS, owner)
    await client.post(path_of(link))
    joined = await participation(api, issue, owner)

    again = await client.post(path_of(link))

    assert again.status == 200
    assert "This invitation was already accepted." in await again.text()
    assert await participation(api, issue, owner) == joined
    assert await User.filter(email=NEW_ADDRESS).count() == 1


async def test_inviting_an_address_again_sends_no_second_email(
    api: Api, owner: Person, issue: Issue, smtp: SmtpServer, dispatcher: Dispatcher
) -> None:
    first = await invite(api, issue, NEW_ADDRESS, owner)
    again = await invite(api, issue, NEW_ADDRESS.upper(), owner)
    await deliver_all(dispatcher)

    assert again == first
    assert len(smtp.mailbox.to(NEW_ADDRESS)) == 1


@pytest.mark.parametrize("alteration", ["signature", "id", "expires", "unsigned"])
async def test_an_altered_link_changes_nothing(
    api: Api,
    client: TestClient,
    owner: Person,
    issue: Issue,
    smtp: SmtpServer,
    dispatcher: Dispatcher,
    alteration: str,
) -> None:
    # given two pending invitations, and the e-mailed link of the first, altered
    link = await invitation_link(api, smtp, dispatcher, issue, NEW_ADDRESS, owner)
    other_id = await invite(api, issue, "other@example.com", owner)
    query = query_of(link)
    altered = {
        "signature": with_query(link, signature="0" * 64),
        "id": link.replace(f"/invitations/{id_in(link)}/", f"/invitations/{other_id}/"),
        "expires": with_query(link, expires=str(int(query["expires"]) + 86400)),
        "unsigned": link.split("?")[0],
    }[alteration]
    assert altered != link
    before = await participation(api, issue, owner)

    # when the altered link is posted
    response = await client.post(path_of(altered))

    # then it is refused, and nobody joined
    await assert_refused(response, 403, "This link is not valid")
    assert await participation(api, issue, owner) == before
    assert not await User.exists(email=NEW_ADDRESS)


@pytest.mark.parametrize("method", ["GET", "POST"])
async def test_an_expired_link_changes_nothing(
    api: Api,
    client: TestClient,
    owner: Person,
    issue: Issue,
    smtp: SmtpServer,
    dispatcher: Dispatcher,
    method: str,
) -> None:
    # given an invitation whose link was signed fifteen days ago
    invitation_id = await invite(api, issue, NEW_ADDRESS, owner)
    expired = signed_at(client, invitation_id, datetime.now(UTC) - timedelta(days=15))
    before = await participation(api, issue, owner)

    # when it is opened or posted
    response = await client.request(method, path_of(expired))

    # then the page says it expired, and nobody joined
    await assert_refused(response, 410, "This link has expired")
    assert await participation(api, issue, owner) == before
    assert not await User.exists(email=NEW_ADDRESS)


async def test_a_link_signed_thirteen_days_ago_still_works(
    api: Api, client: TestClient, owner: Person, issue: Issue
) -> None:
    invitation_id = await invite(api, issue, NEW_ADDRESS, owner)
    link = signed_at(client, invitation_id, datetime.now(UTC) - timedelta(days=13))

    response = await client.post(path_of(link))

    assert "You take part in the issue now." in await response.text()
    assert participant_names(await participation(api, issue, owner)) == [
        "Olive Owner",
        "newcomer",
    ]


async def test_an_invitation_to_a_deleted_issue_is_gone(
    api: Api,
    client: TestClient,
    owner: Person,
    issue: Issue,
    smtp: SmtpServer,
    dispatcher: Dispatcher,
) -> None:
    link = await invitation_link(api, smtp, dispatcher, issue, NEW_ADDRESS, owner)
    await delete_issue(owner.scope, issue.id)

    response = await client.post(path_of(link))

    assert response.status == 200
    assert "This invitation no longer exists." in await response.text()
    assert not await User.exists(email=NEW_ADDRESS)
