"""A nested query's SQL statement count does not grow with the page size."""

from issuetracker.resolvers.issues import add_issue_event

from .sql_counter import count_sql
from .support import Api, Person, make_category, make_issue

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
    api: Api, owner: Person, company
) -> None:
    # given twelve issues, each in two categories, with events and tags
    network = await make_category(owner, company, "Network")
    printers = await make_category(owner, company, "Printers")
    for number in range(12):
        issue = await make_issue(owner, network, printers, tags=[f"tag-{number}"])
        await add_issue_event(owner.actor, issue.id, "Still looking.")

    # when the same nested query asks for 2 and then 12 issues (after a first request has
    # recorded the token's last use, which is written at most once a minute)
    await api.data("{ viewer { name } }", as_=owner)
    small = await _statements_for(api, 2, owner)
    large = await _statements_for(api, 12, owner)

    # then both pages cost the same number of statements
    assert small == large
    assert large <= 12
