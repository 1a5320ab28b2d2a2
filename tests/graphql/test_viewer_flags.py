"""What may I do? Each `viewerCan…` flag is true exactly when the mutation it names is allowed:
for the owner, a member, a participant, an outsider and anonymous, on issues in a company, on
issues of their participants only, closed and deleted, and on companies and categories. Each
answer is read before the mutation is tried on a fresh object (trying changes it), on both
read paths."""

from typing import Any

import pytest

from issuetracker.models import Company, Issue, IssueParticipant, Role
from issuetracker.resolvers.issues import writes
from issuetracker.settings import Settings

from ..support import Api, Person, gid, make_category, make_company, make_issue, make_person
from .issue_mutation_helpers import CHANGES


@pytest.fixture(params=["compiled", "executor"])
def settings(settings: Settings, request: pytest.FixtureRequest) -> Settings:
    return settings.model_copy(update={"graphql_compiled_reads": request.param == "compiled"})


ISSUE_FLAGS = """
query ($id: ID!) {
  issue(id: $id, includeDeleted: true) {
    viewerCanUpdate viewerCanClose viewerCanDelete viewerCanAddEvent viewerCanFollow
  }
}
"""

COMPANY_FLAGS = """
query ($id: ID!) {
  company(id: $id) {
    viewerCanAdminister viewerCanDelete viewerCanCreateCategory
    categories { nodes { viewerCanUpdate viewerCanDelete } }
  }
}
"""

SUBSCRIBE = """
mutation ($input: SubscribeToIssueInput!) {
  subscribeToIssue(input: $input) { created errors { code } }
}
"""

ISSUE_MUTATIONS = {
    "viewerCanUpdate": "updateIssue",
    "viewerCanClose": "closeIssue",
    "viewerCanDelete": "deleteIssue",
    "viewerCanAddEvent": "addIssueEvent",
}

PEOPLE = ["owner", "member", "participant", "outsider", "anonymous"]


def _allowed(body: dict[str, Any], mutation: str) -> bool:
    payload = (body.get("data") or {}).get(mutation)
    return not body.get("errors") and payload is not None and payload["errors"] == []


async def _in_company(owner: Person, participant: Person, company: Company) -> Issue:
    issue = await make_issue(owner, await make_category(owner, company))
    await IssueParticipant.create(issue_id=issue.id, user=participant.user)
    return issue


async def _of_participants(owner: Person, participant: Person) -> Issue:
    issue = await make_issue(owner)
    await IssueParticipant.create(issue_id=issue.id, user=participant.user)
    return issue


SHAPES = ["in a company", "of its participants", "closed", "deleted"]


async def _made(shape: str, owner: Person, participant: Person, company: Company) -> Issue:
    if shape == "of its participants":
        return await _of_participants(owner, participant)
    issue = await _in_company(owner, participant, company)
    if shape == "closed":
        return await writes.close_issue(owner.scope, issue.id, "Done.")
    if shape == "deleted":
        return await writes.delete_issue(owner.scope, issue.id)
    return issue


async def _issue_flags(api: Api, issue: Issue, person: Person) -> dict[str, bool] | None:
    """The flags, or None when the person may not see the issue (NOT_FOUND)."""
    body = await api.graphql(ISSUE_FLAGS, {"id": gid("Issue", issue)}, as_=person)
    return body["data"]["issue"]


@pytest.fixture
async def participant(database: None) -> Person:
    return await make_person("Pat Participant")


@pytest.mark.parametrize("shape", SHAPES)
@pytest.mark.parametrize("who", PEOPLE)
async def test_each_issue_flag_says_whether_its_mutation_is_allowed(
    api: Api,
    owner: Person,
    member: Person,
    participant: Person,
    outsider: Person,
    anonymous: Person,
    company: Company,
    who: str,
    shape: str,
) -> None:
    people = [owner, member, participant, outsider, anonymous]
    person = dict(zip(PEOPLE, people, strict=True))[who]
    for flag, mutation in ISSUE_MUTATIONS.items():
        # given a fresh issue of this shape, and what the flag says about it
        issue = await _made(shape, owner, participant, company)
        flags = await _issue_flags(api, issue, person)

        # when the person tries the mutation
        query, make_input = CHANGES[mutation]
        body = await api.graphql(query, {"input": make_input(gid("Issue", issue))}, as_=person)

        # then the flag said whether it would be allowed
        shown = bool(flags and flags[flag])
        assert shown == _allowed(body, mutation), (flag, who, shape, body)

    issue = await _made(shape, owner, participant, company)
    flags = await _issue_flags(api, issue, person)
    given = {"input": {"issueId": gid("Issue", issue), "email": "someone@example.com"}}
    body = await api.graphql(SUBSCRIBE, given, as_=person)
    assert bool(flags and flags["viewerCanFollow"]) == _allowed(body, "subscribeToIssue")


UPDATE_COMPANY = """
mutation ($input: UpdateCompanyInput!) {
  updateCompany(input: $input) { company { isPublic } errors { code } }
}
"""
DELETE_COMPANY = """
mutation ($input: DeleteCompanyInput!) {
  deleteCompany(input: $input) { company { name } errors { code } }
}
"""
CREATE_CATEGORY = """
mutation ($input: CreateCategoryInput!) {
  createCategory(input: $input) { category { name } errors { code } }
}
"""
UPDATE_CATEGORY = """
mutation ($input: UpdateCategoryInput!) {
  updateCategory(input: $input) { category { name } errors { code } }
}
"""
DELETE_CATEGORY = """
mutation ($input: DeleteCategoryInput!) {
  deleteCategory(input: $input) { category { name } errors { code } }
}
"""


def _company_attempts(company: str, category: str) -> dict[str, tuple[str, str, dict[str, Any]]]:
    """flag -> (mutation, document, input) for a company and one of its categories."""
    return {
        "viewerCanAdminister": (
            "updateCompany",
            UPDATE_COMPANY,
            {"id": company, "isPublic": False},
        ),
        "viewerCanDelete": ("deleteCompany", DELETE_COMPANY, {"id": company}),
        "viewerCanCreateCategory": (
            "createCategory",
            CREATE_CATEGORY,
            {"companyId": company, "name": "Brand new"},
        ),
        "category.viewerCanUpdate": (
            "updateCategory",
            UPDATE_CATEGORY,
            {"id": category, "name": "Renamed"},
        ),
        "category.viewerCanDelete": ("deleteCategory", DELETE_CATEGORY, {"id": category}),
    }


@pytest.mark.parametrize("who", ["owner", "admin", "member", "outsider", "anonymous"])
async def test_each_company_and_category_flag_says_whether_its_mutation_is_allowed(
    api: Api,
    owner: Person,
    admin: Person,
    member: Person,
    outsider: Person,
    anonymous: Person,
    who: str,
) -> None:
    person = {
        "owner": owner,
        "admin": admin,
        "member": member,
        "outsider": outsider,
        "anonymous": anonymous,
    }[who]
    for number, flag in enumerate(_company_attempts("", "")):
        # given a fresh public company with one category, and what the flags say
        members = {admin: Role.ADMIN, member: Role.MEMBER}
        company = await make_company(owner, name=f"Flagged {number}", members=members)
        category = await make_category(owner, company)
        data = await api.data(COMPANY_FLAGS, {"id": gid("Company", company)}, as_=person)
        shown = data["company"]
        if flag.startswith("category."):
            shown = shown["categories"]["nodes"][0]

        # when the person tries the mutation
        attempts = _company_attempts(gid("Company", company), gid("Category", category))
        mutation, document, given = attempts[flag]
        body = await api.graphql(document, {"input": given}, as_=person)

        # then the flag said whether it would be allowed
        assert shown[flag.removeprefix("category.")] == _allowed(body, mutation), (flag, who)
