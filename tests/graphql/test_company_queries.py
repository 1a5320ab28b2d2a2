"""Reading companies over GraphQL (`companies`, `company`, `node`, `viewer.companies`): who sees a
private company, and keyset pagination (oldest first)."""

import pytest

from issuetracker.models import Company
from issuetracker.schema.relay import to_global_id

from ..support import Api, Person, gid, make_category, make_company, make_person, only_error
from .company_helpers import (
    COMPANIES,
    COMPANY_BY_ID,
    MISSING_COMPANY_ID,
    VIEWER_COMPANIES,
    company_seen_by,
    names,
)

COMPANY_BY_DATABASE_ID = """
query ($databaseId: Int!) {
  company(databaseId: $databaseId) { id databaseId name logoUrl isPublic viewerRole }
}
"""

COMPANY_BY_ID_AND_DATABASE_ID = """
query ($id: ID!, $databaseId: Int!) { company(id: $id, databaseId: $databaseId) { name } }
"""

COMPANY_WITHOUT_ARGUMENTS = """
query { company { name } }
"""

NODE = """
query ($id: ID!) { node(id: $id) { id ... on Company { name viewerRole } } }
"""

NODES = """
query ($ids: [ID!]!) { nodes(ids: $ids) { id ... on Company { name } } }
"""


# --- reading: who sees which company --------------------------------------------------------------


async def test_anonymous_lists_public_companies_only(
    api: Api, company: Company, private_company: Company
) -> None:
    # given a public and a private company

    # when an anonymous client lists companies
    data = await api.data(COMPANIES)

    # then only the public one is there, and counted
    assert names(data) == [company.name]
    assert data["companies"]["totalCount"] == 1


async def test_an_outsider_lists_public_companies_only(
    api: Api, outsider: Person, company: Company, private_company: Company
) -> None:
    # when a signed-in user who belongs to neither lists companies
    data = await api.data(COMPANIES, as_=outsider)

    # then the private company is neither listed nor counted
    assert names(data) == [company.name]
    assert data["companies"]["totalCount"] == 1


@pytest.mark.parametrize("role", ["owner", "admin", "member"])
async def test_members_list_their_private_company_but_not_others(
    api: Api,
    owner: Person,
    admin: Person,
    member: Person,
    company: Company,
    private_company: Company,
    role: str,
) -> None:
    # given someone else's private company as well
    stranger = await make_person("Sam Stranger")
    await make_company(stranger, name="Elsewhere Ltd", public=False)
    person = {"owner": owner, "admin": admin, "member": member}[role]

    # when a member of `private_company` lists companies
    data = await api.data(COMPANIES, as_=person)

    # then they see the public company and their own private one, oldest first
    assert names(data) == [company.name, "Private Ltd"]
    assert data["companies"]["totalCount"] == 2


async def test_a_company_by_id_and_by_database_id_is_the_same_company(
    api: Api, owner: Person, company: Company
) -> None:
    # given a company with a category
    await make_category(owner, company, "Network")

    # when it is looked up by global id and by database id
    by_id = await api.data(COMPANY_BY_ID, {"id": gid("Company", company)})
    by_database_id = await api.data(COMPANY_BY_DATABASE_ID, {"databaseId": company.id})

    # then both answer the same company
    assert by_id["company"]["id"] == by_database_id["company"]["id"] == gid("Company", company)
    assert by_id["company"]["databaseId"] == by_database_id["company"]["databaseId"] == company.id
    assert by_id["company"]["name"] == company.name
    assert by_id["company"]["isPublic"] is True
    assert by_id["company"]["logoUrl"] is None
    assert by_id["company"]["categories"]["nodes"] == [{"name": "Network"}]


@pytest.mark.parametrize("query", [COMPANY_WITHOUT_ARGUMENTS, COMPANY_BY_ID_AND_DATABASE_ID])
async def test_a_company_lookup_needs_exactly_one_of_id_and_database_id(
    api: Api, company: Company, query: str
) -> None:
    # when a company is asked for by neither or by both
    body = await api.graphql(query, {"id": gid("Company", company), "databaseId": company.id})

    # then the request is bad input
    assert only_error(body) == ("BAD_USER_INPUT", "Pass exactly one of `id` and `databaseId`.")


async def test_a_company_lookup_by_a_malformed_or_foreign_id_is_bad_input(
    api: Api, owner: Person, company: Company
) -> None:
    # given an id that is not an id, and the id of a category
    category = await make_category(owner, company)

    # when a company is looked up by them
    malformed = await api.graphql(COMPANY_BY_ID, {"id": "not-an-id"})
    foreign = await api.graphql(COMPANY_BY_ID, {"id": gid("Category", category)})

    # then both are refused as bad input, naming the field
    assert only_error(malformed) == ("BAD_USER_INPUT", "The id is not valid.")
    assert only_error(foreign) == ("BAD_USER_INPUT", "The id is not of type Company.")
    assert foreign["errors"][0]["extensions"]["errors"] == [
        {"field": "id", "message": "The id is not of type Company."}
    ]


@pytest.mark.parametrize("viewer", ["anonymous", "outsider"])
async def test_a_private_company_is_not_found_on_every_path(
    api: Api, anonymous: Person, outsider: Person, private_company: Company, viewer: str
) -> None:
    # given a private company and someone who is not a member
    person = {"anonymous": anonymous, "outsider": outsider}[viewer]
    hidden = gid("Company", private_company)

    # when they look it up every way there is
    lookups = [
        await api.graphql(COMPANY_BY_ID, {"id": hidden}, as_=person),
        await api.graphql(COMPANY_BY_DATABASE_ID, {"databaseId": private_company.id}, as_=person),
        await api.graphql(NODE, {"id": hidden}, as_=person),
    ]
    several = await api.graphql(NODES, {"ids": [hidden]}, as_=person)

    # then each answers NOT_FOUND and a null, `nodes` a null entry with its error
    assert [only_error(body) for body in lookups] == [("NOT_FOUND", "Company not found.")] * 3
    assert [list(body["data"].values()) for body in lookups] == [[None]] * 3
    assert several["data"]["nodes"] == [None]
    assert several["errors"][0]["path"] == ["nodes", 0]
    assert only_error(several) == ("NOT_FOUND", "Company not found.")


async def test_a_hidden_company_and_a_missing_one_look_the_same(
    api: Api, outsider: Person, private_company: Company
) -> None:
    # when an outsider looks up a private company and a company that does not exist
    hidden = await api.graphql(COMPANY_BY_ID, {"id": gid("Company", private_company)}, as_=outsider)
    missing = await api.graphql(COMPANY_BY_ID, {"id": MISSING_COMPANY_ID}, as_=outsider)
    missing_node = await api.graphql(NODE, {"id": MISSING_COMPANY_ID}, as_=outsider)

    # then the answers cannot be told apart
    assert hidden == missing
    assert only_error(missing_node) == only_error(hidden) == ("NOT_FOUND", "Company not found.")


async def test_company_ids_no_row_can_have_are_refused_without_a_server_error(api: Api) -> None:
    # when a company is looked up by a global id beyond any row, and by database id 0
    forged = await api.graphql(COMPANY_BY_ID, {"id": to_global_id("Company", 10**20)})
    zero = await api.graphql(COMPANY_BY_DATABASE_ID, {"databaseId": 0})

    # then both are simply not found, like any missing company
    assert only_error(forged) == only_error(zero) == ("NOT_FOUND", "Company not found.")


@pytest.mark.parametrize("role", ["owner", "admin", "member"])
async def test_members_see_a_private_company_on_every_path(
    api: Api, owner: Person, admin: Person, member: Person, private_company: Company, role: str
) -> None:
    # given a member of a private company
    person = {"owner": owner, "admin": admin, "member": member}[role]
    wanted = gid("Company", private_company)

    # when they look it up every way there is
    by_id = await api.data(COMPANY_BY_ID, {"id": wanted}, as_=person)
    by_database_id = await api.data(
        COMPANY_BY_DATABASE_ID, {"databaseId": private_company.id}, as_=person
    )
    node = await api.data(NODE, {"id": wanted}, as_=person)
    several = await api.data(NODES, {"ids": [wanted]}, as_=person)

    # then every path answers it, with their role
    assert by_id["company"]["name"] == by_database_id["company"]["name"] == "Private Ltd"
    assert by_id["company"]["isPublic"] is False
    assert by_id["company"]["viewerRole"] == role.upper()
    assert node["node"] == {"id": wanted, "name": "Private Ltd", "viewerRole": role.upper()}
    assert several["nodes"] == [{"id": wanted, "name": "Private Ltd"}]


async def test_viewer_role_is_the_viewers_own_role_or_null(
    api: Api,
    owner: Person,
    admin: Person,
    member: Person,
    outsider: Person,
    anonymous: Person,
    company: Company,
) -> None:
    # when everyone reads the public company's viewerRole
    seen = {
        name: (await company_seen_by(api, person, company))["viewerRole"]
        for name, person in [
            ("owner", owner),
            ("admin", admin),
            ("member", member),
            ("outsider", outsider),
            ("anonymous", anonymous),
        ]
    }

    # then each member sees their own role, and the rest see none
    assert seen == {
        "owner": "OWNER",
        "admin": "ADMIN",
        "member": "MEMBER",
        "outsider": None,
        "anonymous": None,
    }


async def test_viewer_companies_lists_only_the_viewers_memberships(
    api: Api, owner: Person, member: Person, company: Company, private_company: Company
) -> None:
    # given a public company the member does not belong to
    await make_company(owner, name="Owners Only Inc")

    # when the member lists their own companies
    data = await api.data(VIEWER_COMPANIES, as_=member)

    # then exactly their two companies are listed, with their role, oldest first
    companies = data["viewer"]["companies"]
    assert [edge["node"] for edge in companies["edges"]] == [
        {"name": company.name, "viewerRole": "MEMBER"},
        {"name": "Private Ltd", "viewerRole": "MEMBER"},
    ]
    assert companies["totalCount"] == 2


async def test_viewer_companies_is_empty_for_an_outsider_and_absent_for_anonymous(
    api: Api, outsider: Person, anonymous: Person, company: Company, private_company: Company
) -> None:
    # when an outsider and an anonymous client ask for their companies
    mine = await api.data(VIEWER_COMPANIES, as_=outsider)
    nobodys = await api.data(VIEWER_COMPANIES, as_=anonymous)

    # then the outsider has none, and anonymous has no viewer at all
    assert mine["viewer"]["companies"]["edges"] == []
    assert mine["viewer"]["companies"]["totalCount"] == 0
    assert nobodys["viewer"] is None


async def test_viewer_companies_pages_forwards(api: Api, owner: Person) -> None:
    # given three companies the owner owns
    for name in ("One", "Two", "Three"):
        await make_company(owner, name=name)

    # when the owner walks their companies two at a time
    first = await api.data(VIEWER_COMPANIES, {"first": 2}, as_=owner)
    cursor = first["viewer"]["companies"]["edges"][-1]["cursor"]
    second = await api.data(VIEWER_COMPANIES, {"first": 2, "after": cursor}, as_=owner)

    # then the pages follow each other
    pages = [first["viewer"]["companies"], second["viewer"]["companies"]]
    assert [[edge["node"]["name"] for edge in page["edges"]] for page in pages] == [
        ["One", "Two"],
        ["Three"],
    ]
    assert [page["pageInfo"] for page in pages] == [
        {"hasNextPage": True, "hasPreviousPage": False},
        {"hasNextPage": False, "hasPreviousPage": True},
    ]


# --- pagination of `companies` (oldest first) -----------------------------------------------------


async def test_companies_page_forwards_with_first_and_after(api: Api, owner: Person) -> None:
    # given five public companies
    for name in ("A", "B", "C", "D", "E"):
        await make_company(owner, name=name)

    # when a client walks them two at a time from the start
    first = await api.data(COMPANIES, {"first": 2})
    second = await api.data(
        COMPANIES, {"first": 2, "after": first["companies"]["pageInfo"]["endCursor"]}
    )
    third = await api.data(
        COMPANIES, {"first": 2, "after": second["companies"]["pageInfo"]["endCursor"]}
    )

    # then the pages follow each other without gaps or repeats, and say what lies around them
    assert [names(page) for page in (first, second, third)] == [["A", "B"], ["C", "D"], ["E"]]
    flags = [
        (
            page["companies"]["pageInfo"]["hasPreviousPage"],
            page["companies"]["pageInfo"]["hasNextPage"],
        )
        for page in (first, second, third)
    ]
    assert flags == [(False, True), (True, True), (True, False)]
    assert [page["companies"]["totalCount"] for page in (first, second, third)] == [5, 5, 5]


async def test_companies_page_backwards_with_last_and_before(api: Api, owner: Person) -> None:
    # given five public companies
    for name in ("A", "B", "C", "D", "E"):
        await make_company(owner, name=name)

    # when a client walks them two at a time from the end
    last = await api.data(COMPANIES, {"last": 2})
    before_last = await api.data(
        COMPANIES, {"last": 2, "before": last["companies"]["pageInfo"]["startCursor"]}
    )
    earliest = await api.data(
        COMPANIES, {"last": 2, "before": before_last["companies"]["pageInfo"]["startCursor"]}
    )

    # then each page keeps the list's order, and the flags say what lies around it
    assert [names(page) for page in (last, before_last, earliest)] == [
        ["D", "E"],
        ["B", "C"],
        ["A"],
    ]
    flags = [
        (
            page["companies"]["pageInfo"]["hasPreviousPage"],
            page["companies"]["pageInfo"]["hasNextPage"],
        )
        for page in (last, before_last, earliest)
    ]
    assert flags == [(True, False), (True, True), (False, True)]
    assert [page["companies"]["totalCount"] for page in (last, before_last, earliest)] == [5, 5, 5]


async def test_cursors_are_the_edges_own(api: Api, owner: Person) -> None:
    # given three public companies
    for name in ("A", "B", "C"):
        await make_company(owner, name=name)

    # when a client continues after the cursor of the first edge
    everything = await api.data(COMPANIES)
    edges = everything["companies"]["edges"]
    rest = await api.data(COMPANIES, {"after": edges[0]["cursor"]})

    # then the page starts right after that edge, and the page's cursors are its edges' cursors
    assert names(rest) == ["B", "C"]
    info = everything["companies"]["pageInfo"]
    assert (info["startCursor"], info["endCursor"]) == (edges[0]["cursor"], edges[-1]["cursor"])


async def test_an_empty_page_has_no_cursors(api: Api) -> None:
    # when there are no companies at all
    data = await api.data(COMPANIES, {"first": 5})

    # then the page is empty and says so
    assert data["companies"] == {
        "edges": [],
        "pageInfo": {
            "hasNextPage": False,
            "hasPreviousPage": False,
            "startCursor": None,
            "endCursor": None,
        },
        "totalCount": 0,
    }


async def test_pages_skip_private_companies_the_viewer_cannot_see(
    api: Api, owner: Person, outsider: Person
) -> None:
    # given public and private companies, interleaved
    for name, public in (("A", True), ("Hidden 1", False), ("B", True), ("Hidden 2", False)):
        await make_company(owner, name=name, public=public)
    await make_company(owner, name="C")

    # when an outsider pages through them
    first = await api.data(COMPANIES, {"first": 2}, as_=outsider)
    second = await api.data(
        COMPANIES, {"first": 2, "after": first["companies"]["pageInfo"]["endCursor"]}, as_=outsider
    )

    # then the private ones are neither on a page nor counted
    assert [names(first), names(second)] == [["A", "B"], ["C"]]
    assert second["companies"]["pageInfo"]["hasNextPage"] is False
    assert second["companies"]["totalCount"] == 3


async def test_page_sizes_beyond_the_limit_are_bad_input(api: Api) -> None:
    # when a client asks for more than 100 companies, or a negative number, or both directions
    too_many = await api.graphql(COMPANIES, {"first": 101})
    negative = await api.graphql(COMPANIES, {"last": -1})
    both = await api.graphql(COMPANIES, {"first": 1, "last": 1})

    # then each is refused with a message
    assert only_error(too_many) == ("BAD_USER_INPUT", "`first` must be between 0 and 100.")
    assert only_error(negative) == ("BAD_USER_INPUT", "`last` must be between 0 and 100.")
    assert only_error(both) == ("BAD_USER_INPUT", "Pass either `first` or `last`, not both.")


async def test_a_malformed_cursor_is_bad_input(api: Api) -> None:
    # when a client passes something that is not a cursor
    body = await api.graphql(COMPANIES, {"after": "garbage!"})

    # then it is refused, naming the argument
    assert only_error(body) == ("BAD_USER_INPUT", "The cursor is not valid.")
    assert body["errors"][0]["extensions"]["errors"] == [
        {"field": "after", "message": "The cursor is not valid."}
    ]
