"""What the company test modules share: the queries and mutations more than one of them sends, and
how they read an answer (the names on a page, a company, a role)."""

from issuetracker.models import Company
from issuetracker.schema.relay import to_global_id

from ..support import Api, Person, gid

COMPANIES = """
query ($first: Int, $after: String, $last: Int, $before: String) {
  companies(first: $first, after: $after, last: $last, before: $before) {
    edges { cursor node { name } }
    pageInfo { hasNextPage hasPreviousPage startCursor endCursor }
    totalCount
  }
}
"""

COMPANY_BY_ID = """
query ($id: ID!) {
  company(id: $id) { id databaseId name logoUrl isPublic viewerRole categories { nodes { name } } }
}
"""

VIEWER_COMPANIES = """
query ($first: Int, $after: String) {
  viewer {
    companies(first: $first, after: $after) {
      edges { cursor node { name viewerRole } }
      pageInfo { hasNextPage hasPreviousPage }
      totalCount
    }
  }
}
"""

DELETE_COMPANY = """
mutation ($input: DeleteCompanyInput!) {
  deleteCompany(input: $input) {
    company { name }
    errors { field message code }
  }
}
"""

ADD_MEMBER = """
mutation ($input: AddCompanyMemberInput!) {
  addCompanyMember(input: $input) {
    membership { role user { name } company { name } }
    errors { field message code }
  }
}
"""

MISSING_COMPANY_ID = to_global_id("Company", 987654)


def names(data: dict) -> list[str]:
    return [edge["node"]["name"] for edge in data["companies"]["edges"]]


async def company_seen_by(api: Api, person: Person, company: Company) -> dict:
    """The company as `person` reads it now."""
    data = await api.data(COMPANY_BY_ID, {"id": gid("Company", company)}, as_=person)
    return data["company"]


async def role_of(api: Api, person: Person, company: Company) -> str | None:
    """`person`'s role in `company`, as their own `viewer.companies` tells it."""
    data = await api.data(VIEWER_COMPANIES, as_=person)
    roles = {
        edge["node"]["name"]: edge["node"]["viewerRole"]
        for edge in data["viewer"]["companies"]["edges"]
    }
    return roles.get(company.name)
