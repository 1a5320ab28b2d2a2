"""Who sees an issue over GraphQL, on every path that leads to it: members of a private company,
its owner and participants, nobody once it is deleted; and only the categories the viewer may
see."""

import pytest

from issuetracker.clock import utcnow
from issuetracker.models import Company, Issue, IssueEvent, IssueParticipant, Membership
from issuetracker.resolvers.issues.writes import add_issue_event, delete_issue
from issuetracker.schema.relay import to_global_id

from ..support import Api, Person, error_codes, gid, make_category, make_company, make_issue
from .issue_helpers import (
    FILTERED_ISSUE_NAMES,
    ISSUE_BY_DATABASE_ID,
    ISSUE_BY_GUID,
    ISSUE_BY_ID,
    ISSUE_DETAILS,
    ISSUES,
    NODE,
    names,
)

CATEGORY_ISSUES = """
query ($id: ID!) { category(id: $id) { issues { nodes { name } totalCount } } }
"""

ISSUE_CATEGORIES = """
query ($id: ID!) { issue(id: $id) { categories { nodes { name } } } }
"""


# --- visibility ---------------------------------------------------------------------------------


@pytest.mark.parametrize("viewer", ["anonymous", "outsider"])
async def test_an_issue_in_a_private_company_is_hidden_on_every_path(
    api: Api,
    owner: Person,
    outsider: Person,
    anonymous: Person,
    private_company: Company,
    company: Company,
    viewer: str,
) -> None:
    # given an issue only in a private company's category, and a public one
    hidden_category = await make_category(owner, private_company, "Secret")
    hidden = await make_issue(owner, hidden_category, name="Hidden", tags=["secret"])
    await add_issue_event(owner.scope, hidden.id, "A secret note.")
    await make_issue(owner, await make_category(owner, company), name="Public")
    event_id = gid("IssueEvent", (await IssueEvent.filter(issue_id=hidden.id).order_by("id"))[0])
    person = {"anonymous": anonymous, "outsider": outsider}[viewer]

    # when someone without access looks for it in every way
    listed = await api.data(ISSUES, as_=person)
    searched = await api.data(ISSUES, {"filter": {"search": "Hidden"}}, as_=person)
    tagged = await api.data(ISSUES, {"filter": {"tag": "secret"}}, as_=person)
    by_company = await api.graphql(
        ISSUES, {"filter": {"companyIds": [gid("Company", private_company)]}}, as_=person
    )
    by_unknown_company = await api.graphql(
        ISSUES, {"filter": {"companyIds": [to_global_id("Company", 404)]}}, as_=person
    )
    by_category = await api.graphql(
        ISSUES, {"filter": {"categoryIds": [gid("Category", hidden_category)]}}, as_=person
    )
    by_unknown_category = await api.graphql(
        ISSUES, {"filter": {"categoryIds": [to_global_id("Category", 404)]}}, as_=person
    )
    lookups = [
        await api.graphql(ISSUE_BY_ID, {"id": gid("Issue", hidden)}, as_=person),
        await api.graphql(ISSUE_BY_DATABASE_ID, {"databaseId": hidden.id}, as_=person),
        await api.graphql(ISSUE_BY_GUID, {"guid": str(hidden.guid)}, as_=person),
        await api.graphql(NODE, {"id": gid("Issue", hidden)}, as_=person),
        await api.graphql(NODE, {"id": event_id}, as_=person),
        await api.graphql(CATEGORY_ISSUES, {"id": gid("Category", hidden_category)}, as_=person),
    ]

    # then it is in no list, a filter naming its company or category is refused as for a
    # missing one, and every lookup answers NOT_FOUND as for a missing issue
    assert names(listed) == ["Public"]
    assert listed["issues"]["totalCount"] == 1
    assert names(searched) == []
    assert names(tagged) == []
    assert error_codes(by_company) == ["BAD_USER_INPUT"]
    assert by_company["errors"][0]["message"] == "The selected company ids are invalid."
    assert by_company["errors"] == by_unknown_company["errors"]
    assert error_codes(by_category) == ["BAD_USER_INPUT"]
    assert by_category["errors"] == by_unknown_category["errors"]
    assert [error_codes(body) for body in lookups] == [["NOT_FOUND"]] * len(lookups)
    assert [body["errors"][0]["message"] for body in lookups] == [
        "Issue not found.",
        "Issue not found.",
        "Issue not found.",
        "Issue not found.",
        "Event not found.",
        "Category not found.",
    ]


@pytest.mark.parametrize("viewer", ["owner", "admin", "member"])
async def test_members_see_an_issue_of_a_private_company_on_every_path(
    api: Api, owner: Person, admin: Person, member: Person, private_company: Company, viewer: str
) -> None:
    # given an issue only in a private company's category
    category = await make_category(owner, private_company, "Secret")
    issue = await make_issue(owner, category, name="Hidden")
    person = {"owner": owner, "admin": admin, "member": member}[viewer]

    # when a member of the company looks for it
    listed = await api.data(ISSUES, as_=person)
    by_id = await api.data(ISSUE_BY_ID, {"id": gid("Issue", issue)}, as_=person)
    by_guid = await api.data(ISSUE_BY_GUID, {"guid": str(issue.guid)}, as_=person)
    node = await api.data(NODE, {"id": gid("Issue", issue)}, as_=person)
    in_category = await api.data(CATEGORY_ISSUES, {"id": gid("Category", category)}, as_=person)
    categories = await api.data(ISSUE_CATEGORIES, {"id": gid("Issue", issue)}, as_=person)

    # then every path shows it, with its category
    assert names(listed) == ["Hidden"]
    assert by_id["issue"]["name"] == "Hidden"
    assert by_guid["issue"]["name"] == "Hidden"
    assert node["node"]["name"] == "Hidden"
    assert in_category["category"]["issues"]["nodes"] == [{"name": "Hidden"}]
    assert categories["issue"]["categories"]["nodes"] == [{"name": "Secret"}]


async def test_an_issue_shows_only_the_categories_the_viewer_may_see(
    api: Api, owner: Person, outsider: Person, company: Company, private_company: Company
) -> None:
    # given an issue in a public and a private company's category
    public = await make_category(owner, company, "Public desk")
    secret = await make_category(owner, private_company, "Secret desk")
    issue = await make_issue(owner, public, secret, name="Shared")

    # when an outsider and a member of both look at it
    seen_by_outsider = await api.data(ISSUE_CATEGORIES, {"id": gid("Issue", issue)}, as_=outsider)
    seen_by_owner = await api.data(ISSUE_CATEGORIES, {"id": gid("Issue", issue)}, as_=owner)
    listed = await api.data(ISSUES, as_=outsider)

    # then the issue is visible to both, but the private category only to the member
    assert names(listed) == ["Shared"]
    assert seen_by_outsider["issue"]["categories"]["nodes"] == [{"name": "Public desk"}]
    assert seen_by_owner["issue"]["categories"]["nodes"] == [
        {"name": "Public desk"},
        {"name": "Secret desk"},
    ]


async def test_the_owner_keeps_seeing_an_issue_after_leaving_its_company(
    api: Api, member: Person, private_company: Company
) -> None:
    # given an issue a member created in a private company, which the member then left
    assert member.user is not None
    category = await make_category(member, private_company, "Secret")
    issue = await make_issue(member, category, name="Mine")
    await Membership.filter(user_id=member.user.id, company_id=private_company.id).delete()

    # when the former member looks for it
    listed = await api.data(ISSUES, as_=member)
    categories = await api.data(ISSUE_CATEGORIES, {"id": gid("Issue", issue)}, as_=member)
    in_category = await api.graphql(CATEGORY_ISSUES, {"id": gid("Category", category)}, as_=member)

    # then the issue is still theirs to see, but the private category is not
    assert names(listed) == ["Mine"]
    assert categories["issue"]["categories"]["nodes"] == []
    assert error_codes(in_category) == ["NOT_FOUND"]


async def test_a_participant_sees_an_issue_of_a_private_company(
    api: Api, owner: Person, outsider: Person, private_company: Company
) -> None:
    # given a hidden issue the outsider takes part in
    issue = await make_issue(owner, await make_category(owner, private_company), name="Hidden")
    await IssueParticipant.create(issue=issue, user=outsider.user)

    # when the outsider looks for it
    listed = await api.data(ISSUES, as_=outsider)
    by_id = await api.data(ISSUE_DETAILS, {"id": gid("Issue", issue)}, as_=outsider)
    node = await api.data(NODE, {"id": gid("Issue", issue)}, as_=outsider)

    # then it is visible, with both participants, but without the hidden category
    assert names(listed) == ["Hidden"]
    assert by_id["issue"]["participants"] == [{"name": "Olive Owner"}, {"name": "Otto Outsider"}]
    assert by_id["issue"]["categories"]["nodes"] == []
    assert node["node"]["name"] == "Hidden"


async def test_an_issue_without_categories_is_seen_by_its_owner_and_participants_only(
    api: Api, owner: Person, member: Person, outsider: Person, company: Company
) -> None:
    # given an issue without categories, owned by a member, with the outsider taking part
    issue = await make_issue(member, name="Kinetic style")
    await IssueParticipant.create(issue=issue, user=outsider.user)

    # when its owner, a participant, a colleague of the owner and anonymous look for it
    seen = {
        name: await api.graphql(ISSUE_BY_ID, {"id": gid("Issue", issue)}, as_=person)
        for name, person in (("member", member), ("outsider", outsider), ("owner", owner))
    }
    anonymous_listing = await api.data(ISSUES)
    colleague_listing = await api.data(ISSUES, as_=owner)

    # then only the owner and the participant see it
    assert seen["member"]["data"]["issue"]["name"] == "Kinetic style"
    assert seen["outsider"]["data"]["issue"]["name"] == "Kinetic style"
    assert error_codes(seen["owner"]) == ["NOT_FOUND"]
    assert names(anonymous_listing) == []
    assert names(colleague_listing) == []


async def test_a_deleted_issue_disappears_everywhere(
    api: Api, owner: Person, company: Company
) -> None:
    # given a deleted issue and a kept one in the same category
    category = await make_category(owner, company)
    deleted = await make_issue(owner, category, name="Deleted", tags=["gone"])
    await make_issue(owner, category, name="Kept")
    event_id = gid("IssueEvent", (await IssueEvent.filter(issue_id=deleted.id))[0])
    await delete_issue(owner.scope, deleted.id)

    # when even its owner looks for it
    listed = await api.data(ISSUES, as_=owner)
    tagged = await api.data(ISSUES, {"filter": {"tag": "gone"}}, as_=owner)
    in_category = await api.data(CATEGORY_ISSUES, {"id": gid("Category", category)}, as_=owner)
    lookups = [
        await api.graphql(ISSUE_BY_ID, {"id": gid("Issue", deleted)}, as_=owner),
        await api.graphql(ISSUE_BY_DATABASE_ID, {"databaseId": deleted.id}, as_=owner),
        await api.graphql(ISSUE_BY_GUID, {"guid": str(deleted.guid)}, as_=owner),
        await api.graphql(NODE, {"id": gid("Issue", deleted)}, as_=owner),
        await api.graphql(NODE, {"id": event_id}, as_=owner),
    ]

    # then it is in no list and not found, while nothing of it was erased
    assert names(listed) == ["Kept"]
    assert listed["issues"]["totalCount"] == 1
    assert names(tagged) == []
    assert in_category["category"]["issues"] == {"nodes": [{"name": "Kept"}], "totalCount": 1}
    assert [error_codes(body) for body in lookups] == [["NOT_FOUND"]] * len(lookups)
    assert await Issue.filter(id=deleted.id, deleted_at__isnull=False).exists()


async def test_deleted_issues_are_listed_only_to_the_people_taking_part(
    api: Api, owner: Person, member: Person, outsider: Person, anonymous: Person
) -> None:
    # given a deleted issue in a public company's category
    company = await make_company(owner, public=True)
    issue = await make_issue(owner, await make_category(owner, company), name="Old news")
    await Issue.filter(id=issue.id).update(deleted_at=utcnow())
    wanted = {"filter": {"deleted": True}}

    # when people ask for deleted issues
    seen = {
        person: (await api.data(FILTERED_ISSUE_NAMES, wanted, as_=person))["issues"]["nodes"]
        for person in (owner, outsider, anonymous)
    }

    # then only the owner, who takes part, sees it
    assert seen[owner] == [{"name": "Old news"}]
    assert seen[outsider] == []
    assert seen[anonymous] == []
