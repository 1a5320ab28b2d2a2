"""Live updates over WebSockets (graphql-transport-ws at /graphql), with a real client: what
a subscriber hears, checked when it subscribes and again at every change."""

import asyncio

import pytest
from aiohttp.test_utils import TestClient
from gql.transport.exceptions import TransportQueryError
from pytest_aiohttp import AiohttpClient
from tortoise.transactions import in_transaction

from issuetracker.clock import utcnow
from issuetracker.models import ChangeKind, Company
from issuetracker.resolvers.live.changes import announce
from issuetracker.schema.relay import to_global_id
from issuetracker.server import create_app
from issuetracker.settings import Settings

from ..support import Api, Person, gid, make_category, make_issue
from .live import (
    Subscribed,
    closed_with,
    live_session,
    raw_socket,
    subscribe_raw,
    until_listening,
)

EVENTS = """subscription ($issueId: ID!, $after: ID) {
  issueEvents(issueId: $issueId, afterEventId: $after) { id kind description }
}"""
CHANGES = """subscription ($filter: IssueChangeFilter) {
  issueChanges(filter: $filter) { kind issue { name status } }
}"""
ADD_EVENT = """mutation ($input: AddIssueEventInput!) {
  addIssueEvent(input: $input) { event { id } errors { code } }
}"""
CLOSE = """mutation ($input: CloseIssueInput!) {
  closeIssue(input: $input) { issue { id } errors { code } }
}"""
CREATE = """mutation ($input: CreateIssueInput!) {
  createIssue(input: $input) { issue { id } errors { code } }
}"""
DELETE = "mutation ($input: DeleteIssueInput!) { deleteIssue(input: $input) { issue { id } } }"
REMOVE_MEMBER = """mutation ($input: RemoveCompanyMemberInput!) {
  removeCompanyMember(input: $input) { errors { code } }
}"""
REVOKE = (
    "mutation ($input: RevokeApiTokenInput!) { revokeApiToken(input: $input) { errors { code } } }"
)
VIEWER_TOKENS = "{ viewer { apiTokens { id } } }"


async def add_event(api: Api, person: Person, issue_id: str, text: str) -> str:
    data = await api.data(
        ADD_EVENT, {"input": {"issueId": issue_id, "description": text}}, as_=person
    )
    return str(data["addIssueEvent"]["event"]["id"])


async def test_a_subscriber_hears_each_event_of_an_issue_as_it_commits(
    client: TestClient, api: Api, owner: Person, member: Person, company: Company
) -> None:
    # given a member following the events of an issue
    issue = await make_issue(owner, await make_category(owner, company))
    async with live_session(client, member) as session:
        events = Subscribed(session, EVENTS, {"issueId": gid("Issue", issue)})
        first = asyncio.create_task(events.next())
        await until_listening(client)

        # when the owner adds a note and then closes the issue
        await add_event(api, owner, gid("Issue", issue), "Looking into it.")
        noted = await first
        await api.data(
            CLOSE, {"input": {"id": gid("Issue", issue), "description": "Fixed."}}, as_=owner
        )
        closed = await events.next()

    # then the member heard both, in order, as events of the timeline
    assert noted["issueEvents"]["kind"] == "NOTE"
    assert noted["issueEvents"]["description"] == "Looking into it."
    assert closed["issueEvents"]["kind"] == "CLOSED"
    assert closed["issueEvents"]["description"] == "Fixed."


async def test_a_hidden_or_missing_issue_is_not_found_when_subscribing(
    client: TestClient, owner: Person, outsider: Person, private_company: Company
) -> None:
    # given an issue of a private company
    hidden = await make_issue(owner, await make_category(owner, private_company))

    # when an outsider, and anonymous, subscribe to it and to an issue that does not exist
    refusals = []
    for person in (outsider, None):
        for issue_id in (gid("Issue", hidden), to_global_id("Issue", 999)):
            async with live_session(client, person) as session:
                with pytest.raises(TransportQueryError) as refused:
                    await Subscribed(session, EVENTS, {"issueId": issue_id}).next()
                refusals.append(refused.value.errors)

    # then each is refused alike, as not found, and nothing of the issue is told
    assert all(errors and errors[0]["extensions"]["code"] == "NOT_FOUND" for errors in refusals)
    assert len({str(errors) for errors in refusals}) == 1


async def test_anonymous_subscribers_follow_public_issues(
    client: TestClient, api: Api, owner: Person, company: Company
) -> None:
    # given anonymous listening to every change it may see
    category = await make_category(owner, company)
    async with live_session(client, None) as session:
        changes = Subscribed(session, CHANGES, {})
        first = asyncio.create_task(changes.next())
        await until_listening(client)

        # when an issue of a public company is created
        draft = {
            "name": "Printers down",
            "description": "Floor 2.",
            "categoryIds": [gid("Category", category)],
        }
        await api.data(CREATE, {"input": draft}, as_=owner)

        # then anonymous hears of it
        created = await first
    assert created["issueChanges"] == {
        "kind": "CREATED",
        "issue": {"name": "Printers down", "status": "OPEN"},
    }


async def test_changes_are_narrowed_to_what_the_filter_and_the_rights_allow(
    client: TestClient,
    api: Api,
    owner: Person,
    outsider: Person,
    company: Company,
    private_company: Company,
) -> None:
    # given an outsider following the changes of one public company
    public_category = await make_category(owner, company)
    private_category = await make_category(owner, private_company)
    async with live_session(client, outsider) as session:
        changes = Subscribed(
            session, CHANGES, {"filter": {"companyIds": [gid("Company", company)]}}
        )
        first = asyncio.create_task(changes.next())
        await until_listening(client)

        # when issues are made in the private company, then in the public one, which is then
        # closed and deleted
        hidden = {
            "name": "Hidden",
            "description": "-",
            "categoryIds": [gid("Category", private_category)],
        }
        await api.data(CREATE, {"input": hidden}, as_=owner)
        shown = {
            "name": "Shown",
            "description": "-",
            "categoryIds": [gid("Category", public_category)],
        }
        made = await api.data(CREATE, {"input": shown}, as_=owner)
        issue_id = made["createIssue"]["issue"]["id"]
        await api.data(CLOSE, {"input": {"id": issue_id, "description": "Done."}}, as_=owner)
        heard = [await first, await changes.next()]

    # then only the public issue's changes were heard
    assert [change["issueChanges"]["kind"] for change in heard] == ["CREATED", "CLOSED"]
    assert {change["issueChanges"]["issue"]["name"] for change in heard} == {"Shown"}


async def test_a_deleted_issue_is_announced_as_deleted(
    client: TestClient, api: Api, owner: Person, company: Company
) -> None:
    issue = await make_issue(owner, await make_category(owner, company))
    async with live_session(client, owner) as session:
        changes = Subscribed(session, CHANGES, {"filter": {"involvingMe": True}})
        first = asyncio.create_task(changes.next())
        await until_listening(client)

        await api.data(DELETE, {"input": {"id": gid("Issue", issue)}}, as_=owner)

        assert (await first)["issueChanges"]["kind"] == "DELETED"


async def test_someone_removed_from_a_company_stops_hearing_at_once(
    client: TestClient,
    api: Api,
    owner: Person,
    member: Person,
    private_company: Company,
) -> None:
    # given a member and the owner following a private company's issues
    issue = await make_issue(owner, await make_category(owner, private_company))
    async with live_session(client, member) as members, live_session(client, owner) as owners:
        heard_by_member = Subscribed(members, EVENTS, {"issueId": gid("Issue", issue)})
        heard_by_owner = Subscribed(owners, EVENTS, {"issueId": gid("Issue", issue)})
        member_waits = asyncio.create_task(heard_by_member.nothing_within(2.0))
        owner_waits = asyncio.create_task(heard_by_owner.next())
        await until_listening(client, 2)

        # when the member is removed, and then a note is added
        assert member.user is not None
        removal = {"companyId": gid("Company", private_company), "userId": gid("User", member.user)}
        await api.data(REMOVE_MEMBER, {"input": removal}, as_=owner)
        await add_event(api, owner, gid("Issue", issue), "Only for members.")

        # then the owner hears it and the removed member does not
        assert (await owner_waits)["issueEvents"]["description"] == "Only for members."
        assert await member_waits


async def test_a_revoked_token_closes_the_connection_at_the_next_change(
    client: TestClient, api: Api, owner: Person, member: Person, company: Company
) -> None:
    # given a member subscribed with the token sent in connection_init
    issue = await make_issue(owner, await make_category(owner, company))
    async with raw_socket(client, member) as socket:
        await subscribe_raw(socket, 1, EVENTS, {"issueId": gid("Issue", issue)})
        await until_listening(client)

        # when the member revokes that token, and a note is added
        tokens = await api.data(VIEWER_TOKENS, as_=member)
        token_id = tokens["viewer"]["apiTokens"][0]["id"]
        await api.data(REVOKE, {"input": {"id": token_id}}, as_=member)
        await add_event(api, owner, gid("Issue", issue), "Anyone there?")

        # then the connection is closed as forbidden
        code, reason = await closed_with(socket)
    assert code == 4403
    assert "revoked" in reason


async def test_a_reconnecting_client_first_receives_what_it_missed(
    client: TestClient, api: Api, owner: Person, company: Company
) -> None:
    # given three notes, of which a client saw the first
    issue = await make_issue(owner, await make_category(owner, company))
    issue_id = gid("Issue", issue)
    seen = await add_event(api, owner, issue_id, "One")
    await add_event(api, owner, issue_id, "Two")
    await add_event(api, owner, issue_id, "Three")

    # when it subscribes again after the one it saw
    async with live_session(client, owner) as session:
        events = Subscribed(session, EVENTS, {"issueId": issue_id, "after": seen})
        missed = [await events.next(), await events.next()]

    # then the two it missed come first
    assert [event["issueEvents"]["description"] for event in missed] == ["Two", "Three"]


async def test_queries_and_mutations_over_the_socket_are_refused(
    client: TestClient, owner: Person
) -> None:
    async with raw_socket(client, owner) as socket:
        await subscribe_raw(socket, 1, "{ viewer { name } }", {})
        answer = await socket.receive_json(timeout=10)

    assert answer["type"] == "error"
    assert answer["payload"][0]["extensions"]["code"] == "BAD_REQUEST"
    assert "over HTTP" in answer["payload"][0]["message"]


async def test_a_bad_token_in_connection_init_is_refused(client: TestClient) -> None:
    async with client.session.ws_connect(
        client.make_url("/graphql"), protocols=["graphql-transport-ws"]
    ) as socket:
        payload = {"authorization": "Bearer itk_not-a-token"}
        await socket.send_json({"type": "connection_init", "payload": payload})
        code, _ = await closed_with(socket)

    assert code == 4403


@pytest.fixture
def settings(settings: Settings) -> Settings:
    return settings.model_copy(
        update={
            "subscriptions_per_connection": 2,
            "live_connections_per_user": 2,
            "live_queue_size": 3,
        }
    )


async def test_subscriptions_per_connection_are_limited(
    client: TestClient, owner: Person, company: Company
) -> None:
    issue = await make_issue(owner, await make_category(owner, company))
    async with raw_socket(client, owner) as socket:
        for number in (1, 2, 3):
            await subscribe_raw(socket, number, EVENTS, {"issueId": gid("Issue", issue)})
        answer = await socket.receive_json(timeout=10)

    assert answer == {
        "id": "3",
        "type": "error",
        "payload": [{"message": "Subscription limit reached"}],
    }


async def test_connections_per_user_are_limited(client: TestClient, owner: Person) -> None:
    async with (
        raw_socket(client, owner),
        raw_socket(client, owner),
        client.session.ws_connect(
            client.make_url("/graphql"), protocols=["graphql-transport-ws"]
        ) as third,
    ):
        await third.send_json(
            {"type": "connection_init", "payload": {"authorization": f"Bearer {owner.token}"}}
        )
        code, reason = await closed_with(third)

    assert code == 4429
    assert "Too many" in reason


LONG_CHANGES = "subscription { issueChanges { issue { description } } }"
SLOW_CHANGES = 300


async def test_a_reader_too_slow_is_disconnected_and_holds_up_no_one(
    client: TestClient, owner: Person, company: Company
) -> None:
    # given two subscribers to every change of an issue with a long description: one reads,
    # the other takes nothing from its connection
    issue = await make_issue(owner, await make_category(owner, company), description="x" * 20_000)
    async with raw_socket(client, owner) as reader, raw_socket(client, owner) as idle:
        for subscriber in (reader, idle):
            await subscribe_raw(subscriber, 1, LONG_CHANGES, {})
        await until_listening(client, 2)
        idle_connection = idle._response.connection
        assert idle_connection is not None
        idle_connection.transport.pause_reading()  # type: ignore[union-attr]

        # when many changes commit at once, far more than the idle one's queue holds (3 here)
        async with in_transaction():
            for _ in range(SLOW_CHANGES):
                await announce(utcnow(), issue.id, ChangeKind.UPDATED, None)

        # then the reader hears every one, while the idle one is disconnected, saying why
        heard = [await reader.receive_json(timeout=10) for _ in range(SLOW_CHANGES)]
        idle_connection.transport.resume_reading()  # type: ignore[union-attr]
        code, reason = await closed_with(idle)
    assert {message["type"] for message in heard} == {"next"}
    assert code == 4429
    assert "faster than they were read" in reason


async def test_a_change_through_one_process_reaches_a_subscriber_of_another(
    aiohttp_client: AiohttpClient,
    database: None,
    settings: Settings,
    owner: Person,
    company: Company,
) -> None:
    """Two apps on one database stand for two server processes: each has its own feed (and on
    PostgreSQL its own LISTEN connection)."""
    subscribed_to = await aiohttp_client(create_app(settings, manage_database=False))
    changed_through = await aiohttp_client(create_app(settings, manage_database=False))
    issue = await make_issue(owner, await make_category(owner, company))

    async with live_session(subscribed_to, owner) as session:
        events = Subscribed(session, EVENTS, {"issueId": gid("Issue", issue)})
        first = asyncio.create_task(events.next())
        await until_listening(subscribed_to)
        await add_event(Api(changed_through), owner, gid("Issue", issue), "From elsewhere.")

        assert (await first)["issueEvents"]["description"] == "From elsewhere."
