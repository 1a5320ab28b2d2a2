"""One permission matrix, enforced alike by GraphQL and the two REST faces (ConnectNow, and
Kinetic for the issue actions it has), for people and for their narrowed tokens: a read-only
token changes nothing; a token limited to some companies acts as if its user were a member of
those only.

Each case names a domain outcome; each face says how it shows that outcome to its clients.
"""

from dataclasses import dataclass
from typing import Any, Protocol

import pytest
from aiohttp.test_utils import TestClient

from issuetracker.models import Category, Company, Issue
from issuetracker.resolvers.issues.writes import close_issue

from ..support import Api, Person, gid, make_category, make_issue, narrowed

OK, UNAUTHENTICATED, FORBIDDEN, NOT_FOUND, CLOSED = (
    "OK",
    "UNAUTHENTICATED",
    "FORBIDDEN",
    "NOT_FOUND",
    "ISSUE_CLOSED",
)


@dataclass
class World:
    company: Company
    private_company: Company
    category: Category
    issue: Issue
    hidden_issue: Issue
    closed_issue: Issue


class Face(Protocol):
    actions: frozenset[str]

    async def act(self, action: str, person: Person, target: Any) -> str: ...

    @staticmethod
    def shows(outcome: str) -> str: ...


UPDATE_ISSUE = """mutation ($id: ID!) { updateIssue(input: {id: $id, description: "More."})
  { issue { id } errors { code } } }"""
CLOSE_ISSUE = """mutation ($id: ID!) { closeIssue(input: {id: $id, description: "Done."})
  { issue { id } errors { code } } }"""
DELETE_ISSUE = (
    """mutation ($id: ID!) { deleteIssue(input: {id: $id}) { issue { id } errors { code } } }"""
)
UPDATE_CATEGORY = """mutation ($id: ID!) { updateCategory(input: {id: $id, name: "Renamed"})
  { category { id } errors { code } } }"""
DELETE_COMPANY = (
    """mutation ($id: ID!) { deleteCompany(input: {id: $id}) { company { id } errors { code } } }"""
)
RENAME_COMPANY = """mutation ($id: ID!) { updateCompany(input: {id: $id, name: "Renamed"})
  { company { id } errors { code } } }"""
PUBLISH_COMPANY = """mutation ($id: ID!) { updateCompany(input: {id: $id, isPublic: true})
  { company { id } errors { code } } }"""
UNPUBLISH_COMPANY = """mutation ($id: ID!) { updateCompany(input: {id: $id, isPublic: false})
  { company { id } errors { code } } }"""
INVITE_MEMBER = """mutation ($id: ID!) { inviteCompanyMember(input: {companyId: $id,
  email: "newcomer@example.com"}) { companyInvitation { id } errors { code } } }"""

GRAPHQL_ACTIONS = {
    "update_issue": (UPDATE_ISSUE, "Issue"),
    "close_issue": (CLOSE_ISSUE, "Issue"),
    "delete_issue": (DELETE_ISSUE, "Issue"),
    "update_category": (UPDATE_CATEGORY, "Category"),
    "delete_company": (DELETE_COMPANY, "Company"),
    "rename_company": (RENAME_COMPANY, "Company"),
    "make_company_public": (PUBLISH_COMPANY, "Company"),
    "make_company_private": (UNPUBLISH_COMPANY, "Company"),
    "invite_member": (INVITE_MEMBER, "Company"),
}


class GraphQLFace:
    actions = frozenset(GRAPHQL_ACTIONS)

    def __init__(self, client: TestClient) -> None:
        self.api = Api(client)

    async def act(self, action: str, person: Person, target: Any) -> str:
        query, type_name = GRAPHQL_ACTIONS[action]
        body = await self.api.graphql(query, {"id": gid(type_name, target)}, as_=person)
        if body.get("errors"):
            return body["errors"][0]["extensions"]["code"]
        [payload] = body["data"].values()
        return payload["errors"][0]["code"] if payload["errors"] else OK

    @staticmethod
    def shows(outcome: str) -> str:
        return outcome


def _connectnow_request(action: str, target: Any) -> tuple[str, str, dict[str, str] | None]:
    return {
        "update_issue": ("PUT", f"/api/issues/{target.id}", {"description": "More."}),
        "close_issue": ("POST", f"/api/issues/{target.id}/close", {"description": "Done."}),
        "delete_issue": ("DELETE", f"/api/issues/{target.id}", None),
        "update_category": ("PUT", f"/api/categories/{target.id}", {"name": "Renamed"}),
        "delete_company": ("DELETE", f"/api/companies/{target.id}", None),
        "rename_company": ("PUT", f"/api/companies/{target.id}", {"name": "Renamed"}),
    }[action]


class ConnectNowFace:
    """Its company edit takes a name only (the documented API has no visibility to change)."""

    STATUS = {200: OK, 204: OK, 401: UNAUTHENTICATED, 403: FORBIDDEN, 404: NOT_FOUND}
    actions = frozenset(GRAPHQL_ACTIONS) - {
        "make_company_public",
        "make_company_private",
        "invite_member",
    }

    def __init__(self, client: TestClient) -> None:
        self.client = client

    async def act(self, action: str, person: Person, target: Any) -> str:
        method, path, body = _connectnow_request(action, target)
        response = await self.client.request(method, path, json=body, headers=person.headers)
        return self.STATUS[response.status]

    @staticmethod
    def shows(outcome: str) -> str:
        """ConnectNow answers a closed issue with 403, like a refusal."""
        return FORBIDDEN if outcome == CLOSED else outcome


class KineticFace:
    """Issues by guid; a closed issue answers 422 (and only that does, in these cases)."""

    STATUS = {200: OK, 401: UNAUTHENTICATED, 403: FORBIDDEN, 404: NOT_FOUND, 422: CLOSED}
    actions = frozenset({"update_issue", "close_issue", "delete_issue"})

    def __init__(self, client: TestClient) -> None:
        self.client = client

    async def act(self, action: str, person: Person, target: Any) -> str:
        url = f"/api/v1/issues/{target.guid}"
        method, body = {
            "update_issue": ("PUT", {"description": "More."}),
            "close_issue": ("PUT", {"status": "Closed", "conclusion": "Done."}),
            "delete_issue": ("DELETE", None),
        }[action]
        response = await self.client.request(method, url, json=body, headers=person.headers)
        answer = await response.json()
        if response.status != 200:
            assert answer["success"] is False, answer
        return self.STATUS[response.status]

    @staticmethod
    def shows(outcome: str) -> str:
        return outcome


FACES: dict[str, type[GraphQLFace | ConnectNowFace | KineticFace]] = {
    "graphql": GraphQLFace,
    "connectnow": ConnectNowFace,
    "kinetic": KineticFace,
}


@pytest.fixture
async def world(owner: Person, company: Company, private_company: Company) -> World:
    category = await make_category(owner, company)
    hidden = await make_issue(owner, await make_category(owner, private_company))
    closed = await make_issue(owner, category)
    await close_issue(owner.scope, closed.id, "Fixed.")
    return World(
        company, private_company, category, await make_issue(owner, category), hidden, closed
    )


CASES = [
    # action, person, target, outcome
    ("update_issue", "anonymous", "issue", UNAUTHENTICATED),
    ("update_issue", "outsider", "issue", FORBIDDEN),
    ("update_issue", "outsider", "hidden_issue", NOT_FOUND),
    ("update_issue", "member", "issue", OK),
    ("update_issue", "member", "closed_issue", CLOSED),
    ("close_issue", "anonymous", "issue", UNAUTHENTICATED),
    ("close_issue", "outsider", "issue", FORBIDDEN),
    ("close_issue", "admin", "issue", OK),
    ("close_issue", "owner", "closed_issue", CLOSED),
    ("delete_issue", "outsider", "issue", FORBIDDEN),
    ("delete_issue", "anonymous", "hidden_issue", UNAUTHENTICATED),
    ("delete_issue", "member", "hidden_issue", OK),
    ("delete_issue", "member", "closed_issue", CLOSED),
    ("update_category", "outsider", "category", FORBIDDEN),
    ("update_category", "member", "category", OK),
    ("delete_company", "member", "company", FORBIDDEN),
    ("delete_company", "outsider", "private_company", NOT_FOUND),
    ("delete_company", "admin", "company", OK),
    ("rename_company", "anonymous", "company", UNAUTHENTICATED),
    ("rename_company", "outsider", "company", FORBIDDEN),
    ("rename_company", "outsider", "private_company", NOT_FOUND),
    ("rename_company", "member", "private_company", OK),
    # Changing who can see a company is for its owners and admins, as deleting it is.
    ("make_company_public", "member", "private_company", FORBIDDEN),
    ("make_company_public", "outsider", "private_company", NOT_FOUND),
    ("make_company_public", "admin", "private_company", OK),
    ("make_company_public", "member", "company", OK),  # already public: nothing changes
    ("make_company_private", "member", "company", FORBIDDEN),
    ("make_company_private", "owner", "company", OK),
    # Inviting is for owners and admins (GraphQL only: the REST APIs have no members).
    ("invite_member", "anonymous", "company", UNAUTHENTICATED),
    ("invite_member", "outsider", "company", FORBIDDEN),
    ("invite_member", "outsider", "private_company", NOT_FOUND),
    ("invite_member", "member", "private_company", FORBIDDEN),
    ("invite_member", "admin", "company", OK),
    ("invite_member", "owner", "private_company", OK),
    # A read-only token changes nothing, whatever its user may do.
    ("update_issue", "member_read_only", "issue", FORBIDDEN),
    ("close_issue", "admin_read_only", "issue", FORBIDDEN),
    ("delete_issue", "member_read_only", "hidden_issue", FORBIDDEN),
    ("update_category", "member_read_only", "category", FORBIDDEN),
    ("rename_company", "member_read_only", "private_company", FORBIDDEN),
    ("delete_company", "admin_read_only", "company", FORBIDDEN),
    ("make_company_public", "admin_read_only", "private_company", FORBIDDEN),
    ("invite_member", "admin_read_only", "company", FORBIDDEN),
    # A token limited to the public company: the private one's data is hidden, as for anyone.
    ("update_issue", "member_limited_to_public", "issue", OK),
    ("update_issue", "member_limited_to_public", "hidden_issue", NOT_FOUND),
    ("delete_issue", "member_limited_to_public", "hidden_issue", NOT_FOUND),
    ("update_category", "member_limited_to_public", "category", OK),
    ("rename_company", "member_limited_to_public", "private_company", NOT_FOUND),
    ("make_company_public", "admin_limited_to_public", "private_company", NOT_FOUND),
    ("invite_member", "admin_limited_to_public", "private_company", NOT_FOUND),
    ("invite_member", "admin_limited_to_public", "company", OK),
    # A token limited to the private company: the public one is seen, not changed.
    ("update_issue", "member_limited_to_private", "hidden_issue", OK),
    ("update_issue", "member_limited_to_private", "issue", FORBIDDEN),
    ("close_issue", "admin_limited_to_private", "issue", FORBIDDEN),
    ("update_category", "member_limited_to_private", "category", FORBIDDEN),
    ("rename_company", "member_limited_to_private", "company", FORBIDDEN),
    ("rename_company", "member_limited_to_private", "private_company", OK),
    ("delete_company", "admin_limited_to_private", "company", FORBIDDEN),
    ("make_company_private", "admin_limited_to_private", "company", FORBIDDEN),
    ("invite_member", "admin_limited_to_private", "company", FORBIDDEN),
    ("invite_member", "admin_limited_to_private", "private_company", OK),
]


@pytest.fixture
async def people(
    anonymous: Person,
    outsider: Person,
    member: Person,
    admin: Person,
    owner: Person,
    company: Company,
    private_company: Company,
) -> dict[str, Person]:
    plain = {
        "anonymous": anonymous,
        "outsider": outsider,
        "member": member,
        "admin": admin,
        "owner": owner,
    }
    for name in ("member", "admin"):
        person = plain[name]
        plain[f"{name}_read_only"] = await narrowed(person, read_only=True)
        plain[f"{name}_limited_to_public"] = await narrowed(person, companies=[company])
        plain[f"{name}_limited_to_private"] = await narrowed(person, companies=[private_company])
    return plain


@pytest.mark.parametrize(
    ("face_name", "action", "who", "target", "outcome"),
    [
        (name, *case)
        for name, face_type in FACES.items()
        for case in CASES
        if case[0] in face_type.actions
    ],
)
async def test_every_face_enforces_the_same_rule(
    client: TestClient,
    world: World,
    people: dict[str, Person],
    face_name: str,
    action: str,
    who: str,
    target: str,
    outcome: str,
) -> None:
    face: Face = FACES[face_name](client)

    observed = await face.act(action, people[who], getattr(world, target))

    assert observed == face.shows(outcome)
