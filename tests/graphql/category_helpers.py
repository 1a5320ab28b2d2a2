"""What the category test modules share: the queries and mutations both send, and a company's
category names as someone reads them."""

from issuetracker.models import Company
from issuetracker.schema.relay import to_global_id

from ..support import Api, Person, gid

CATEGORY_BY_ID = """
query ($id: ID!) { category(id: $id) { id databaseId name company { name isPublic } } }
"""

COMPANY_CATEGORIES = """
query ($id: ID!, $first: Int, $after: String, $last: Int, $before: String) {
  company(id: $id) {
    categories(first: $first, after: $after, last: $last, before: $before) {
      edges { cursor node { name } }
      pageInfo { hasNextPage hasPreviousPage startCursor endCursor }
      totalCount
    }
  }
}
"""

DELETE_CATEGORY = """
mutation ($input: DeleteCategoryInput!) {
  deleteCategory(input: $input) {
    category { name }
    errors { field message code }
  }
}
"""

MISSING_CATEGORY_ID = to_global_id("Category", 987654)


async def category_names_of(api: Api, company: Company, *, as_: Person | None = None) -> list[str]:
    """The names of a company's categories, as `as_` reads them now."""
    data = await api.data(COMPANY_CATEGORIES, {"id": gid("Company", company)}, as_=as_)
    return [edge["node"]["name"] for edge in data["company"]["categories"]["edges"]]
