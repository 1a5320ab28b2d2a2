"""Companies over GraphQL: reading them (`companies`, `company`, `node`, `viewer.companies`), who
sees a private company, keyset pagination (oldest first), and the mutations that create, edit and
delete companies and manage their members, with their permission matrix."""

import pytest

from issuetracker.schema.relay import to_global_id

from ..support import Api, Person, gid, make_category, make_company, make_person

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

CREATE_COMPANY = """
mutation ($input: CreateCompanyInput!) {
  createCompany(input: $input) {
    company { id name logoUrl isPublic viewerRole }
    errors { field message code }
  }
}
"""

UPDATE_COMPANY = """
mutation ($input: UpdateCompanyInput!) {
  updateCompany(input: $input) {
    company { id name logoUrl isPublic }
    errors { field message code }
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

REMOVE_MEMBER = """
mutation ($input: RemoveCompanyMemberInput!) {
  removeCompanyMember(input: $input) {
    membership { role user { name } company { name } }
    errors { field message code }
  }
}
"""

MISSING_COMPANY_ID = to_global_id("Company", 987654)


def names(data: dict) -> list[str]:
    return [edge["node"]["name"] for edge in data["companies"]["edges"]]


def only_error(body: dict) -> tuple[str, str]:
    """The code and message of the one top-level error of a refused request."""
    assert body["status"] == 200
    assert len(body["errors"]) == 1, body["errors"]
    return body["errors"][0]["extensions"]["code"], body["errors"][0]["message"]


async def company_seen_by(api: Api, person: Person, company) -> dict:
    """The company as `person` reads it now."""
    data = await api.data(COMPANY_BY_ID, {"id": gid("Company", company)}, as_=person)
    return data["company"]


async def role_of(api: Api, person: Person, company) -> str | None:
    """`person`'s role in `company`, as their own `viewer.companies` tells it."""
    data = await api.data(VIEWER_COMPANIES, as_=person)
    roles = {
        edge["node"]["name"]: edge["node"]["viewerRole"]
        for edge in data["viewer"]["companies"]["edges"]
    }
    return roles.get(company.name)


# --- reading: who sees which company --------------------------------------------------------------


async def test_anonymous_lists_public_companies_only(api: Api, company, private_company) -> None:
    # given a public and a private company

    # when an anonymous client lists companies
    data = await api.data(COMPANIES)

    # then only the public one is there, and counted
    assert names(data) == [company.name]
    assert data["companies"]["totalCount"] == 1


async def test_an_outsider_lists_public_companies_only(
    api: Api, outsider: Person, company, private_company
) -> None:
    # when a signed-in user who belongs to neither lists companies
    data = await api.data(COMPANIES, as_=outsider)

    # then the private company is neither listed nor counted
    assert names(data) == [company.name]
    assert data["companies"]["totalCount"] == 1


@pytest.mark.parametrize("role", ["owner", "admin", "member"])
async def test_members_list_their_private_company_but_not_others(
    api: Api, owner: Person, admin: Person, member: Person, company, private_company, role: str
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
    api: Api, owner: Person, company
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
    api: Api, company, query: str
) -> None:
    # when a company is asked for by neither or by both
    body = await api.graphql(query, {"id": gid("Company", company), "databaseId": company.id})

    # then the request is bad input
    assert only_error(body) == ("BAD_USER_INPUT", "Pass exactly one of `id` and `databaseId`.")


async def test_a_company_lookup_by_a_malformed_or_foreign_id_is_bad_input(
    api: Api, owner: Person, company
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
    api: Api, anonymous: Person, outsider: Person, private_company, viewer: str
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
    several = await api.data(NODES, {"ids": [hidden]}, as_=person)

    # then each answers NOT_FOUND, and `nodes` a null
    assert [only_error(body) for body in lookups] == [("NOT_FOUND", "Company not found.")] * 3
    assert [body["data"] for body in lookups] == [None] * 3
    assert several["nodes"] == [None]


async def test_a_hidden_company_and_a_missing_one_look_the_same(
    api: Api, outsider: Person, private_company
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
    api: Api, owner: Person, admin: Person, member: Person, private_company, role: str
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
    company,
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
    api: Api, owner: Person, member: Person, company, private_company
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
    api: Api, outsider: Person, anonymous: Person, company, private_company
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


# --- createCompany --------------------------------------------------------------------------------


async def test_anonymous_cannot_create_a_company(api: Api, anonymous: Person) -> None:
    # when an anonymous client tries to create a company
    body = await api.graphql(CREATE_COMPANY, {"input": {"name": "Acme"}}, as_=anonymous)

    # then it is refused as unauthenticated, and no company exists
    assert only_error(body) == ("UNAUTHENTICATED", "Unauthenticated.")
    assert body["data"] is None
    assert (await api.data(COMPANIES))["companies"]["totalCount"] == 0


async def test_any_signed_in_user_creates_a_company_and_owns_it(api: Api, outsider: Person) -> None:
    # when a user with no company creates one
    body = await api.data(
        CREATE_COMPANY,
        {"input": {"name": "  Acme  ", "logoUrl": "https://example.com/acme.png"}},
        as_=outsider,
    )

    # then it is created public, with a trimmed name, and its creator is the owner
    payload = body["createCompany"]
    assert payload["errors"] == []
    assert payload["company"]["name"] == "Acme"
    assert payload["company"]["logoUrl"] == "https://example.com/acme.png"
    assert payload["company"]["isPublic"] is True
    assert payload["company"]["viewerRole"] == "OWNER"
    assert names(await api.data(COMPANIES)) == ["Acme"]
    assert (await api.data(VIEWER_COMPANIES, as_=outsider))["viewer"]["companies"]["edges"][0][
        "node"
    ] == {"name": "Acme", "viewerRole": "OWNER"}


async def test_a_private_company_is_seen_by_its_creator_only(
    api: Api, outsider: Person, anonymous: Person, member: Person
) -> None:
    # when a user creates a private company
    body = await api.data(
        CREATE_COMPANY, {"input": {"name": "Secret Inc", "isPublic": False}}, as_=outsider
    )
    created = body["createCompany"]["company"]

    # then its creator sees it, and nobody else does
    assert created["isPublic"] is False
    mine = await api.graphql(COMPANY_BY_ID, {"id": created["id"]}, as_=outsider)
    assert mine["data"]["company"]["name"] == "Secret Inc"
    for person in (anonymous, member):
        body = await api.graphql(COMPANY_BY_ID, {"id": created["id"]}, as_=person)
        assert only_error(body) == ("NOT_FOUND", "Company not found.")


@pytest.mark.parametrize(
    ("name", "message", "code"),
    [
        ("", "The name field is required.", "REQUIRED"),
        ("   ", "The name field is required.", "REQUIRED"),
        ("x" * 256, "The name may not be greater than 255 characters.", "TOO_LONG"),
    ],
)
async def test_a_company_needs_a_name_of_sensible_length(
    api: Api, outsider: Person, name: str, message: str, code: str
) -> None:
    # when a user creates a company with an empty, blank or too long name
    body = await api.data(CREATE_COMPANY, {"input": {"name": name}}, as_=outsider)

    # then the payload names the field, and nothing is created
    assert body["createCompany"] == {
        "company": None,
        "errors": [{"field": "name", "message": message, "code": code}],
    }
    assert (await api.data(COMPANIES, as_=outsider))["companies"]["totalCount"] == 0


async def test_every_invalid_field_of_a_new_company_is_reported_at_once(
    api: Api, outsider: Person
) -> None:
    # when both the name and the logo URL are invalid
    body = await api.data(
        CREATE_COMPANY, {"input": {"name": "", "logoUrl": "x" * 2049}}, as_=outsider
    )

    # then both are reported
    assert body["createCompany"]["errors"] == [
        {"field": "name", "message": "The name field is required.", "code": "REQUIRED"},
        {
            "field": "logoUrl",
            "message": "The logo_url may not be greater than 2048 characters.",
            "code": "TOO_LONG",
        },
    ]
    assert body["createCompany"]["company"] is None


# --- updateCompany --------------------------------------------------------------------------------


async def test_anonymous_cannot_edit_a_company(api: Api, anonymous: Person, company) -> None:
    # when an anonymous client renames a company
    body = await api.graphql(
        UPDATE_COMPANY, {"input": {"id": gid("Company", company), "name": "Hacked"}}, as_=anonymous
    )

    # then it is refused as unauthenticated, and the name stays
    assert only_error(body) == ("UNAUTHENTICATED", "Unauthenticated.")
    assert (await company_seen_by(api, anonymous, company))["name"] == company.name


async def test_an_outsider_cannot_edit_a_public_company(
    api: Api, outsider: Person, company
) -> None:
    # when a non-member renames a public company
    body = await api.graphql(
        UPDATE_COMPANY, {"input": {"id": gid("Company", company), "name": "Hacked"}}, as_=outsider
    )

    # then it is forbidden, and the name stays
    assert only_error(body) == ("FORBIDDEN", "You do not have access to this company.")
    assert (await company_seen_by(api, outsider, company))["name"] == company.name


async def test_an_outsider_editing_a_private_company_finds_nothing(
    api: Api, outsider: Person, owner: Person, private_company
) -> None:
    # when a non-member renames a private company
    body = await api.graphql(
        UPDATE_COMPANY,
        {"input": {"id": gid("Company", private_company), "name": "Hacked"}},
        as_=outsider,
    )
    missing = await api.graphql(
        UPDATE_COMPANY, {"input": {"id": MISSING_COMPANY_ID, "name": "Hacked"}}, as_=outsider
    )

    # then it is not found, as for a company that does not exist, and the name stays
    assert only_error(body) == only_error(missing) == ("NOT_FOUND", "Company not found.")
    assert (await company_seen_by(api, owner, private_company))["name"] == "Private Ltd"


@pytest.mark.parametrize("role", ["owner", "admin", "member"])
async def test_members_of_every_role_edit_the_company(
    api: Api, owner: Person, admin: Person, member: Person, private_company, role: str
) -> None:
    # given a member of a private company
    person = {"owner": owner, "admin": admin, "member": member}[role]

    # when they rename it, set its logo and make it public
    body = await api.data(
        UPDATE_COMPANY,
        {
            "input": {
                "id": gid("Company", private_company),
                "name": "Open Ltd",
                "logoUrl": "https://example.com/open.png",
                "isPublic": True,
            }
        },
        as_=person,
    )

    # then the payload and later reads show the change, now to anyone
    expected = {
        "id": gid("Company", private_company),
        "name": "Open Ltd",
        "logoUrl": "https://example.com/open.png",
        "isPublic": True,
    }
    assert body["updateCompany"] == {"company": expected, "errors": []}
    assert names(await api.data(COMPANIES)) == ["Open Ltd"]


async def test_fields_left_out_of_an_update_stay_as_they_were(
    api: Api, member: Person, company
) -> None:
    # given a company with a logo
    await api.data(
        UPDATE_COMPANY,
        {"input": {"id": gid("Company", company), "logoUrl": "https://example.com/a.png"}},
        as_=member,
    )

    # when only its name changes
    body = await api.data(
        UPDATE_COMPANY, {"input": {"id": gid("Company", company), "name": "Renamed"}}, as_=member
    )

    # then the logo and visibility stay
    assert body["updateCompany"]["company"] == {
        "id": gid("Company", company),
        "name": "Renamed",
        "logoUrl": "https://example.com/a.png",
        "isPublic": True,
    }


async def test_an_empty_logo_url_removes_the_logo(api: Api, member: Person, company) -> None:
    # given a company with a logo
    await api.data(
        UPDATE_COMPANY,
        {"input": {"id": gid("Company", company), "logoUrl": "https://example.com/a.png"}},
        as_=member,
    )

    # when the logo URL is set to an empty string
    body = await api.data(
        UPDATE_COMPANY, {"input": {"id": gid("Company", company), "logoUrl": ""}}, as_=member
    )

    # then the company has no logo
    assert body["updateCompany"]["company"]["logoUrl"] is None
    assert (await company_seen_by(api, member, company))["logoUrl"] is None


async def test_making_a_company_private_hides_it_from_outsiders(
    api: Api, member: Person, outsider: Person, company
) -> None:
    # when a member makes the public company private
    await api.data(
        UPDATE_COMPANY, {"input": {"id": gid("Company", company), "isPublic": False}}, as_=member
    )

    # then outsiders no longer find it, and members still do
    body = await api.graphql(COMPANY_BY_ID, {"id": gid("Company", company)}, as_=outsider)
    assert only_error(body) == ("NOT_FOUND", "Company not found.")
    assert names(await api.data(COMPANIES, as_=outsider)) == []
    assert (await company_seen_by(api, member, company))["isPublic"] is False


@pytest.mark.parametrize("name", ["", "   "])
async def test_a_company_cannot_be_renamed_to_nothing(
    api: Api, member: Person, company, name: str
) -> None:
    # when a member clears the company's name
    body = await api.data(
        UPDATE_COMPANY, {"input": {"id": gid("Company", company), "name": name}}, as_=member
    )

    # then the payload names the field, and the name stays
    assert body["updateCompany"] == {
        "company": None,
        "errors": [{"field": "name", "message": "The name field is required.", "code": "REQUIRED"}],
    }
    assert (await company_seen_by(api, member, company))["name"] == company.name


@pytest.mark.parametrize(
    ("company_id", "message"),
    [
        ("not-an-id", "The id is not valid."),
        (to_global_id("User", 1), "The id is not of type Company."),
    ],
)
async def test_updating_by_an_invalid_id_is_a_payload_error(
    api: Api, member: Person, company, company_id: str, message: str
) -> None:
    # when a member updates a company named by something that is not a company id
    body = await api.data(
        UPDATE_COMPANY, {"input": {"id": company_id, "name": "Renamed"}}, as_=member
    )

    # then the payload names the field, and nothing changes
    assert body["updateCompany"] == {
        "company": None,
        "errors": [{"field": "id", "message": message, "code": "INVALID_ID"}],
    }
    assert (await company_seen_by(api, member, company))["name"] == company.name


# --- deleteCompany --------------------------------------------------------------------------------


async def test_anonymous_cannot_delete_a_company(api: Api, anonymous: Person, company) -> None:
    # when an anonymous client deletes a company
    body = await api.graphql(
        DELETE_COMPANY, {"input": {"id": gid("Company", company)}}, as_=anonymous
    )

    # then it is refused as unauthenticated, and the company is still there
    assert only_error(body) == ("UNAUTHENTICATED", "Unauthenticated.")
    assert names(await api.data(COMPANIES)) == [company.name]


async def test_an_outsider_cannot_delete_a_public_company(
    api: Api, outsider: Person, company
) -> None:
    # when a non-member deletes a public company
    body = await api.graphql(
        DELETE_COMPANY, {"input": {"id": gid("Company", company)}}, as_=outsider
    )

    # then it is forbidden, and the company is still there
    assert only_error(body) == ("FORBIDDEN", "You do not have access to this company.")
    assert names(await api.data(COMPANIES)) == [company.name]


async def test_an_outsider_deleting_a_private_company_finds_nothing(
    api: Api, outsider: Person, owner: Person, private_company
) -> None:
    # when a non-member deletes a private company
    body = await api.graphql(
        DELETE_COMPANY, {"input": {"id": gid("Company", private_company)}}, as_=outsider
    )

    # then it is not found, and the company is still there
    assert only_error(body) == ("NOT_FOUND", "Company not found.")
    assert names(await api.data(COMPANIES, as_=owner)) == ["Private Ltd"]


async def test_a_plain_member_cannot_delete_the_company(api: Api, member: Person, company) -> None:
    # when a member who is neither owner nor admin deletes the company
    body = await api.graphql(DELETE_COMPANY, {"input": {"id": gid("Company", company)}}, as_=member)

    # then it is forbidden, and the company is still there
    assert only_error(body) == ("FORBIDDEN", "Only owners and admins of the company may do this.")
    assert names(await api.data(COMPANIES)) == [company.name]


@pytest.mark.parametrize("role", ["owner", "admin"])
async def test_owners_and_admins_delete_the_company_with_its_categories(
    api: Api, owner: Person, admin: Person, private_company, role: str
) -> None:
    # given a private company with a category
    category = await make_category(owner, private_company, "Network")
    person = {"owner": owner, "admin": admin}[role]

    # when an owner or admin deletes it
    body = await api.data(
        DELETE_COMPANY, {"input": {"id": gid("Company", private_company)}}, as_=person
    )

    # then the payload shows what was deleted, and neither it nor its category can be found
    assert body["deleteCompany"] == {"company": {"name": "Private Ltd"}, "errors": []}
    gone = await api.graphql(COMPANY_BY_ID, {"id": gid("Company", private_company)}, as_=person)
    assert only_error(gone) == ("NOT_FOUND", "Company not found.")
    category_gone = await api.graphql(
        "query ($id: ID!) { category(id: $id) { name } }", {"id": gid("Category", category)}
    )
    assert only_error(category_gone) == ("NOT_FOUND", "Category not found.")
    assert (await api.data(VIEWER_COMPANIES, as_=person))["viewer"]["companies"]["edges"] == []


# --- addCompanyMember -----------------------------------------------------------------------------


async def test_anonymous_cannot_add_a_member(api: Api, anonymous: Person, company) -> None:
    # given a user who is not a member
    newcomer = await make_person("Nina Newcomer")
    assert newcomer.user is not None

    # when an anonymous client adds them
    body = await api.graphql(
        ADD_MEMBER,
        {"input": {"companyId": gid("Company", company), "email": newcomer.user.email}},
        as_=anonymous,
    )

    # then it is refused as unauthenticated, and they are still not a member
    assert only_error(body) == ("UNAUTHENTICATED", "Unauthenticated.")
    assert await role_of(api, newcomer, company) is None


@pytest.mark.parametrize(
    ("role", "outcome"),
    [
        ("outsider", ("FORBIDDEN", "You do not have access to this company.")),
        ("member", ("FORBIDDEN", "Only owners and admins of the company may do this.")),
    ],
)
async def test_outsiders_and_plain_members_cannot_add_members(
    api: Api, outsider: Person, member: Person, company, role: str, outcome: tuple[str, str]
) -> None:
    # given a user who is not a member
    newcomer = await make_person("Nina Newcomer")
    assert newcomer.user is not None
    person = {"outsider": outsider, "member": member}[role]

    # when a non-member or a plain member adds them
    body = await api.graphql(
        ADD_MEMBER,
        {"input": {"companyId": gid("Company", company), "email": newcomer.user.email}},
        as_=person,
    )

    # then it is forbidden, and they are still not a member
    assert only_error(body) == outcome
    assert await role_of(api, newcomer, company) is None


async def test_an_outsider_adding_to_a_private_company_finds_nothing(
    api: Api, outsider: Person, private_company
) -> None:
    # when a non-member adds themself to a private company
    assert outsider.user is not None
    body = await api.graphql(
        ADD_MEMBER,
        {"input": {"companyId": gid("Company", private_company), "email": outsider.user.email}},
        as_=outsider,
    )

    # then it is not found, and they are still not a member
    assert only_error(body) == ("NOT_FOUND", "Company not found.")
    assert await role_of(api, outsider, private_company) is None


@pytest.mark.parametrize("role", ["owner", "admin"])
async def test_owners_and_admins_add_members_and_admins(
    api: Api, owner: Person, admin: Person, private_company, role: str
) -> None:
    # given two users who are not members
    newcomer = await make_person("Nina Newcomer")
    helper = await make_person("Hal Helper")
    assert newcomer.user is not None
    assert helper.user is not None
    person = {"owner": owner, "admin": admin}[role]
    company_id = gid("Company", private_company)

    # when an owner or admin adds one (as a member, by default) and the other as an admin
    as_member = await api.data(
        ADD_MEMBER, {"input": {"companyId": company_id, "email": newcomer.user.email}}, as_=person
    )
    as_admin = await api.data(
        ADD_MEMBER,
        {"input": {"companyId": company_id, "email": helper.user.email, "role": "ADMIN"}},
        as_=person,
    )

    # then the payloads show the memberships, and the newcomers now see the private company
    assert as_member["addCompanyMember"] == {
        "membership": {
            "role": "MEMBER",
            "user": {"name": "Nina Newcomer"},
            "company": {"name": "Private Ltd"},
        },
        "errors": [],
    }
    assert as_admin["addCompanyMember"]["membership"]["role"] == "ADMIN"
    assert (await company_seen_by(api, newcomer, private_company))["viewerRole"] == "MEMBER"
    assert (await company_seen_by(api, helper, private_company))["viewerRole"] == "ADMIN"


async def test_an_email_address_is_matched_whatever_its_case(
    api: Api, owner: Person, company
) -> None:
    # given a user
    newcomer = await make_person("Nina Newcomer", email="nina@example.com")

    # when an owner adds them by their address in other case and with spaces
    body = await api.data(
        ADD_MEMBER,
        {"input": {"companyId": gid("Company", company), "email": "  Nina@EXAMPLE.com "}},
        as_=owner,
    )

    # then they are added
    assert body["addCompanyMember"]["errors"] == []
    assert await role_of(api, newcomer, company) == "MEMBER"


async def test_an_admin_cannot_make_an_owner(api: Api, admin: Person, company) -> None:
    # given a user who is not a member
    newcomer = await make_person("Nina Newcomer")
    assert newcomer.user is not None

    # when an admin adds them as an owner
    body = await api.graphql(
        ADD_MEMBER,
        {
            "input": {
                "companyId": gid("Company", company),
                "email": newcomer.user.email,
                "role": "OWNER",
            }
        },
        as_=admin,
    )

    # then it is forbidden, and they are not a member at all
    assert only_error(body) == ("FORBIDDEN", "Only owners may make someone an owner.")
    assert await role_of(api, newcomer, company) is None


async def test_an_admin_cannot_promote_a_member_to_owner(
    api: Api, admin: Person, member: Person, company
) -> None:
    # when an admin makes an existing member an owner
    assert member.user is not None
    body = await api.graphql(
        ADD_MEMBER,
        {
            "input": {
                "companyId": gid("Company", company),
                "email": member.user.email,
                "role": "OWNER",
            }
        },
        as_=admin,
    )

    # then it is forbidden, and the member keeps their role
    assert only_error(body) == ("FORBIDDEN", "Only owners may make someone an owner.")
    assert await role_of(api, member, company) == "MEMBER"


async def test_an_admin_cannot_demote_an_owner(
    api: Api, admin: Person, owner: Person, company
) -> None:
    # when an admin re-adds the owner as a plain member
    assert owner.user is not None
    body = await api.graphql(
        ADD_MEMBER,
        {
            "input": {
                "companyId": gid("Company", company),
                "email": owner.user.email,
                "role": "MEMBER",
            }
        },
        as_=admin,
    )

    # then it is forbidden, and the owner stays an owner
    assert only_error(body) == ("FORBIDDEN", "Only owners may change another owner.")
    assert await role_of(api, owner, company) == "OWNER"


async def test_an_admin_changes_the_role_of_a_member(
    api: Api, admin: Person, member: Person, company
) -> None:
    # when an admin re-adds a member as an admin
    assert member.user is not None
    body = await api.data(
        ADD_MEMBER,
        {
            "input": {
                "companyId": gid("Company", company),
                "email": member.user.email,
                "role": "ADMIN",
            }
        },
        as_=admin,
    )

    # then the member is now an admin
    assert body["addCompanyMember"]["membership"]["role"] == "ADMIN"
    assert await role_of(api, member, company) == "ADMIN"


async def test_an_owner_makes_another_owner_who_may_then_demote_the_first(
    api: Api, owner: Person, member: Person, company
) -> None:
    # given the owner promotes a member to owner
    assert member.user is not None
    assert owner.user is not None
    company_id = gid("Company", company)
    promoted = await api.data(
        ADD_MEMBER,
        {"input": {"companyId": company_id, "email": member.user.email, "role": "OWNER"}},
        as_=owner,
    )

    # when the new owner demotes the first owner to admin
    demoted = await api.data(
        ADD_MEMBER,
        {"input": {"companyId": company_id, "email": owner.user.email, "role": "ADMIN"}},
        as_=member,
    )

    # then both changes hold
    assert promoted["addCompanyMember"]["membership"]["role"] == "OWNER"
    assert demoted["addCompanyMember"]["membership"]["role"] == "ADMIN"
    assert await role_of(api, member, company) == "OWNER"
    assert await role_of(api, owner, company) == "ADMIN"


async def test_the_last_owner_cannot_step_down(api: Api, owner: Person, company) -> None:
    # when the only owner re-adds themself as an admin
    assert owner.user is not None
    body = await api.data(
        ADD_MEMBER,
        {
            "input": {
                "companyId": gid("Company", company),
                "email": owner.user.email,
                "role": "ADMIN",
            }
        },
        as_=owner,
    )

    # then the payload says why, and they stay the owner
    assert body["addCompanyMember"] == {
        "membership": None,
        "errors": [
            {
                "field": "email",
                "message": "A company must keep at least one owner.",
                "code": "LAST_OWNER",
            }
        ],
    }
    assert await role_of(api, owner, company) == "OWNER"


async def test_adding_an_existing_member_with_the_same_role_changes_nothing(
    api: Api, owner: Person, member: Person, company
) -> None:
    # when the owner adds someone who is already a member, as a member
    assert member.user is not None
    body = await api.data(
        ADD_MEMBER,
        {"input": {"companyId": gid("Company", company), "email": member.user.email}},
        as_=owner,
    )

    # then the membership is answered as it is
    assert body["addCompanyMember"]["errors"] == []
    assert body["addCompanyMember"]["membership"]["role"] == "MEMBER"
    assert await role_of(api, member, company) == "MEMBER"


@pytest.mark.parametrize(
    ("email", "message", "code"),
    [
        ("nobody@example.com", "No user has this email address.", "UNKNOWN_USER"),
        ("not an address", "The email must be a valid email address.", "INVALID_EMAIL"),
        ("", "The email field is required.", "REQUIRED"),
    ],
)
async def test_a_new_member_must_be_a_known_user(
    api: Api, owner: Person, company, email: str, message: str, code: str
) -> None:
    # when the owner adds an unknown, malformed or empty address
    body = await api.data(
        ADD_MEMBER, {"input": {"companyId": gid("Company", company), "email": email}}, as_=owner
    )

    # then the payload names the field, and no one joins
    assert body["addCompanyMember"] == {
        "membership": None,
        "errors": [{"field": "email", "message": message, "code": code}],
    }
    members = await api.data(VIEWER_COMPANIES, as_=owner)
    assert members["viewer"]["companies"]["totalCount"] == 1


async def test_adding_to_a_company_named_by_an_invalid_id_is_a_payload_error(
    api: Api, owner: Person, member: Person
) -> None:
    # when an owner names the company by something that is not a company id
    assert member.user is not None
    body = await api.data(
        ADD_MEMBER, {"input": {"companyId": "not-an-id", "email": member.user.email}}, as_=owner
    )

    # then the payload names the field
    assert body["addCompanyMember"] == {
        "membership": None,
        "errors": [{"field": "companyId", "message": "The id is not valid.", "code": "INVALID_ID"}],
    }


async def test_adding_to_a_missing_company_is_not_found(api: Api, owner: Person) -> None:
    # when a user adds someone to a company that does not exist
    assert owner.user is not None
    body = await api.graphql(
        ADD_MEMBER,
        {"input": {"companyId": MISSING_COMPANY_ID, "email": owner.user.email}},
        as_=owner,
    )

    # then it is not found
    assert only_error(body) == ("NOT_FOUND", "Company not found.")


# --- removeCompanyMember --------------------------------------------------------------------------


def removal(company, person: Person) -> dict:
    return {"input": {"companyId": gid("Company", company), "userId": person.global_id}}


async def test_anonymous_cannot_remove_a_member(
    api: Api, anonymous: Person, member: Person, company
) -> None:
    # when an anonymous client removes a member
    body = await api.graphql(REMOVE_MEMBER, removal(company, member), as_=anonymous)

    # then it is refused as unauthenticated, and the member stays
    assert only_error(body) == ("UNAUTHENTICATED", "Unauthenticated.")
    assert await role_of(api, member, company) == "MEMBER"


async def test_an_outsider_cannot_remove_a_member_of_a_public_company(
    api: Api, outsider: Person, member: Person, company
) -> None:
    # when a non-member removes a member of a public company
    body = await api.graphql(REMOVE_MEMBER, removal(company, member), as_=outsider)

    # then it is forbidden, and the member stays
    assert only_error(body) == ("FORBIDDEN", "You do not have access to this company.")
    assert await role_of(api, member, company) == "MEMBER"


async def test_an_outsider_removing_from_a_private_company_finds_nothing(
    api: Api, outsider: Person, member: Person, private_company
) -> None:
    # when a non-member removes a member of a private company
    body = await api.graphql(REMOVE_MEMBER, removal(private_company, member), as_=outsider)

    # then it is not found, and the member stays
    assert only_error(body) == ("NOT_FOUND", "Company not found.")
    assert await role_of(api, member, private_company) == "MEMBER"


async def test_a_plain_member_cannot_remove_someone_else(
    api: Api, member: Person, admin: Person, company
) -> None:
    # when a plain member removes an admin
    body = await api.graphql(REMOVE_MEMBER, removal(company, admin), as_=member)

    # then it is forbidden, and the admin stays
    assert only_error(body) == ("FORBIDDEN", "Only owners and admins of the company may do this.")
    assert await role_of(api, admin, company) == "ADMIN"


async def test_a_member_may_leave_a_company(api: Api, member: Person, private_company) -> None:
    # when a plain member removes themself from a private company
    body = await api.data(REMOVE_MEMBER, removal(private_company, member), as_=member)

    # then they are no longer a member and no longer see it
    assert body["removeCompanyMember"] == {
        "membership": {
            "role": "MEMBER",
            "user": {"name": "Mia Member"},
            "company": {"name": "Private Ltd"},
        },
        "errors": [],
    }
    gone = await api.graphql(COMPANY_BY_ID, {"id": gid("Company", private_company)}, as_=member)
    assert only_error(gone) == ("NOT_FOUND", "Company not found.")


@pytest.mark.parametrize("role", ["owner", "admin"])
async def test_owners_and_admins_remove_members(
    api: Api, owner: Person, admin: Person, member: Person, company, role: str
) -> None:
    # when an owner or admin removes a plain member
    person = {"owner": owner, "admin": admin}[role]
    body = await api.data(REMOVE_MEMBER, removal(company, member), as_=person)

    # then the member is gone
    assert body["removeCompanyMember"]["errors"] == []
    assert body["removeCompanyMember"]["membership"]["user"] == {"name": "Mia Member"}
    assert await role_of(api, member, company) is None


async def test_an_owner_removes_an_admin(api: Api, owner: Person, admin: Person, company) -> None:
    # when the owner removes the admin
    body = await api.data(REMOVE_MEMBER, removal(company, admin), as_=owner)

    # then the admin is gone
    assert body["removeCompanyMember"]["membership"]["role"] == "ADMIN"
    assert await role_of(api, admin, company) is None


async def test_an_admin_cannot_remove_an_owner(
    api: Api, admin: Person, owner: Person, company
) -> None:
    # when an admin removes the owner
    body = await api.graphql(REMOVE_MEMBER, removal(company, owner), as_=admin)

    # then it is forbidden, and the owner stays
    assert only_error(body) == ("FORBIDDEN", "Only owners may change another owner.")
    assert await role_of(api, owner, company) == "OWNER"


async def test_the_last_owner_cannot_leave(api: Api, owner: Person, company) -> None:
    # when the only owner removes themself
    body = await api.data(REMOVE_MEMBER, removal(company, owner), as_=owner)

    # then the payload says why, and they stay the owner
    assert body["removeCompanyMember"] == {
        "membership": None,
        "errors": [
            {
                "field": "userId",
                "message": "A company must keep at least one owner.",
                "code": "LAST_OWNER",
            }
        ],
    }
    assert await role_of(api, owner, company) == "OWNER"


async def test_one_of_two_owners_may_remove_the_other(api: Api, owner: Person, company) -> None:
    # given a second owner
    second = await make_person("Sid Second")
    assert second.user is not None
    await api.data(
        ADD_MEMBER,
        {
            "input": {
                "companyId": gid("Company", company),
                "email": second.user.email,
                "role": "OWNER",
            }
        },
        as_=owner,
    )

    # when the second owner removes the first
    body = await api.data(REMOVE_MEMBER, removal(company, owner), as_=second)

    # then the first is no longer a member, and the second still owns the company
    assert body["removeCompanyMember"]["membership"]["role"] == "OWNER"
    assert await role_of(api, owner, company) is None
    assert await role_of(api, second, company) == "OWNER"


async def test_removing_someone_who_is_not_a_member_is_not_found(
    api: Api, owner: Person, outsider: Person, company
) -> None:
    # when the owner removes a user who never was a member
    body = await api.graphql(REMOVE_MEMBER, removal(company, outsider), as_=owner)

    # then it is not found
    assert only_error(body) == ("NOT_FOUND", "Member not found.")


async def test_removing_a_user_named_by_an_invalid_id_is_a_payload_error(
    api: Api, owner: Person, member: Person, company
) -> None:
    # when the owner names the user by a company id
    body = await api.data(
        REMOVE_MEMBER,
        {"input": {"companyId": gid("Company", company), "userId": gid("Company", company)}},
        as_=owner,
    )

    # then the payload names the field, and the member stays
    assert body["removeCompanyMember"] == {
        "membership": None,
        "errors": [
            {"field": "userId", "message": "The id is not of type User.", "code": "INVALID_ID"}
        ],
    }
    assert await role_of(api, member, company) == "MEMBER"


async def test_roles_are_per_company(api: Api, owner: Person, member: Person, company) -> None:
    # given the member owns another company
    theirs = await make_company(member, name="Member Co")

    # when the member, an owner elsewhere, tries to delete the company where they are a member
    body = await api.graphql(DELETE_COMPANY, {"input": {"id": gid("Company", company)}}, as_=member)

    # then their role here is what counts
    assert only_error(body) == ("FORBIDDEN", "Only owners and admins of the company may do this.")
    assert await role_of(api, member, theirs) == "OWNER"
    assert await role_of(api, member, company) == "MEMBER"
