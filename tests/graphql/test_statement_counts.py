"""A nested query's SQL statement count does not grow with the page size."""

import io
from pathlib import Path

from issuetracker.models import Company, Role
from issuetracker.resolvers.companies.invitations import invite_company_member
from issuetracker.resolvers.issues.participants import accept_invitation, invite_to_issue
from issuetracker.resolvers.issues.parts import PartChanges, add_action_item, add_fact
from issuetracker.resolvers.issues.uploads import ReceivedFile, UploadStore, add_upload
from issuetracker.resolvers.issues.writes import add_issue_event, delete_issue
from issuetracker.schema.relay import to_cursor
from issuetracker.storage.local import LocalStorage

from ..sql_counter import count_sql
from ..support import Api, Person, anonymous_scope, make_category, make_company, make_issue

NESTED_ISSUES = """
query ($first: Int!) {
  issues(first: $first) {
    edges { node {
      name owner { name } participants { name } tags subscriberCount
      categories { nodes { name company { name viewerRole } } }
      events { nodes { description author { name } } }
    } }
  }
}
"""


async def _statements_for(api: Api, first: int, as_: Person) -> int:
    with count_sql() as statements:
        data = await api.data(NESTED_ISSUES, {"first": first}, as_=as_)
    assert len(data["issues"]["edges"]) == first
    return len(statements)


async def test_nested_issue_query_uses_a_constant_number_of_statements(
    api: Api, owner: Person, company: Company
) -> None:
    # given twelve issues, each in two categories, with events and tags
    network = await make_category(owner, company, "Network")
    printers = await make_category(owner, company, "Printers")
    for number in range(12):
        issue = await make_issue(owner, network, printers, tags=[f"tag-{number}"])
        await add_issue_event(owner.scope, issue.id, "Still looking.")

    # when the same nested query asks for 2 and then 12 issues (after a first request has
    # recorded the token's last use, which is written at most once a minute)
    await api.data("{ viewer { name } }", as_=owner)
    small = await _statements_for(api, 2, owner)
    large = await _statements_for(api, 12, owner)

    # then both pages cost the same number of statements
    assert small == large
    assert large <= 12


ISSUES_WITH_PARTS = """
query ($first: Int!) {
  issues(first: $first, filter: {involvingMe: true}) {
    nodes {
      name webhookUrl factsUpdatedAt owner { name }
      events { nodes { description author { name } } }
      participants { name }
      invitations { nodes { email invitedBy { name } acceptedBy { name } } }
      actionItems { totalCount nodes { description done assignee { name } createdBy { name } } }
      facts { nodes { description author { name } } }
      uploads { nodes { fileName size url uploadedBy { name } } }
    }
  }
}
"""


async def test_issues_with_all_their_parts_use_a_constant_number_of_statements(
    api: Api, owner: Person, member: Person, tmp_path: Path
) -> None:
    # given twelve issues the member joined, each with an accepted and a pending invitation,
    # an assigned action item, a fact and an uploaded file
    store = UploadStore(LocalStorage(tmp_path), max_bytes=1024)
    for number in range(12):
        issue = await make_issue(owner, name=f"Issue {number}")
        assert member.user is not None
        await accept_invitation(
            anonymous_scope(), (await invite_to_issue(owner.scope, issue.id, member.user.email)).id
        )
        await invite_to_issue(owner.scope, issue.id, f"guest{number}@example.com")
        item = PartChanges(description="Call.", assignee_id=member.user.id)
        await add_action_item(owner.scope, issue.id, item)
        await add_fact(owner.scope, issue.id, "Known.")
        received = ReceivedFile(f"log{number}.txt", "text/plain", io.BytesIO(b"log"))
        await add_upload(owner.scope, issue.id, received, store)

    # when the member asks for 2 and then 12 issues with every part
    await api.data("{ viewer { name } }", as_=member)
    with count_sql() as small:
        await api.data(ISSUES_WITH_PARTS, {"first": 2}, as_=member)
    with count_sql() as large:
        data = await api.data(ISSUES_WITH_PARTS, {"first": 12}, as_=member)

    # then both cost the same, and every part is there
    assert len(small) == len(large), (len(small), len(large))
    assert len(large) <= 12
    nodes = data["issues"]["nodes"]
    assert len(nodes) == 12
    assert all(len(node["invitations"]["nodes"]) == 2 for node in nodes)
    assert all(
        node["actionItems"]["nodes"][0]["assignee"] == {"name": "Mia Member"} for node in nodes
    )
    assert all(len(node["participants"]) == 2 for node in nodes)
    assert all(node["uploads"]["nodes"][0]["size"] == 3 for node in nodes)


CATEGORIES_WITH_ISSUES = """
query ($first: Int!, $issues: Int!, $after: String) {
  categories(first: $first) {
    nodes { name issues(first: $issues, after: $after) {
      totalCount pageInfo { hasNextPage hasPreviousPage } nodes { name } } }
  }
}
"""


async def test_issues_nested_in_many_categories_cost_the_same_as_in_one(
    api: Api, owner: Person, company: Company
) -> None:
    # given six categories with three issues each, and one deleted issue
    for number in range(6):
        category = await make_category(owner, company, f"Category {number}")
        for issue_number in range(3):
            await make_issue(owner, category, name=f"C{number} issue {issue_number}")
    await delete_issue(owner.scope, (await make_issue(owner, category)).id)
    await api.data("{ viewer { name } }", as_=owner)

    # when one category, then all six, are listed with their two newest issues
    with count_sql() as one:
        await api.data(CATEGORIES_WITH_ISSUES, {"first": 1, "issues": 2}, as_=owner)
    with count_sql() as six:
        data = await api.data(CATEGORIES_WITH_ISSUES, {"first": 6, "issues": 2}, as_=owner)

    # then the statements are the same, and each page is right
    assert len(one) == len(six)
    first, last = data["categories"]["nodes"][0], data["categories"]["nodes"][5]
    assert [node["name"] for node in first["issues"]["nodes"]] == ["C0 issue 2", "C0 issue 1"]
    assert first["issues"]["totalCount"] == 3
    assert first["issues"]["pageInfo"] == {"hasNextPage": True, "hasPreviousPage": False}
    assert last["issues"]["totalCount"] == 3


async def test_a_nested_category_page_after_its_last_issue_is_empty_but_counted(
    api: Api, owner: Person, company: Company
) -> None:
    category = await make_category(owner, company)
    oldest = await make_issue(owner, category, name="Oldest")
    await make_issue(owner, category, name="Newest")

    data = await api.data(
        CATEGORIES_WITH_ISSUES,
        {"first": 1, "issues": 5, "after": to_cursor(oldest.id)},
        as_=owner,
    )

    [node] = data["categories"]["nodes"]
    assert node["issues"] == {
        "totalCount": 2,
        "pageInfo": {"hasNextPage": False, "hasPreviousPage": True},
        "nodes": [],
    }


async def test_a_nested_category_page_can_walk_backwards(
    api: Api, owner: Person, company: Company
) -> None:
    # given issues listed newest first: Newest, Middle, Oldest
    category = await make_category(owner, company)
    oldest = await make_issue(owner, category, name="Oldest")
    for name in ("Middle", "Newest"):
        await make_issue(owner, category, name=name)

    # when the one issue before Oldest is asked for
    data = await api.data(
        """query ($before: String) { categories(first: 1) { nodes { issues(last: 1,
             before: $before) { nodes { name } pageInfo { hasPreviousPage } } } } }""",
        {"before": to_cursor(oldest.id)},
        as_=owner,
    )

    [node] = data["categories"]["nodes"]
    assert node["issues"] == {"nodes": [{"name": "Middle"}], "pageInfo": {"hasPreviousPage": True}}


COMPANIES_WITH_INVITATIONS = """
query ($first: Int!) {
  viewer { companies(first: $first) { nodes {
    name invitations { totalCount nodes { email invitedBy { name } } }
  } } }
}
"""


async def test_companies_with_their_invitations_use_a_constant_number_of_statements(
    api: Api, owner: Person, admin: Person
) -> None:
    # given six companies the owner owns, each with invitations sent by the owner and an admin
    for number in range(6):
        company = await make_company(owner, members={admin: Role.ADMIN})
        await invite_company_member(owner.scope, company.id, f"a{number}@example.com", Role.MEMBER)
        await invite_company_member(admin.scope, company.id, f"b{number}@example.com", Role.ADMIN)

    # when the owner asks for 2 and then 6 companies with their invitations
    await api.data("{ viewer { name } }", as_=owner)
    with count_sql() as small:
        await api.data(COMPANIES_WITH_INVITATIONS, {"first": 2}, as_=owner)
    with count_sql() as large:
        data = await api.data(COMPANIES_WITH_INVITATIONS, {"first": 6}, as_=owner)

    # then both cost the same, and every invitation is there
    assert len(small) == len(large), (len(small), len(large))
    companies = data["viewer"]["companies"]["nodes"]
    assert [company["invitations"]["totalCount"] for company in companies] == [2] * 6
