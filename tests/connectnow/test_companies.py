"""ConnectNow /api/companies: the list and `with`, create, show, edit and delete, and who may do
each (any signed-in user creates; members edit; owners and admins delete)."""

import pytest
from aiohttp.test_utils import TestClient

from issuetracker.models import Company

from ..support import Person, make_category, make_company, make_issue
from .helpers import (
    CATEGORIES,
    CATEGORY_KEYS,
    COMPANIES,
    COMPANY,
    COMPANY_KEYS,
    ISSUE_KEYS,
    PAGE_KEYS,
    UNAUTHENTICATED,
    assert_timestamps,
    delete,
    get,
    ids,
    names,
    post,
    put,
)

# --- the list -----------------------------------------------------------------------------------


async def test_the_list_has_the_paginator_envelope_and_the_sample_company_shape(
    client: TestClient, owner: Person
) -> None:
    # given a company
    company = await make_company(owner, name="ConnectNow")

    # when anyone lists companies
    reply = await get(client, COMPANIES)

    # then the envelope and the row are those of the samples
    assert reply.status == 200
    assert set(reply.body) == PAGE_KEYS
    assert reply.body["per_page"] == 15
    assert reply.body["path"].endswith("/api/companies")
    [row] = reply.body["data"]
    assert set(row) == COMPANY_KEYS
    assert (row["id"], row["name"]) == (company.id, "ConnectNow")
    assert_timestamps(row)


async def test_companies_are_listed_oldest_first(client: TestClient, owner: Person) -> None:
    # given three companies made one after another
    for name in ("Alpha", "Beta", "Gamma"):
        await make_company(owner, name=name)

    # when anyone lists them
    reply = await get(client, COMPANIES)

    # then they come in the order they were made
    assert names(reply) == ["Alpha", "Beta", "Gamma"]


async def test_private_companies_are_listed_for_members_only(
    client: TestClient,
    member: Person,
    outsider: Person,
    anonymous: Person,
    company: Company,
    private_company: Company,
) -> None:
    # given a public and a private company

    # when each person lists companies
    as_member = await get(client, COMPANIES, as_=member)
    as_outsider = await get(client, COMPANIES, as_=outsider)
    as_anonymous = await get(client, COMPANIES, as_=anonymous)

    # then only members see the private one
    assert ids(as_member) == [company.id, private_company.id]
    assert ids(as_outsider) == [company.id]
    assert ids(as_anonymous) == [company.id]


@pytest.mark.parametrize(
    "query", ["?with[]=categories&with[]=issues", "?with=categories,issues"], ids=["array", "csv"]
)
async def test_with_categories_and_issues_in_either_form(
    client: TestClient, owner: Person, company: Company, query: str
) -> None:
    # given a company with two categories and an issue in both, and one more issue
    network = await make_category(owner, company, "Network")
    printers = await make_category(owner, company, "Printers")
    shared = await make_issue(owner, network, printers)
    newer = await make_issue(owner, printers)

    # when the list asks for categories and issues
    reply = await get(client, COMPANIES + query)

    # then both are appended; each issue once, newest first
    [row] = reply.body["data"]
    assert set(row) == COMPANY_KEYS | {"categories", "issues"}
    assert [category["name"] for category in row["categories"]] == ["Network", "Printers"]
    for category in row["categories"]:
        assert set(category) == CATEGORY_KEYS
    assert [issue["id"] for issue in row["issues"]] == [newer.id, shared.id]
    for issue in row["issues"]:
        assert set(issue) == ISSUE_KEYS
        assert_timestamps(issue)


async def test_with_issues_shows_only_issues_the_caller_may_see(
    client: TestClient, owner: Person, member: Person, company: Company
) -> None:
    # given a company's issue that was deleted, and one that was not
    category = await make_category(owner, company)
    kept = await make_issue(owner, category)
    gone = await make_issue(owner, category)
    assert (await delete(client, f"/api/issues/{gone.id}", as_=member)).status == 204

    # when the company is listed with its issues
    reply = await get(client, COMPANIES + "?with=issues")

    # then only the kept one is there
    assert [issue["id"] for issue in reply.body["data"][0]["issues"]] == [kept.id]


async def test_an_unknown_with_value_is_refused(client: TestClient) -> None:
    # when the list asks for a relation companies do not have
    reply = await get(client, COMPANIES + "?with=members")

    # then it is a validation error on `with`
    assert reply.status == 422
    assert list(reply.body["errors"]) == ["with"]


# --- create -------------------------------------------------------------------------------------


async def test_any_signed_in_user_creates_a_company_and_may_then_manage_it(
    client: TestClient, outsider: Person
) -> None:
    # when a user who belongs to no company creates one
    reply = await post(client, COMPANIES, as_=outsider, json={"name": "ConnectNow"})

    # then it is created in the sample's shape, and its creator has access to it
    assert reply.status == 201
    assert set(reply.body) == COMPANY_KEYS
    assert reply.body["name"] == "ConnectNow"
    assert_timestamps(reply.body)
    body = {"name": "IT", "company_id": reply.body["id"]}
    assert (await post(client, CATEGORIES, as_=outsider, json=body)).status == 201


async def test_a_company_is_created_from_a_form_body(client: TestClient, outsider: Person) -> None:
    # when a Laravel client posts the company form-encoded
    reply = await post(client, COMPANIES, as_=outsider, data={"name": "Formed Ltd"})

    # then it is created
    assert reply.status == 201
    assert reply.body["name"] == "Formed Ltd"


async def test_creating_needs_a_token(client: TestClient) -> None:
    # when anonymous creates a company
    reply = await post(client, COMPANIES, json={"name": "Ghost Ltd"})

    # then 401 and nothing is created
    assert reply.status == 401
    assert reply.body == UNAUTHENTICATED
    assert ids(await get(client, COMPANIES)) == []


@pytest.mark.parametrize(
    "body",
    [{}, {"name": ""}, {"name": "x" * 256}, {"name": None}, {"name": {"en": "X"}}],
    ids=["missing", "empty", "256", "null", "object"],
)
async def test_invalid_input_creates_no_company(
    client: TestClient, outsider: Person, body: dict
) -> None:
    # when a company is created with an invalid name
    reply = await post(client, COMPANIES, as_=outsider, json=body)

    # then the name is reported and nothing is created
    assert reply.status == 422
    assert set(reply.body) == {"message", "errors"}
    assert list(reply.body["errors"]) == ["name"]
    assert ids(await get(client, COMPANIES, as_=outsider)) == []


# --- show ---------------------------------------------------------------------------------------


async def test_a_single_company_has_the_sample_shape(client: TestClient, owner: Person) -> None:
    # given a company
    company = await make_company(owner, name="ConnectNow")

    # when anyone reads it
    reply = await get(client, COMPANY.format(company.id))

    # then it is the sample's object
    assert reply.status == 200
    assert set(reply.body) == COMPANY_KEYS
    assert (reply.body["id"], reply.body["name"]) == (company.id, "ConnectNow")
    assert_timestamps(reply.body)


async def test_a_single_company_with_includes(
    client: TestClient, owner: Person, company: Company
) -> None:
    # given a company with a category and an issue
    category = await make_category(owner, company)
    issue = await make_issue(owner, category)

    # when it is read with its categories and issues
    reply = await get(client, COMPANY.format(company.id) + "?with[]=categories&with[]=issues")

    # then both are appended
    assert reply.status == 200
    assert [row["id"] for row in reply.body["categories"]] == [category.id]
    assert [row["id"] for row in reply.body["issues"]] == [issue.id]


async def test_a_single_company_refuses_an_unknown_with(
    client: TestClient, company: Company
) -> None:
    # when a company is read with an unknown relation
    reply = await get(client, COMPANY.format(company.id) + "?with=company")

    # then it is a validation error
    assert reply.status == 422
    assert "with" in reply.body["errors"]


async def test_a_private_company_is_shown_to_members_only(
    client: TestClient,
    member: Person,
    outsider: Person,
    anonymous: Person,
    private_company: Company,
) -> None:
    # given a private company

    # when each person reads it, and someone reads a company that does not exist
    as_member = await get(client, COMPANY.format(private_company.id), as_=member)
    as_outsider = await get(client, COMPANY.format(private_company.id), as_=outsider)
    as_anonymous = await get(client, COMPANY.format(private_company.id), as_=anonymous)
    missing = await get(client, COMPANY.format(999999), as_=outsider)

    # then a member sees it; for the others it is missing, like the one that never existed
    assert as_member.status == 200
    assert as_member.body["name"] == private_company.name
    assert as_outsider.status == as_anonymous.status == missing.status == 404
    assert as_outsider.body == as_anonymous.body == missing.body


# --- edit ---------------------------------------------------------------------------------------


async def test_a_member_renames_the_company(
    client: TestClient, member: Person, company: Company
) -> None:
    # when a plain member renames the company
    reply = await put(client, COMPANY.format(company.id), as_=member, json={"name": "Renamed"})

    # then it is answered and stored renamed
    assert reply.status == 200
    assert set(reply.body) == COMPANY_KEYS
    assert reply.body["name"] == "Renamed"
    assert_timestamps(reply.body)
    assert (await get(client, COMPANY.format(company.id))).body["name"] == "Renamed"


async def test_a_company_is_renamed_from_a_form_body(
    client: TestClient, member: Person, company: Company
) -> None:
    # when it is renamed form-encoded
    reply = await put(client, COMPANY.format(company.id), as_=member, data={"name": "Formed"})

    # then it is renamed
    assert reply.status == 200
    assert (await get(client, COMPANY.format(company.id))).body["name"] == "Formed"


@pytest.mark.parametrize(
    "body", [{}, {"name": "  "}, {"name": "x" * 256}], ids=["missing", "blank", "256"]
)
async def test_an_invalid_rename_changes_nothing(
    client: TestClient, member: Person, company: Company, body: dict
) -> None:
    # given the company as it is
    before = await get(client, COMPANY.format(company.id))

    # when it is renamed invalidly
    reply = await put(client, COMPANY.format(company.id), as_=member, json=body)

    # then the name is reported and the company is unchanged
    assert reply.status == 422
    assert list(reply.body["errors"]) == ["name"]
    assert (await get(client, COMPANY.format(company.id))).body == before.body


async def test_renaming_needs_a_token(client: TestClient, company: Company) -> None:
    # when anonymous renames a company
    reply = await put(client, COMPANY.format(company.id), json={"name": "Hacked"})

    # then 401 and it keeps its name
    assert reply.status == 401
    assert reply.body == UNAUTHENTICATED
    assert (await get(client, COMPANY.format(company.id))).body["name"] == company.name


async def test_an_outsider_may_not_rename_a_public_company(
    client: TestClient, outsider: Person, company: Company
) -> None:
    # when an outsider renames a public company
    reply = await put(client, COMPANY.format(company.id), as_=outsider, json={"name": "Mine"})

    # then it is forbidden and it keeps its name
    assert reply.status == 403
    assert isinstance(reply.body["message"], str)
    assert (await get(client, COMPANY.format(company.id))).body["name"] == company.name


@pytest.mark.parametrize("hidden", [True, False], ids=["private", "missing"])
async def test_renaming_a_hidden_or_missing_company_is_404(
    client: TestClient, outsider: Person, private_company: Company, hidden: bool
) -> None:
    # when an outsider renames a private company, or one that does not exist
    url = COMPANY.format(private_company.id if hidden else 999999)
    reply = await put(client, url, as_=outsider, json={"name": "Mine"})

    # then it is not found
    assert reply.status == 404


# --- delete -------------------------------------------------------------------------------------


@pytest.mark.parametrize("role", ["owner", "admin"])
async def test_owners_and_admins_delete_the_company(
    client: TestClient, owner: Person, admin: Person, company: Company, role: str
) -> None:
    # given a second company that stays
    kept = await make_company(owner, name="Kept")
    person = owner if role == "owner" else admin

    # when an owner or admin deletes the first
    reply = await delete(client, COMPANY.format(company.id), as_=person)

    # then 204 without a body, and it is gone from the list and the show
    assert reply.status == 204
    assert reply.body is None
    assert ids(await get(client, COMPANIES, as_=person)) == [kept.id]
    assert (await get(client, COMPANY.format(company.id), as_=person)).status == 404


@pytest.mark.parametrize("role", ["member", "outsider"])
async def test_members_and_outsiders_may_not_delete_the_company(
    client: TestClient, member: Person, outsider: Person, company: Company, role: str
) -> None:
    # when a plain member or an outsider deletes the company
    person = member if role == "member" else outsider
    reply = await delete(client, COMPANY.format(company.id), as_=person)

    # then it is forbidden and the company stays
    assert reply.status == 403
    assert ids(await get(client, COMPANIES)) == [company.id]


async def test_deleting_needs_a_token(client: TestClient, company: Company) -> None:
    # when anonymous deletes a company
    reply = await delete(client, COMPANY.format(company.id))

    # then 401 and the company stays
    assert reply.status == 401
    assert reply.body == UNAUTHENTICATED
    assert ids(await get(client, COMPANIES)) == [company.id]


@pytest.mark.parametrize("hidden", [True, False], ids=["private", "missing"])
async def test_deleting_a_hidden_or_missing_company_is_404(
    client: TestClient, member: Person, outsider: Person, private_company: Company, hidden: bool
) -> None:
    # when an outsider deletes a private company, or one that does not exist
    url = COMPANY.format(private_company.id if hidden else 999999)
    reply = await delete(client, url, as_=outsider)

    # then it is not found, and the private company stays for its members
    assert reply.status == 404
    assert ids(await get(client, COMPANIES, as_=member)) == [private_company.id]
