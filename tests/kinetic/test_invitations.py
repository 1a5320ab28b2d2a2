"""Inviting people through PUT /api/v1/issues/<guid>: each new address gets one e-mail (queued in
the outbox with the change); addresses already invited are not invited again."""

import pytest
from aiohttp.test_utils import TestClient

from issuetracker.models import Invitation, MessageKind, OutboxMessage
from issuetracker.resolvers.issues.participants import accept_invitation

from ..support import Person, anonymous_scope
from .helpers import INVITATION_KEYS, assert_recent, create, edit, show


async def invitation_emails(address: str) -> list[OutboxMessage]:
    return await OutboxMessage.filter(
        kind=MessageKind.EMAIL, destination=address, event_type="issue_invitation"
    )


@pytest.mark.parametrize(
    "entry", ["guest@example.com", {"email": "guest@example.com"}], ids=["string", "object"]
)
async def test_a_new_address_is_invited_by_e_mail(
    client: TestClient, owner: Person, entry: str | dict[str, str]
) -> None:
    assert owner.user is not None
    created = await create(client, owner, name="Printers are down")

    # when an address is sent in `invitations`
    reply = await edit(client, created["guid"], owner, invitations=[entry])

    # then the issue lists the invitation, and an invitation e-mail is queued for that address
    assert reply.status == 200
    [invitation] = reply.body["invitations"]
    assert set(invitation) == INVITATION_KEYS
    assert invitation["email"] == "guest@example.com"
    assert invitation["invited_by_id"] == owner.user.id
    assert invitation["accepted_at"] is None
    assert_recent(invitation["created_at"])
    [email] = await invitation_emails("guest@example.com")
    assert email.payload["issue_name"] == "Printers are down"
    assert email.payload["invitation_id"] == invitation["id"]
    assert reply.body["involvements_updated_at"] > created["involvements_updated_at"]


async def test_an_existing_users_address_is_invited_the_same_way(
    client: TestClient, owner: Person, member: Person
) -> None:
    assert member.user is not None
    created = await create(client, owner)

    reply = await edit(client, created["guid"], owner, invitations=[member.user.email.upper()])

    assert reply.status == 200
    assert [row["email"] for row in reply.body["invitations"]] == [member.user.email]
    assert len(await invitation_emails(member.user.email)) == 1


async def test_sending_the_invitations_back_invites_nobody_again(
    client: TestClient, owner: Person
) -> None:
    # given an issue with one invitation, as a client fetched it
    created = await create(client, owner)
    await edit(client, created["guid"], owner, invitations=["guest@example.com"])
    fetched = (await show(client, created["guid"], owner)).body

    # when the fetched invitations come back with one more address
    reply = await edit(
        client,
        created["guid"],
        owner,
        invitations=[*fetched["invitations"], "second@example.com"],
    )

    # then only the new address is invited
    assert [row["email"] for row in reply.body["invitations"]] == [
        "guest@example.com",
        "second@example.com",
    ]
    assert len(await invitation_emails("guest@example.com")) == 1
    assert len(await invitation_emails("second@example.com")) == 1


async def test_an_accepted_invitation_shows_when_and_the_invitee_takes_part(
    client: TestClient, owner: Person
) -> None:
    created = await create(client, owner)
    await edit(client, created["guid"], owner, invitations=["guest@example.com"])
    [invitation] = await Invitation.filter(email="guest@example.com")

    await accept_invitation(anonymous_scope(), invitation.id)
    issue = (await show(client, created["guid"], owner)).body

    [shown] = issue["invitations"]
    assert_recent(shown["accepted_at"])
    assert "guest@example.com" in [user["email"] for user in issue["participants"]]


async def test_someone_already_taking_part_is_not_invited(
    client: TestClient, owner: Person
) -> None:
    assert owner.user is not None
    created = await create(client, owner)

    reply = await edit(client, created["guid"], owner, invitations=[owner.user.email])

    assert reply.status == 422
    assert reply.body == {"success": False, "message": "This person already takes part."}
    assert await invitation_emails(owner.user.email) == []
