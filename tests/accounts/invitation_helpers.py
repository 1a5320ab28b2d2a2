"""What the company invitation tests share: the mutations and queries, inviting, answering, and
the links of the invitation e-mail."""

from email.message import EmailMessage
from typing import Any

from aiohttp.test_utils import TestClient

from issuetracker.models import Company, CompanyInvitation, Membership, Role, User

from ..notifications.conftest import links_in
from ..support import Person, gid
from .helpers import graphql, payload

INVITATION_FIELDS = """
  id databaseId email role companyName createdAt expiresAt acceptedAt
  company { name } invitedBy { name }
"""

INVITE = f"""
mutation ($input: InviteCompanyMemberInput!) {{
  inviteCompanyMember(input: $input) {{
    companyInvitation {{ {INVITATION_FIELDS} }}
    company {{ name }}
    errors {{ field message code }}
  }}
}}
"""

ADD_MEMBER = """
mutation ($input: AddCompanyMemberInput!) {
  addCompanyMember(input: $input) { membership { role } errors { field message code } }
}
"""

ANSWER = """
mutation ($id: ID!) {{
  {mutation}(input: {{id: $id}}) {{
    companyInvitation {{ id role acceptedAt companyName }}
    company {{ name viewerRole }}
    errors {{ field message code }}
  }}
}}
"""

MY_INVITATIONS = """
query { viewer { companyInvitations(first: 10) {
  nodes { id role companyName company { id name } invitedBy { name } }
} } }
"""

COMPANY_INVITATIONS = """
query ($id: ID!) { company(id: $id) { invitations(first: 10) {
  totalCount nodes { email role invitedBy { name } }
} } }
"""

VIEWER_COMPANIES = """
query { viewer { companies { nodes { name viewerRole } } } }
"""


def invitation_input(company: Company, email: str, role: str = "MEMBER") -> dict[str, Any]:
    return {"input": {"companyId": gid("Company", company), "email": email, "role": role}}


async def invite(
    client: TestClient, by: Person, company: Company, email: str, role: str = "MEMBER"
) -> dict[str, Any]:
    """The whole body: an invitation may be refused at the top level."""
    return await graphql(client, INVITE, invitation_input(company, email, role), token=by.token)


async def invited(
    client: TestClient, by: Person, company: Company, email: str, role: str = "MEMBER"
) -> dict[str, Any]:
    """The invitation of a successful `inviteCompanyMember`."""
    result = payload(await invite(client, by, company, email, role), "inviteCompanyMember")
    assert result["errors"] == [], result
    return result["companyInvitation"]


async def answer(client: TestClient, mutation: str, invitation_id: str, token: str | None) -> dict:
    """The whole body of `acceptCompanyInvitation`, `declineCompanyInvitation` or
    `cancelCompanyInvitation`."""
    query = ANSWER.format(mutation=mutation)
    return await graphql(client, query, {"id": invitation_id}, token=token)


async def my_invitations(client: TestClient, token: str) -> list[dict[str, Any]]:
    data = payload(await graphql(client, MY_INVITATIONS, token=token), "viewer")
    return data["companyInvitations"]["nodes"]


async def company_invitations(
    client: TestClient, company: Company, person: Person
) -> dict[str, Any]:
    variables = {"id": gid("Company", company)}
    body = await graphql(client, COMPANY_INVITATIONS, variables, token=person.token)
    return payload(body, "company")["invitations"]


async def companies_of(client: TestClient, token: str) -> list[dict[str, Any]]:
    data = payload(await graphql(client, VIEWER_COMPANIES, token=token), "viewer")
    return data["companies"]["nodes"]


async def role_of(user: User | None, company: Company) -> Role | None:
    assert user is not None
    membership = await Membership.get_or_none(user_id=user.id, company_id=company.id)
    return membership.role if membership else None


async def pending_count(company: Company) -> int:
    return await CompanyInvitation.filter(company_id=company.id, accepted_at=None).count()


def join_link(mail: EmailMessage, action: str = "accept") -> str:
    """The link of an invitation e-mail that joins the company (or declines, with `decline`)."""
    found = [
        link for link in links_in(mail) if "/company-invitations/" in link and f"/{action}?" in link
    ]
    assert len(found) == 1, links_in(mail)
    return found[0]


def subject(company: Company, by: str = "Olive Owner") -> str:
    return f"{by} invites you to join {company.name}"
