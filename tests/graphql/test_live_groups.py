"""Subscriptions answered in groups: subscribers of one document share a statement a change,
yet each hears exactly what its rights allow, in commit order, each change once, and only what
committed after it started."""

import asyncio
import contextlib
from typing import Any

import aiohttp
import pytest
from aiohttp.test_utils import TestClient
from tortoise.transactions import in_transaction

from issuetracker.clock import utcnow
from issuetracker.models import ChangeKind, Company
from issuetracker.resolvers.live.changes import announce
from issuetracker.settings import Settings

from ..sql_counter import count_sql
from ..support import Api, Person, gid, make_category, make_issue
from .live import raw_socket, subscribe_raw, until_listening
from .upload_helpers import uploaded

WAIT = 10.0
EVENTS_WITH_AUTHORS = """subscription ($id: ID!) {
  issueEvents(issueId: $id) { description author { name email } }
}"""
CHANGES = """subscription ($filter: IssueChangeFilter) {
  issueChanges(filter: $filter) { kind issue { name } }
}"""
ADD_EVENT = """mutation ($input: AddIssueEventInput!) {
  addIssueEvent(input: $input) { event { id } }
}"""
CREATE = """mutation ($input: CreateIssueInput!) {
  createIssue(input: $input) { issue { id } }
}"""


async def add_event(api: Api, person: Person, issue_id: str, text: str) -> None:
    await api.data(ADD_EVENT, {"input": {"issueId": issue_id, "description": text}}, as_=person)


async def next_data(socket: aiohttp.ClientWebSocketResponse) -> dict[str, Any]:
    message = await socket.receive_json(timeout=WAIT)
    assert message["type"] == "next", message
    data: dict[str, Any] = message["payload"]["data"]
    return data


async def nothing_more(socket: aiohttp.ClientWebSocketResponse) -> bool:
    """Whether the socket has nothing waiting, after a ping comes back: the server handled
    everything sent before it."""
    await socket.send_json({"type": "ping"})
    while True:
        message = await socket.receive_json(timeout=WAIT)
        if message["type"] == "pong":
            return True
        if message["type"] == "next":
            return False


async def test_viewers_of_one_document_hear_what_each_may_see(
    client: TestClient, api: Api, owner: Person, member: Person, company: Company
) -> None:
    # given the owner and a member subscribed to one document asking for authors' addresses
    issue_id = gid("Issue", await make_issue(owner, await make_category(owner, company)))
    async with raw_socket(client, owner) as owners, raw_socket(client, member) as members:
        for socket in (owners, members):
            await subscribe_raw(socket, 1, EVENTS_WITH_AUTHORS, {"id": issue_id})
        await until_listening(client, 2)

        # when the owner adds a note
        await add_event(api, owner, issue_id, "Looking into it.")

        # then each hears it, the owner with their own address, the member without it
        heard_by_owner, heard_by_member = await next_data(owners), await next_data(members)
    assert owner.user is not None
    assert heard_by_owner["issueEvents"]["author"] == {
        "name": "Olive Owner",
        "email": owner.user.email,
    }
    assert heard_by_member["issueEvents"]["author"] == {"name": "Olive Owner", "email": None}


async def test_each_subscriber_hears_exactly_what_its_rights_and_filter_allow(
    client: TestClient,
    api: Api,
    owner: Person,
    member: Person,
    outsider: Person,
    company: Company,
    private_company: Company,
) -> None:
    # given issues in a public and a private company, and subscribers of every change: the
    # owner, a member of both, an outsider, anonymous, and the member narrowed to one company
    public = await make_category(owner, company)
    private = await make_category(owner, private_company)
    narrowed = {"filter": {"companyIds": [gid("Company", private_company)]}}
    async with (
        raw_socket(client, owner) as owners,
        raw_socket(client, member) as members,
        raw_socket(client, outsider) as outsiders,
        raw_socket(client, None) as anonymous,
        raw_socket(client, member) as members_narrowed,
    ):
        everything = (owners, members, outsiders, anonymous)
        for socket in everything:
            await subscribe_raw(socket, 1, CHANGES, {})
        await subscribe_raw(members_narrowed, 1, CHANGES, narrowed)
        await until_listening(client, 5)

        # when one issue is created in each
        for name, category in (("Public one", public), ("Private one", private)):
            draft = {"name": name, "description": "-", "categoryIds": [gid("Category", category)]}
            await api.data(CREATE, {"input": draft}, as_=owner)

        # then each heard the issues it may see, and nothing else
        heard = {
            who: [(await next_data(socket))["issueChanges"]["issue"]["name"] for _ in range(count)]
            for who, socket, count in (
                ("owner", owners, 2),
                ("member", members, 2),
                ("outsider", outsiders, 1),
                ("anonymous", anonymous, 1),
                ("narrowed", members_narrowed, 1),
            )
        }
        quiet = [await nothing_more(socket) for socket in (*everything, members_narrowed)]
    assert heard == {
        "owner": ["Public one", "Private one"],
        "member": ["Public one", "Private one"],
        "outsider": ["Public one"],
        "anonymous": ["Public one"],
        "narrowed": ["Private one"],
    }
    assert all(quiet)


async def test_changes_arrive_in_commit_order_each_once(
    client: TestClient, api: Api, owner: Person, company: Company
) -> None:
    # given a subscriber of an issue's events
    issue_id = gid("Issue", await make_issue(owner, await make_category(owner, company)))
    async with raw_socket(client, None) as socket:
        await subscribe_raw(socket, 1, EVENTS_WITH_AUTHORS, {"id": issue_id})
        await until_listening(client)

        # when twenty notes are added one after another
        for number in range(20):
            await add_event(api, owner, issue_id, f"Note {number}")

        # then it hears the twenty, in the order they were added, and nothing more
        heard = [(await next_data(socket))["issueEvents"]["description"] for _ in range(20)]
        assert await nothing_more(socket)
    assert heard == [f"Note {number}" for number in range(20)]


async def test_a_subscriber_hears_only_what_commits_after_it_started(
    client: TestClient, api: Api, owner: Person, company: Company
) -> None:
    # given an issue created (and so announced) just before anyone subscribes
    category = await make_category(owner, company)
    draft = {"name": "Just made", "description": "-", "categoryIds": [gid("Category", category)]}
    created = await api.data(CREATE, {"input": draft}, as_=owner)
    issue_id = created["createIssue"]["issue"]["id"]

    # when a subscriber starts, and a note is added afterwards
    async with raw_socket(client, owner) as socket:
        await subscribe_raw(socket, 1, CHANGES, {})
        await until_listening(client)
        await add_event(api, owner, issue_id, "Later.")

        # then the first it hears is the note, not the creation
        first = await next_data(socket)
    assert first["issueChanges"]["kind"] == "UPDATED"


@pytest.fixture
def settings(settings: Settings) -> Settings:
    return settings.model_copy(update={"live_connections_per_address": 50})


async def test_a_group_is_answered_by_one_statement_a_change(
    client: TestClient, owner: Person, company: Company
) -> None:
    # given thirty anonymous subscribers of one public issue's changes
    issue = await make_issue(owner, await make_category(owner, company))
    async with contextlib.AsyncExitStack() as stack:
        opened = [await stack.enter_async_context(raw_socket(client, None)) for _ in range(30)]
        for socket in opened:
            await subscribe_raw(socket, 1, CHANGES, {})
        await until_listening(client, 30)

        # when a change commits (counting from its commit on: no other task runs before)
        async with in_transaction():
            await announce(utcnow(), issue.id, ChangeKind.UPDATED, None)
        with count_sql() as statements:
            heard = await asyncio.gather(*(next_data(socket) for socket in opened))

    # then all heard it, from one statement for the thirty (the feed's read aside)
    assert {data["issueChanges"]["kind"] for data in heard} == {"UPDATED"}
    answering = [sql for sql in statements if "live_changes" not in sql]
    assert len(answering) == 1, answering


UPLOAD_LINKS = """subscription {
  issueChanges { kind issue { name uploads { nodes { fileName downloadUrl } } } }
}"""


async def test_what_the_compiled_path_leaves_is_answered_by_the_executor(
    client: TestClient, api: Api, owner: Person, member: Person, outsider: Person, company: Company
) -> None:
    # given subscribers asking for uploads' signed links, which only the executor writes
    issue = await make_issue(owner, await make_category(owner, company))
    await uploaded(client, issue, b"report", owner, name="report.txt")
    async with raw_socket(client, member) as members, raw_socket(client, outsider) as outsiders:
        for socket in (members, outsiders):
            await subscribe_raw(socket, 1, UPLOAD_LINKS, {})
        await until_listening(client, 2)

        # when a note is added
        await add_event(api, owner, gid("Issue", issue), "See the report.")

        # then each hears the change with the upload's signed link, as a query would show it
        heard = [await next_data(socket) for socket in (members, outsiders)]
    query = (
        "query ($id: ID!) { issue(id: $id) { name uploads { nodes { fileName downloadUrl } } } }"
    )
    asked = await api.data(query, {"id": gid("Issue", issue)}, as_=member)
    for data in heard:
        assert data["issueChanges"] == {"kind": "UPDATED", "issue": asked["issue"]}
