"""Reading categories over GraphQL (`categories`, `category`, `node`, `Company.categories`,
`Category.company`, `Category.issues`, `Issue.categories`): who sees the categories of a private
company, and keyset pagination."""

import pytest

from issuetracker.models import Company
from issuetracker.schema.relay import to_global_id

from ..support import Api, Person, gid, make_category, make_company, make_issue, only_error
from .category_helpers import (
    CATEGORY_BY_ID,
    COMPANY_CATEGORIES,
    DELETE_CATEGORY,
    MISSING_CATEGORY_ID,
    category_names_of,
)
from .company_helpers import MISSING_COMPANY_ID

CATEGORIES = """
query ($companyIds: [ID!], $first: Int, $after: String, $last: Int, $before: String) {
  categories(companyIds: $companyIds, first: $first, after: $after, last: $last, before: $before) {
    edges { cursor node { name company { name } } }
    pageInfo { hasNextPage hasPreviousPage startCursor endCursor }
    totalCount
  }
}
"""

CATEGORY_BY_DATABASE_ID = """
query ($databaseId: Int!) {
  category(databaseId: $databaseId) { id databaseId name company { name isPublic } }
}
"""

CATEGORY_WITHOUT_ARGUMENTS = """
query { category { name } }
"""

NODE = """
query ($id: ID!) { node(id: $id) { id ... on Category { name company { name } } } }
"""

NODES = """
query ($ids: [ID!]!) { nodes(ids: $ids) { id ... on Category { name } } }
"""

CATEGORY_ISSUES = """
query ($id: ID!) { category(id: $id) { issues { nodes { name } totalCount } } }
"""

ISSUE_CATEGORIES = """
query ($id: ID!) { issue(id: $id) { categories { nodes { name company { name } } totalCount } } }
"""


def names(data: dict) -> list[str]:
    return [edge["node"]["name"] for edge in data["categories"]["edges"]]


# --- reading: who sees which category ------------------------------------------------------------


@pytest.mark.parametrize("viewer", ["anonymous", "outsider"])
async def test_non_members_list_categories_of_public_companies_only(
    api: Api,
    anonymous: Person,
    outsider: Person,
    owner: Person,
    company: Company,
    private_company: Company,
    viewer: str,
) -> None:
    # given categories in a public and in a private company
    await make_category(owner, company, "Network")
    await make_category(owner, private_company, "Secret")
    await make_category(owner, company, "Printers")
    person = {"anonymous": anonymous, "outsider": outsider}[viewer]

    # when someone who is not a member of the private company lists categories
    data = await api.data(CATEGORIES, as_=person)

    # then only the public company's categories are there, oldest first, and counted
    assert [edge["node"] for edge in data["categories"]["edges"]] == [
        {"name": "Network", "company": {"name": company.name}},
        {"name": "Printers", "company": {"name": company.name}},
    ]
    assert data["categories"]["totalCount"] == 2


@pytest.mark.parametrize("role", ["owner", "admin", "member"])
async def test_members_list_the_categories_of_their_private_company(
    api: Api,
    owner: Person,
    admin: Person,
    member: Person,
    company: Company,
    private_company: Company,
    role: str,
) -> None:
    # given categories in a public and in a private company
    await make_category(owner, company, "Network")
    await make_category(owner, private_company, "Secret")
    person = {"owner": owner, "admin": admin, "member": member}[role]

    # when a member of the private company lists categories
    data = await api.data(CATEGORIES, as_=person)

    # then they see both
    assert names(data) == ["Network", "Secret"]
    assert data["categories"]["totalCount"] == 2


async def test_categories_filtered_by_company(api: Api, owner: Person, company: Company) -> None:
    # given categories in two companies
    other = await make_company(owner, name="Other Inc")
    await make_category(owner, company, "Ours")
    await make_category(owner, other, "Theirs")

    # when the list is filtered by one company
    data = await api.data(CATEGORIES, {"companyIds": [gid("Company", other)]})

    # then only that company's categories are listed
    assert [edge["node"] for edge in data["categories"]["edges"]] == [
        {"name": "Theirs", "company": {"name": "Other Inc"}}
    ]
    assert data["categories"]["totalCount"] == 1


async def test_members_filter_categories_by_their_private_company(
    api: Api, owner: Person, member: Person, company: Company, private_company: Company
) -> None:
    # given categories in a public and in a private company
    await make_category(owner, company, "Network")
    await make_category(owner, private_company, "Secret")

    # when a member filters by the private company
    data = await api.data(CATEGORIES, {"companyIds": [gid("Company", private_company)]}, as_=member)

    # then they get its categories
    assert names(data) == ["Secret"]


async def test_filtering_by_a_hidden_company_looks_like_filtering_by_a_missing_one(
    api: Api, owner: Person, outsider: Person, private_company: Company
) -> None:
    # given a private company with a category
    await make_category(owner, private_company, "Secret")

    # when an outsider filters categories by it, by a missing company, and by an impossible id
    hidden = await api.graphql(
        CATEGORIES, {"companyIds": [gid("Company", private_company)]}, as_=outsider
    )
    missing = await api.graphql(CATEGORIES, {"companyIds": [MISSING_COMPANY_ID]}, as_=outsider)
    impossible = await api.graphql(
        CATEGORIES, {"companyIds": [to_global_id("Company", 10**20)]}, as_=outsider
    )

    # then the answers cannot be told apart, and neither shows the private category
    assert only_error(hidden) == ("BAD_USER_INPUT", "The selected company ids are invalid.")
    assert hidden["errors"][0]["extensions"]["errors"] == [
        {"field": "companyIds", "message": "The selected company ids are invalid."}
    ]
    assert hidden == missing == impossible
    assert hidden["data"] is None


async def test_a_malformed_company_id_in_the_filter_is_bad_input(api: Api) -> None:
    # when the filter names a company by something that is not a company id
    body = await api.graphql(CATEGORIES, {"companyIds": ["not-an-id"]})

    # then it is refused, naming the argument
    assert only_error(body) == ("BAD_USER_INPUT", "The id is not valid.")
    assert body["errors"][0]["extensions"]["errors"] == [
        {"field": "companyIds", "message": "The id is not valid."}
    ]


async def test_a_category_by_id_and_by_database_id_is_the_same_category(
    api: Api, owner: Person, company: Company
) -> None:
    # given a category
    category = await make_category(owner, company, "Network")

    # when it is looked up by global id, by database id, and as a node
    by_id = await api.data(CATEGORY_BY_ID, {"id": gid("Category", category)})
    by_database_id = await api.data(CATEGORY_BY_DATABASE_ID, {"databaseId": category.id})
    node = await api.data(NODE, {"id": gid("Category", category)})

    # then all answer the same category, with its company
    expected = {
        "id": gid("Category", category),
        "databaseId": category.id,
        "name": "Network",
        "company": {"name": company.name, "isPublic": True},
    }
    assert by_id["category"] == by_database_id["category"] == expected
    assert node["node"] == {
        "id": gid("Category", category),
        "name": "Network",
        "company": {"name": company.name},
    }


async def test_a_category_lookup_needs_exactly_one_of_id_and_database_id(api: Api) -> None:
    # when a category is asked for by neither id nor database id
    body = await api.graphql(CATEGORY_WITHOUT_ARGUMENTS)

    # then the request is bad input
    assert only_error(body) == ("BAD_USER_INPUT", "Pass exactly one of `id` and `databaseId`.")


async def test_a_category_lookup_by_a_company_id_is_bad_input(api: Api, company: Company) -> None:
    # when a category is looked up by a company's id
    body = await api.graphql(CATEGORY_BY_ID, {"id": gid("Company", company)})

    # then it is refused as bad input
    assert only_error(body) == ("BAD_USER_INPUT", "The id is not of type Category.")


@pytest.mark.parametrize("viewer", ["anonymous", "outsider"])
async def test_a_category_of_a_private_company_is_not_found_on_every_path(
    api: Api,
    anonymous: Person,
    outsider: Person,
    owner: Person,
    company: Company,
    private_company: Company,
    viewer: str,
) -> None:
    # given a category of a private company, and an issue in it and in a public category
    hidden = await make_category(owner, private_company, "Secret")
    public = await make_category(owner, company, "Network")
    issue = await make_issue(owner, hidden, public, name="Shared")
    person = {"anonymous": anonymous, "outsider": outsider}[viewer]

    # when a non-member looks for the hidden category every way there is
    lookups = [
        await api.graphql(CATEGORY_BY_ID, {"id": gid("Category", hidden)}, as_=person),
        await api.graphql(CATEGORY_BY_DATABASE_ID, {"databaseId": hidden.id}, as_=person),
        await api.graphql(NODE, {"id": gid("Category", hidden)}, as_=person),
        await api.graphql(CATEGORY_ISSUES, {"id": gid("Category", hidden)}, as_=person),
    ]
    several = await api.graphql(NODES, {"ids": [gid("Category", hidden)]}, as_=person)
    listed = await api.data(CATEGORIES, as_=person)
    of_issue = await api.data(ISSUE_CATEGORIES, {"id": gid("Issue", issue)}, as_=person)

    # then every lookup answers NOT_FOUND, and no list or nested connection shows it
    assert [only_error(body) for body in lookups] == [("NOT_FOUND", "Category not found.")] * 4
    assert several["data"]["nodes"] == [None]
    assert only_error(several) == ("NOT_FOUND", "Category not found.")
    assert names(listed) == ["Network"]
    assert of_issue["issue"]["categories"]["nodes"] == [
        {"name": "Network", "company": {"name": company.name}}
    ]
    assert of_issue["issue"]["categories"]["totalCount"] == 1


async def test_a_hidden_category_and_a_missing_one_look_the_same(
    api: Api, owner: Person, outsider: Person, private_company: Company
) -> None:
    # given a category of a private company
    hidden = await make_category(owner, private_company, "Secret")

    # when an outsider looks it up, and a category that does not exist, and one no row can be
    seen = [
        await api.graphql(CATEGORY_BY_ID, {"id": category_id}, as_=outsider)
        for category_id in (
            gid("Category", hidden),
            MISSING_CATEGORY_ID,
            to_global_id("Category", 10**20),
        )
    ]
    by_database_id = [
        await api.graphql(CATEGORY_BY_DATABASE_ID, {"databaseId": number}, as_=outsider)
        for number in (hidden.id, 987654, 0)
    ]

    # then the answers cannot be told apart
    assert seen[0] == seen[1] == seen[2]
    assert only_error(seen[0]) == ("NOT_FOUND", "Category not found.")
    assert by_database_id[0] == by_database_id[1] == by_database_id[2]
    assert only_error(by_database_id[0]) == ("NOT_FOUND", "Category not found.")


@pytest.mark.parametrize("role", ["owner", "admin", "member"])
async def test_members_see_a_category_of_their_private_company_on_every_path(
    api: Api,
    owner: Person,
    admin: Person,
    member: Person,
    company: Company,
    private_company: Company,
    role: str,
) -> None:
    # given a category of a private company, and an issue in it and in a public category
    hidden = await make_category(owner, private_company, "Secret")
    public = await make_category(owner, company, "Network")
    issue = await make_issue(owner, public, hidden, name="Shared")
    person = {"owner": owner, "admin": admin, "member": member}[role]

    # when a member looks for the category every way there is
    by_id = await api.data(CATEGORY_BY_ID, {"id": gid("Category", hidden)}, as_=person)
    by_database_id = await api.data(CATEGORY_BY_DATABASE_ID, {"databaseId": hidden.id}, as_=person)
    node = await api.data(NODE, {"id": gid("Category", hidden)}, as_=person)
    issues = await api.data(CATEGORY_ISSUES, {"id": gid("Category", hidden)}, as_=person)
    nested = await category_names_of(api, private_company, as_=person)
    of_issue = await api.data(ISSUE_CATEGORIES, {"id": gid("Issue", issue)}, as_=person)

    # then every path shows it, with its private company
    private = {"name": "Private Ltd", "isPublic": False}
    assert by_id["category"]["company"] == by_database_id["category"]["company"] == private
    assert node["node"]["name"] == "Secret"
    assert issues["category"]["issues"] == {"nodes": [{"name": "Shared"}], "totalCount": 1}
    assert nested == ["Secret"]
    assert [category["name"] for category in of_issue["issue"]["categories"]["nodes"]] == [
        "Secret",
        "Network",
    ]


async def test_category_issues_lists_the_categorys_issues_newest_first(
    api: Api, owner: Person, company: Company
) -> None:
    # given issues in two categories
    network = await make_category(owner, company, "Network")
    printers = await make_category(owner, company, "Printers")
    await make_issue(owner, network, name="Router down")
    await make_issue(owner, printers, name="Out of toner")
    await make_issue(owner, network, name="Cable cut")

    # when one category's issues are read
    data = await api.data(CATEGORY_ISSUES, {"id": gid("Category", network)})

    # then only its issues are listed, newest first
    assert data["category"]["issues"] == {
        "nodes": [{"name": "Cable cut"}, {"name": "Router down"}],
        "totalCount": 2,
    }


async def test_company_categories_lists_only_that_companys_categories(
    api: Api, owner: Person, company: Company
) -> None:
    # given categories in two companies
    other = await make_company(owner, name="Other Inc")
    await make_category(owner, company, "Network")
    await make_category(owner, other, "Elsewhere")
    await make_category(owner, company, "Printers")

    # when one company's categories are read
    data = await api.data(COMPANY_CATEGORIES, {"id": gid("Company", company)})

    # then only its own are listed, oldest first
    categories = data["company"]["categories"]
    assert [edge["node"]["name"] for edge in categories["edges"]] == ["Network", "Printers"]
    assert categories["totalCount"] == 2


# --- pagination ----------------------------------------------------------------------------------


async def test_categories_page_forwards_and_backwards(
    api: Api, owner: Person, company: Company
) -> None:
    # given four categories
    for name in ("A", "B", "C", "D"):
        await make_category(owner, company, name)

    # when a client walks them three at a time forwards, then backwards from the end
    first = await api.data(CATEGORIES, {"first": 3})
    second = await api.data(
        CATEGORIES, {"first": 3, "after": first["categories"]["pageInfo"]["endCursor"]}
    )
    last = await api.data(CATEGORIES, {"last": 3})
    before = await api.data(
        CATEGORIES, {"last": 3, "before": last["categories"]["pageInfo"]["startCursor"]}
    )

    # then the pages follow each other, in the list's order, with the right flags
    pages = (first, second, last, before)
    assert [names(page) for page in pages] == [["A", "B", "C"], ["D"], ["B", "C", "D"], ["A"]]
    flags = [
        (
            page["categories"]["pageInfo"]["hasPreviousPage"],
            page["categories"]["pageInfo"]["hasNextPage"],
        )
        for page in pages
    ]
    assert flags == [(False, True), (True, False), (True, False), (False, True)]
    assert {page["categories"]["totalCount"] for page in pages} == {4}


async def test_company_categories_page_forwards_and_backwards(
    api: Api, owner: Person, company: Company
) -> None:
    # given four categories of a company
    for name in ("A", "B", "C", "D"):
        await make_category(owner, company, name)
    company_id = gid("Company", company)

    # when a client walks them two at a time forwards, then backwards from the end
    async def page(**args: object) -> dict:
        data = await api.data(COMPANY_CATEGORIES, {"id": company_id, **args})
        return data["company"]["categories"]

    first = await page(first=2)
    second = await page(first=2, after=first["pageInfo"]["endCursor"])
    last = await page(last=3)
    before = await page(last=3, before=last["pageInfo"]["startCursor"])

    # then the pages follow each other, in the list's order, with the right flags
    pages = (first, second, last, before)
    assert [[edge["node"]["name"] for edge in p["edges"]] for p in pages] == [
        ["A", "B"],
        ["C", "D"],
        ["B", "C", "D"],
        ["A"],
    ]
    flags = [(p["pageInfo"]["hasPreviousPage"], p["pageInfo"]["hasNextPage"]) for p in pages]
    assert flags == [(False, True), (True, False), (True, False), (False, True)]
    assert {p["totalCount"] for p in pages} == {4}


async def test_company_categories_continue_after_a_cursor_whose_category_was_deleted(
    api: Api, owner: Person, member: Person, company: Company
) -> None:
    # given four categories, and a client that read the first page of two
    made = [await make_category(owner, company, name) for name in ("A", "B", "C", "D")]
    company_id = gid("Company", company)
    first = await api.data(COMPANY_CATEGORIES, {"id": company_id, "first": 2})
    cursor = first["company"]["categories"]["pageInfo"]["endCursor"]

    # when the last category of that page is deleted before the client asks for the next page
    await api.data(DELETE_CATEGORY, {"input": {"id": gid("Category", made[1])}}, as_=member)
    second = await api.data(COMPANY_CATEGORIES, {"id": company_id, "first": 2, "after": cursor})

    # then the next page goes on after it, as the top-level list does
    assert [edge["node"]["name"] for edge in second["company"]["categories"]["edges"]] == [
        "C",
        "D",
    ]
