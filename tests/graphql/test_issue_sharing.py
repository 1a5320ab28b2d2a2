"""An issue's owner, webhook URL, external reference and part times over GraphQL; the viewer's
own issues, issues shared with another user, the viewer's tags, and deleted issues."""

import re
from datetime import datetime

from issuetracker.models import Company, Issue
from issuetracker.resolvers.issues.writes import close_issue, delete_issue
from issuetracker.schema.relay import to_global_id

from ..support import Api, Person, error_codes, gid, make_category, make_issue, make_person
from .collaboration_helpers import join, make_shared_issue

CREATE_ISSUE = """
mutation ($input: CreateIssueInput!) {
  createIssue(input: $input) {
    issue { id name owner { name } participants { name } webhookUrl externalReferenceId }
    errors { field message code }
  }
}
"""

UPDATE_ISSUE = """
mutation ($input: UpdateIssueInput!) {
  updateIssue(input: $input) {
    issue {
      owner { name } participants { name } webhookUrl externalReferenceId
      createdAt involvementsUpdatedAt
    }
    errors { field message code }
  }
}
"""

PART_TIMES = [
    "categoriesUpdatedAt",
    "messagesUpdatedAt",
    "unknownsUpdatedAt",
    "factsUpdatedAt",
    "actionItemsUpdatedAt",
    "uploadsUpdatedAt",
    "involvementsUpdatedAt",
]

ISSUE_FIELDS = f"""
query ($id: ID!) {{
  issue(id: $id) {{
    hashKey conferenceNumber deletedAt createdAt webhookUrl externalReferenceId
    {" ".join(PART_TIMES)}
  }}
}}
"""

ISSUES = """
query ($filter: IssueFilterInput) { issues(filter: $filter) { nodes { name } totalCount } }
"""

DELETED_ISSUES = """
query ($filter: IssueFilterInput) { issues(filter: $filter) { nodes { name deletedAt } } }
"""

ISSUE_INCLUDING_DELETED = """
query ($id: ID!, $includeDeleted: Boolean!) {
  issue(id: $id, includeDeleted: $includeDeleted) { name deletedAt }
}
"""

VIEWER_TAGS = """
query { viewer { tags } }
"""

HOOK_URL = "http://127.0.0.1:9/issue-hook"


def names(data: dict) -> list[str]:
    return [node["name"] for node in data["issues"]["nodes"]]


def moment(value: str) -> datetime:
    return datetime.fromisoformat(value)


async def create(api: Api, by: Person, **fields: object) -> dict:
    body = await api.graphql(CREATE_ISSUE, {"input": {"description": "", **fields}}, as_=by)
    return body["data"]["createIssue"]


# --- owners -------------------------------------------------------------------------------------


async def test_an_issue_created_for_another_owner_has_both_taking_part(
    api: Api, owner: Person, member: Person, company: Company
) -> None:
    # when the member creates an issue (without categories) naming the owner, whom they work
    # with, as its owner
    payload = await create(api, member, name="Badge reader", ownerId=owner.global_id)

    # then the owner owns it, and both take part
    assert payload["errors"] == []
    issue = payload["issue"]
    assert issue["owner"] == {"name": "Olive Owner"}
    assert sorted(p["name"] for p in issue["participants"]) == ["Mia Member", "Olive Owner"]

    # and it is among the new owner's issues too
    data = await api.data(ISSUES, {"filter": {"involvingMe": True}}, as_=owner)
    assert names(data) == ["Badge reader"]


async def test_the_owner_defaults_to_the_creator(api: Api, member: Person) -> None:
    payload = await create(api, member, name="Mine")

    assert payload["issue"]["owner"] == {"name": "Mia Member"}
    assert payload["issue"]["participants"] == [{"name": "Mia Member"}]


async def test_an_unknown_or_mistyped_owner_is_invalid_and_creates_nothing(
    api: Api, member: Person
) -> None:
    # when the owner is a user id no one has, then an id of something else
    unknown = await create(api, member, name="X", ownerId=to_global_id("User", 987654))
    mistyped = await create(api, member, name="X", ownerId=to_global_id("Issue", 1))

    # then each is a payload error, and no issue exists
    assert unknown == {
        "issue": None,
        "errors": [
            {"field": "ownerId", "message": "The selected owner id is invalid.", "code": "UNKNOWN"}
        ],
    }
    assert mistyped["errors"] == [
        {"field": "ownerId", "message": "The id is not of type User.", "code": "INVALID_ID"}
    ]
    assert await Issue.all().count() == 0


async def test_a_new_owner_takes_part_and_the_old_one_stays(
    api: Api, owner: Person, member: Person, company: Company
) -> None:
    # given an issue of the member's, who works with the owner
    issue = await make_issue(member, name="Handover")

    # when the member hands it over to the owner
    body = await api.graphql(
        UPDATE_ISSUE, {"input": {"id": gid("Issue", issue), "ownerId": owner.global_id}}, as_=member
    )

    # then the owner owns it, both take part, and the involvements time moved
    payload = body["data"]["updateIssue"]
    assert payload["errors"] == []
    changed = payload["issue"]
    assert changed["owner"] == {"name": "Olive Owner"}
    assert sorted(p["name"] for p in changed["participants"]) == ["Mia Member", "Olive Owner"]
    assert moment(changed["involvementsUpdatedAt"]) > moment(changed["createdAt"])


async def test_a_closed_issue_keeps_its_owner(api: Api, owner: Person, member: Person) -> None:
    issue = await make_issue(member)
    await close_issue(member.scope, issue.id, "Done.")

    body = await api.graphql(
        UPDATE_ISSUE, {"input": {"id": gid("Issue", issue), "ownerId": owner.global_id}}, as_=member
    )

    assert body["data"]["updateIssue"] == {
        "issue": None,
        "errors": [{"field": None, "message": "The issue is closed.", "code": "ISSUE_CLOSED"}],
    }
    assert (await Issue.get(id=issue.id)).owner_id == issue.owner_id


# --- webhook URL, external reference, and the Kinetic fields ------------------------------------


async def test_webhook_url_and_external_reference_are_kept_and_can_be_removed(
    api: Api, member: Person
) -> None:
    # given an issue created with a webhook URL and an external reference
    created = await create(
        api, member, name="Linked", webhookUrl=HOOK_URL, externalReferenceId=" CRM-42 "
    )
    assert created["errors"] == []
    assert created["issue"]["webhookUrl"] == HOOK_URL
    assert created["issue"]["externalReferenceId"] == "CRM-42"

    # when both are set blank
    body = await api.graphql(
        UPDATE_ISSUE,
        {"input": {"id": created["issue"]["id"], "webhookUrl": " ", "externalReferenceId": ""}},
        as_=member,
    )

    # then both are gone
    changed = body["data"]["updateIssue"]["issue"]
    assert (changed["webhookUrl"], changed["externalReferenceId"]) == (None, None)


async def test_a_webhook_url_into_a_private_network_is_refused(api: Api, member: Person) -> None:
    payload = await create(api, member, name="Sneaky", webhookUrl="http://10.1.2.3/hook")

    assert payload["issue"] is None
    [error] = payload["errors"]
    assert (error["field"], error["code"]) == ("webhookUrl", "UNSAFE_URL")
    assert await Issue.all().count() == 0


async def test_the_webhook_url_is_shown_only_to_those_taking_part(
    api: Api, owner: Person, member: Person, company: Company
) -> None:
    # given an issue with a webhook URL in a public category, created by the owner
    category = await make_category(owner, company)
    created = await create(
        api, owner, name="Hooked", webhookUrl=HOOK_URL, categoryIds=[gid("Category", category)]
    )
    variables = {"id": created["issue"]["id"]}

    # when the owner, a member who does not take part, and anonymous read it
    as_owner = await api.data(ISSUE_FIELDS, variables, as_=owner)
    as_member = await api.data(ISSUE_FIELDS, variables, as_=member)
    as_anonymous = await api.data(ISSUE_FIELDS, variables)

    # then only the owner sees the URL (it may carry a secret)
    assert as_owner["issue"]["webhookUrl"] == HOOK_URL
    assert as_member["issue"]["webhookUrl"] is None
    assert as_anonymous["issue"]["webhookUrl"] is None


async def test_a_new_issue_has_a_hash_key_and_all_part_times_at_its_creation(
    api: Api, member: Person
) -> None:
    # given a new issue, and an older one whose facts time was never set
    issue = await make_issue(member)
    older = await make_issue(member)
    await Issue.filter(id=older.id).update(facts_updated_at=None)

    # when both are read
    fresh = (await api.data(ISSUE_FIELDS, {"id": gid("Issue", issue)}, as_=member))["issue"]
    legacy = (await api.data(ISSUE_FIELDS, {"id": gid("Issue", older)}, as_=member))["issue"]

    # then the new one has a hash key, no conference number, and one time for every part
    assert re.fullmatch(r"[0-9a-f]{40}", fresh["hashKey"])
    assert fresh["conferenceNumber"] is None
    assert fresh["deletedAt"] is None
    times = {moment(fresh[name]) for name in PART_TIMES}
    assert len(times) == 1
    assert abs((times.pop() - moment(fresh["createdAt"])).total_seconds()) < 5
    # and a part time never set reads as the issue's creation
    assert legacy["factsUpdatedAt"] == legacy["createdAt"]


# --- the viewer's issues, shared issues and tags ------------------------------------------------


async def test_involving_me_lists_only_the_issues_the_viewer_takes_part_in(
    api: Api, owner: Person, member: Person, company: Company
) -> None:
    # given a public issue of the owner's, one the member joined, and one of the member's own
    category = await make_category(owner, company)
    await make_issue(owner, category, name="Public, not mine")
    await make_shared_issue(owner, member, name="Joined")
    await make_issue(member, name="My own")

    # when the member lists everything visible, then only their own
    everything = await api.data(ISSUES, as_=member)
    mine = await api.data(ISSUES, {"filter": {"involvingMe": True}}, as_=member)

    # then the public issue is only in the first list
    assert names(everything) == ["My own", "Joined", "Public, not mine"]
    assert names(mine) == ["My own", "Joined"]


async def test_anonymous_has_no_issues_of_their_own(api: Api) -> None:
    body = await api.graphql(ISSUES, {"filter": {"involvingMe": True}})

    assert error_codes(body) == ["UNAUTHENTICATED"]


async def test_shared_issues_between_three_people(
    api: Api, owner: Person, admin: Person, member: Person, company: Company
) -> None:
    # given Olive, Adam and Mia taking part in issues in every combination, and a public issue
    # of Adam's that Olive can see but does not take part in
    await make_shared_issue(owner, admin, name="Olive and Adam")
    await make_shared_issue(owner, member, name="Olive and Mia")
    await make_shared_issue(owner, admin, member, name="All three")
    await make_shared_issue(admin, member, name="Adam and Mia")
    await make_issue(admin, await make_category(owner, company), name="Adam's public issue")

    async def shared(viewer: Person, other: Person) -> list[str]:
        wanted = {"filter": {"sharedWithUserId": other.global_id}}
        return names(await api.data(ISSUES, wanted, as_=viewer))

    # then each pair shares exactly the issues both take part in, whichever of them asks
    assert await shared(owner, admin) == ["All three", "Olive and Adam"]
    assert await shared(admin, owner) == ["All three", "Olive and Adam"]
    assert await shared(owner, member) == ["All three", "Olive and Mia"]
    assert await shared(admin, member) == ["Adam and Mia", "All three"]
    assert await shared(member, admin) == ["Adam and Mia", "All three"]


async def test_shared_issues_with_someone_unknown_are_none(api: Api, owner: Person) -> None:
    await make_issue(owner, name="Alone")
    wanted = {"filter": {"sharedWithUserId": to_global_id("User", 987654)}}

    assert names(await api.data(ISSUES, wanted, as_=owner)) == []


async def test_shared_issues_need_a_user_id_and_a_signed_in_viewer(api: Api, owner: Person) -> None:
    mistyped = await api.graphql(
        ISSUES, {"filter": {"sharedWithUserId": to_global_id("Issue", 1)}}, as_=owner
    )
    anonymous = await api.graphql(ISSUES, {"filter": {"sharedWithUserId": owner.global_id}})

    assert error_codes(mistyped) == ["BAD_USER_INPUT"]
    assert mistyped["errors"][0]["extensions"]["errors"] == [
        {"field": "sharedWithUserId", "message": "The id is not of type User."}
    ]
    assert error_codes(anonymous) == ["UNAUTHENTICATED"]


async def test_the_viewers_tags_are_those_of_the_issues_they_take_part_in(
    api: Api, owner: Person, member: Person, company: Company
) -> None:
    # given tagged issues the member takes part in, one of them deleted, and a public tagged
    # issue the member only sees
    await make_issue(member, tags=["printer", "urgent"])
    shared = await make_issue(owner, tags=["network", "Urgent"])
    await join(shared, owner, member)
    gone = await make_issue(member, tags=["obsolete"])
    await delete_issue(member.scope, gone.id)
    await make_issue(owner, await make_category(owner, company), tags=["elsewhere"])

    # when the member asks for their tags, and someone with no issues does
    tags = (await api.data(VIEWER_TAGS, as_=member))["viewer"]["tags"]
    newcomer = await make_person("Nina Newcomer")
    none = (await api.data(VIEWER_TAGS, as_=newcomer))["viewer"]["tags"]

    # then each tag of the member's live issues comes once, by name
    assert tags == ["network", "printer", "urgent"]
    assert none == []


# --- deleted issues -----------------------------------------------------------------------------


async def test_deleted_issues_are_listed_only_when_asked_for(
    api: Api, owner: Person, outsider: Person
) -> None:
    # given two issues of the owner's, one of them deleted
    await make_issue(owner, name="Kept")
    deleted = await make_issue(owner, name="Deleted")
    await delete_issue(owner.scope, deleted.id)

    # when the owner lists issues, then deleted ones; and an outsider lists deleted ones
    live = await api.data(DELETED_ISSUES, as_=owner)
    gone = await api.data(DELETED_ISSUES, {"filter": {"deleted": True}}, as_=owner)
    outsiders = await api.data(DELETED_ISSUES, {"filter": {"deleted": True}}, as_=outsider)

    # then each list has its own, with the deletion time; the outsider sees neither
    assert [node["name"] for node in live["issues"]["nodes"]] == ["Kept"]
    assert live["issues"]["nodes"][0]["deletedAt"] is None
    [node] = gone["issues"]["nodes"]
    assert node["name"] == "Deleted"
    assert node["deletedAt"] is not None
    assert outsiders["issues"]["nodes"] == []


async def test_a_deleted_issue_is_found_only_when_asked_for(
    api: Api, owner: Person, outsider: Person
) -> None:
    issue = await make_issue(owner, name="Deleted")
    await delete_issue(owner.scope, issue.id)
    variables = {"id": gid("Issue", issue)}

    hidden = await api.graphql(
        ISSUE_INCLUDING_DELETED, {**variables, "includeDeleted": False}, as_=owner
    )
    found = await api.data(
        ISSUE_INCLUDING_DELETED, {**variables, "includeDeleted": True}, as_=owner
    )
    outsiders = await api.graphql(
        ISSUE_INCLUDING_DELETED, {**variables, "includeDeleted": True}, as_=outsider
    )

    assert error_codes(hidden) == ["NOT_FOUND"]
    assert found["issue"]["name"] == "Deleted"
    assert found["issue"]["deletedAt"] is not None
    assert error_codes(outsiders) == ["NOT_FOUND"]
