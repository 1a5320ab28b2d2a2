from issuetracker.models import Company

from ..support import Api, Person, make_category, make_issue

QUERY = """
query {
  issues(first: 5) { edges { node { name categories { nodes { name company { name } } } } } }
}
"""


async def test_a_public_issue_is_listed_for_anonymous(
    api: Api, owner: Person, company: Company
) -> None:
    category = await make_category(owner, company, "Network")
    await make_issue(owner, category, name="Printer down")

    data = await api.data(QUERY)

    issue = data["issues"]["edges"][0]["node"]
    assert issue["name"] == "Printer down"
    assert issue["categories"]["nodes"][0]["company"]["name"] == company.name
