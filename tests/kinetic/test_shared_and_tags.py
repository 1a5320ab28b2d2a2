"""GET /api/v1/users/<guid>/shared_issues (the issues both the caller and that user take part in)
and GET /api/v1/tags (the tags on the caller's issues)."""

from dataclasses import dataclass

import pytest
from aiohttp.test_utils import TestClient

from issuetracker.models import Company, Invitation, Role
from issuetracker.resolvers.issues.participants import accept_invitation

from ..support import (
    Person,
    anonymous_scope,
    make_category,
    make_company,
    make_issue,
    make_person,
)
from .helpers import (
    ISSUE,
    PAGE_KEYS,
    SHARED,
    TAGS,
    UNAUTHENTICATED,
    UNKNOWN_GUID,
    create,
    delete,
    edit,
    get,
    names,
)


@dataclass
class Three:
    ann: Person
    bob: Person
    cat: Person


async def add_participant(client: TestClient, guid: str, by: Person, who: Person) -> None:
    """Invites `who` and accepts the invitation as the e-mail's link would."""
    assert who.user is not None
    await edit(client, guid, by, invitations=[who.user.email])
    invitation = await Invitation.get(email=who.user.email, issue__guid=guid)
    await accept_invitation(anonymous_scope(), invitation.id)


async def issue_among(client: TestClient, name: str, owner: Person, *others: Person) -> str:
    created = await create(client, owner, name=name)
    for other in others:
        await add_participant(client, created["guid"], owner, other)
    return created["guid"]


@pytest.fixture
async def three(client: TestClient) -> Three:
    """Ann, Bob and Cat, and one issue for each way they work together."""
    people = Three(await make_person("Ann"), await make_person("Bob"), await make_person("Cat"))
    await issue_among(client, "Ann and Bob", people.ann, people.bob)
    await issue_among(client, "Ann and Cat", people.ann, people.cat)
    await issue_among(client, "All three", people.cat, people.ann, people.bob)
    await issue_among(client, "Bob and Cat", people.bob, people.cat)
    await issue_among(client, "Ann alone", people.ann)
    return people


def guid_of(person: Person) -> str:
    assert person.user is not None
    return str(person.user.guid)


@pytest.mark.parametrize(
    ("caller", "other", "expected"),
    [
        ("ann", "bob", ["All three", "Ann and Bob"]),
        ("bob", "ann", ["All three", "Ann and Bob"]),
        ("ann", "cat", ["All three", "Ann and Cat"]),
        ("bob", "cat", ["Bob and Cat", "All three"]),
        ("ann", "ann", ["Ann alone", "All three", "Ann and Cat", "Ann and Bob"]),
    ],
)
async def test_shared_issues_are_those_both_take_part_in(
    client: TestClient, three: Three, caller: str, other: str, expected: list[str]
) -> None:
    reply = await get(
        client, SHARED.format(guid_of(getattr(three, other))), as_=getattr(three, caller)
    )

    assert reply.status == 200
    assert set(reply.body) == PAGE_KEYS
    assert names(reply) == expected
    assert reply.body["count"] == len(expected)


async def test_shared_issues_are_paged_and_leave_out_deleted_ones(
    client: TestClient, three: Three
) -> None:
    deleted = await issue_among(client, "Deleted", three.ann, three.bob)
    await delete(client, ISSUE.format(deleted), as_=three.ann)

    reply = await get(client, SHARED.format(guid_of(three.bob)) + "?limit=1&page=2", as_=three.ann)

    assert names(reply) == ["Ann and Bob"]
    assert (reply.body["count"], reply.body["limit"], reply.body["offset"]) == (2, 1, 1)


async def test_someone_without_shared_issues_gets_an_empty_array(
    client: TestClient, three: Three, outsider: Person
) -> None:
    # given the outsider works with Ann in a company, but on none of her issues
    await make_company(three.ann, members={outsider: Role.MEMBER})

    reply = await get(client, SHARED.format(guid_of(three.ann)), as_=outsider)

    assert reply.status == 200
    assert reply.body == {"count": 0, "limit": 25, "offset": 0, "issues": []}


async def test_a_user_who_shares_nothing_with_the_caller_is_not_found_as_an_unknown_one(
    client: TestClient, three: Three, outsider: Person
) -> None:
    # when an outsider, who shares no company and no issue with Ann, asks about her
    reply = await get(client, SHARED.format(guid_of(three.ann)), as_=outsider)
    unknown = await get(client, SHARED.format(UNKNOWN_GUID), as_=outsider)

    # then she is not found, as a user who does not exist
    assert (reply.status, reply.body) == (unknown.status, unknown.body)
    assert (reply.status, reply.body) == (404, {"success": False, "message": "User not found."})


@pytest.mark.parametrize(
    ("guid", "message"), [(UNKNOWN_GUID, "User not found."), ("71", "Not found.")]
)
async def test_an_unknown_user_is_not_found(
    client: TestClient, owner: Person, guid: str, message: str
) -> None:
    reply = await get(client, SHARED.format(guid), as_=owner)

    assert reply.status == 404
    assert reply.body == {"success": False, "message": message}


async def test_shared_issues_need_a_token(
    client: TestClient, owner: Person, anonymous: Person
) -> None:
    reply = await get(client, SHARED.format(guid_of(owner)), as_=anonymous)

    assert (reply.status, reply.body) == (401, UNAUTHENTICATED)


async def test_tags_are_those_on_the_callers_issues_by_name(
    client: TestClient, owner: Person, member: Person, company: Company
) -> None:
    assert owner.user is not None
    # given tags on the owner's issues, on an issue they share, on a deleted issue of theirs,
    # on the member's own issue and on a public issue the owner takes no part in
    await create(client, owner, tag_list=["printers", "network"])
    await create(client, member, tag_list=["shared"], owner_id=owner.user.id)
    await create(client, owner, tag_list=["network", "floor-2"])
    deleted = await create(client, owner, tag_list=["gone"])
    await delete(client, ISSUE.format(deleted["guid"]), as_=owner)
    await create(client, member, tag_list=["private"])
    await make_issue(member, await make_category(member, company), tags=["public"])

    reply = await get(client, TAGS, as_=owner)

    assert reply.status == 200
    assert reply.body == ["floor-2", "network", "printers", "shared"]


async def test_no_tags_is_an_empty_array(client: TestClient, owner: Person) -> None:
    await create(client, owner)

    reply = await get(client, TAGS, as_=owner)

    assert (reply.status, reply.body) == (200, [])


async def test_tags_need_a_token(client: TestClient, anonymous: Person) -> None:
    reply = await get(client, TAGS, as_=anonymous)

    assert (reply.status, reply.body) == (401, UNAUTHENTICATED)
