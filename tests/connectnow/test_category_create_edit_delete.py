"""ConnectNow POST, PUT and DELETE on /api/categories: members of the category's company create,
rename and delete it; others may not; and an invalid or refused request changes nothing."""

import pytest
from aiohttp.test_utils import TestClient

from issuetracker.models import Company

from ..support import Person, make_category
from .helpers import (
    CATEGORIES,
    CATEGORY,
    CATEGORY_KEYS,
    UNAUTHENTICATED,
    assert_timestamps,
    delete,
    get,
    ids,
    post,
    put,
)

# --- create -------------------------------------------------------------------------------------


async def test_a_member_creates_a_category(
    client: TestClient, member: Person, company: Company
) -> None:
    # when a member of the company creates a category in it
    body = {"name": "IT department", "company_id": company.id}
    reply = await post(client, CATEGORIES, as_=member, json=body)

    # then it is created and answered in the sample's shape
    assert reply.status == 201
    assert set(reply.body) == CATEGORY_KEYS
    assert reply.body["name"] == "IT department"
    assert reply.body["company_id"] == company.id
    assert_timestamps(reply.body)
    assert (await get(client, CATEGORY.format(reply.body["id"]))).body == reply.body


async def test_a_category_is_created_from_a_form_body(
    client: TestClient, member: Person, company: Company
) -> None:
    # when a Laravel client posts the category form-encoded
    form = {"name": "Printers", "company_id": str(company.id)}
    reply = await post(client, CATEGORIES, as_=member, data=form)

    # then it is created as from JSON
    assert reply.status == 201
    assert (reply.body["name"], reply.body["company_id"]) == ("Printers", company.id)


async def test_creating_needs_a_token(client: TestClient, company: Company) -> None:
    # when anonymous creates a category
    reply = await post(client, CATEGORIES, json={"name": "Sneaky", "company_id": company.id})

    # then 401 and nothing is created
    assert reply.status == 401
    assert reply.body == UNAUTHENTICATED
    assert ids(await get(client, CATEGORIES)) == []


async def test_creating_needs_access_to_the_company(
    client: TestClient, outsider: Person, company: Company
) -> None:
    # when an outsider creates a category in a public company
    body = {"name": "Sneaky", "company_id": company.id}
    reply = await post(client, CATEGORIES, as_=outsider, json=body)

    # then it is forbidden and nothing is created
    assert reply.status == 403
    assert isinstance(reply.body["message"], str)
    assert ids(await get(client, CATEGORIES)) == []


async def test_a_hidden_company_is_as_unknown_as_a_missing_one(
    client: TestClient, outsider: Person, member: Person, private_company: Company
) -> None:
    # when an outsider creates categories in a private company and in one that does not exist
    hidden = await post(
        client, CATEGORIES, as_=outsider, json={"name": "X", "company_id": private_company.id}
    )
    missing = await post(client, CATEGORIES, as_=outsider, json={"name": "X", "company_id": 999999})

    # then both are the same validation error on company_id, and nothing is created
    assert hidden.status == missing.status == 422
    assert hidden.body == missing.body
    assert list(hidden.body["errors"]) == ["company_id"]
    assert ids(await get(client, CATEGORIES, as_=member)) == []


async def test_creating_without_fields_names_each_one(client: TestClient, member: Person) -> None:
    # when a signed-in user sends an empty body
    reply = await post(client, CATEGORIES, as_=member, json={})

    # then both required fields are named
    assert reply.status == 422
    assert set(reply.body) == {"message", "errors"}
    assert set(reply.body["errors"]) == {"name", "company_id"}


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"name": "x" * 256}, "name"),
        ({"name": "  "}, "name"),
        ({"name": ["IT"]}, "name"),
        ({"company_id": "abc"}, "company_id"),
        ({"company_id": True}, "company_id"),
        ({"company_id": 1.5}, "company_id"),
    ],
    ids=["name-256", "blank-name", "list-name", "text-company", "boolean-company", "float-company"],
)
async def test_invalid_input_creates_no_category(
    client: TestClient, member: Person, company: Company, overrides: dict, field: str
) -> None:
    # when a category is created with one invalid field
    body = {"name": "IT", "company_id": company.id, **overrides}
    reply = await post(client, CATEGORIES, as_=member, json=body)

    # then that field is reported and nothing is created
    assert reply.status == 422
    assert field in reply.body["errors"]
    assert ids(await get(client, CATEGORIES)) == []


async def test_a_category_name_is_unique_within_its_company(
    client: TestClient, owner: Person, member: Person, company: Company
) -> None:
    # given a category named "Network"
    existing = await make_category(owner, company, "Network")

    # when another is created with the same name in the same company
    body = {"name": "Network", "company_id": company.id}
    reply = await post(client, CATEGORIES, as_=member, json=body)

    # then it is refused
    assert reply.status == 422
    assert list(reply.body["errors"]) == ["name"]
    assert ids(await get(client, CATEGORIES)) == [existing.id]


# --- edit ---------------------------------------------------------------------------------------


async def test_a_member_renames_a_category(
    client: TestClient, owner: Person, member: Person, company: Company
) -> None:
    # given a category
    category = await make_category(owner, company, "IT")

    # when a member renames it
    reply = await put(client, CATEGORY.format(category.id), as_=member, json={"name": "IT dept"})

    # then it is answered and stored renamed, still in its company
    assert reply.status == 200
    assert set(reply.body) == CATEGORY_KEYS
    assert (reply.body["name"], reply.body["company_id"]) == ("IT dept", company.id)
    assert_timestamps(reply.body)
    assert (await get(client, CATEGORY.format(category.id))).body["name"] == "IT dept"


async def test_a_category_is_renamed_from_a_form_body(
    client: TestClient, owner: Person, member: Person, company: Company
) -> None:
    # given a category
    category = await make_category(owner, company, "IT")

    # when it is renamed form-encoded
    reply = await put(client, CATEGORY.format(category.id), as_=member, data={"name": "Ops"})

    # then it is renamed
    assert reply.status == 200
    assert (await get(client, CATEGORY.format(category.id))).body["name"] == "Ops"


@pytest.mark.parametrize(
    "body",
    [{}, {"name": ""}, {"name": "x" * 256}, {"name": "Taken"}, {"name": 7}],
    ids=["missing", "empty", "256", "taken", "number"],
)
async def test_an_invalid_rename_changes_nothing(
    client: TestClient, owner: Person, member: Person, company: Company, body: dict
) -> None:
    # given a category and another named "Taken" in the same company
    category = await make_category(owner, company, "IT")
    await make_category(owner, company, "Taken")
    before = await get(client, CATEGORY.format(category.id))

    # when it is renamed invalidly
    reply = await put(client, CATEGORY.format(category.id), as_=member, json=body)

    # then the name is reported and the category is unchanged
    assert reply.status == 422
    assert list(reply.body["errors"]) == ["name"]
    assert (await get(client, CATEGORY.format(category.id))).body == before.body


async def test_renaming_needs_a_token(client: TestClient, owner: Person, company: Company) -> None:
    # given a category
    category = await make_category(owner, company, "IT")

    # when anonymous renames it
    reply = await put(client, CATEGORY.format(category.id), json={"name": "Hacked"})

    # then 401 and it keeps its name
    assert reply.status == 401
    assert reply.body == UNAUTHENTICATED
    assert (await get(client, CATEGORY.format(category.id))).body["name"] == "IT"


async def test_an_outsider_may_not_rename_a_public_category(
    client: TestClient, owner: Person, outsider: Person, company: Company
) -> None:
    # given a public category
    category = await make_category(owner, company, "IT")

    # when an outsider renames it
    reply = await put(client, CATEGORY.format(category.id), as_=outsider, json={"name": "Mine"})

    # then it is forbidden and it keeps its name
    assert reply.status == 403
    assert (await get(client, CATEGORY.format(category.id))).body["name"] == "IT"


@pytest.mark.parametrize("hidden", [True, False], ids=["private", "missing"])
async def test_renaming_a_hidden_or_missing_category_is_404(
    client: TestClient, owner: Person, outsider: Person, private_company: Company, hidden: bool
) -> None:
    # given a private category
    category = await make_category(owner, private_company)

    # when an outsider renames it, or one that does not exist
    url = CATEGORY.format(category.id if hidden else 999999)
    reply = await put(client, url, as_=outsider, json={"name": "Mine"})

    # then it is not found
    assert reply.status == 404


# --- delete -------------------------------------------------------------------------------------


async def test_a_member_deletes_a_category(
    client: TestClient, owner: Person, member: Person, company: Company
) -> None:
    # given two categories
    kept = await make_category(owner, company)
    gone = await make_category(owner, company)

    # when a member deletes one
    reply = await delete(client, CATEGORY.format(gone.id), as_=member)

    # then 204 without a body, and it is gone from the list and the show
    assert reply.status == 204
    assert reply.body is None
    assert ids(await get(client, CATEGORIES)) == [kept.id]
    assert (await get(client, CATEGORY.format(gone.id))).status == 404


async def test_deleting_needs_a_token(client: TestClient, owner: Person, company: Company) -> None:
    # given a category
    category = await make_category(owner, company)

    # when anonymous deletes it
    reply = await delete(client, CATEGORY.format(category.id))

    # then 401 and it is still there
    assert reply.status == 401
    assert reply.body == UNAUTHENTICATED
    assert ids(await get(client, CATEGORIES)) == [category.id]


async def test_an_outsider_may_not_delete_a_public_category(
    client: TestClient, owner: Person, outsider: Person, company: Company
) -> None:
    # given a public category
    category = await make_category(owner, company)

    # when an outsider deletes it
    reply = await delete(client, CATEGORY.format(category.id), as_=outsider)

    # then it is forbidden and still there
    assert reply.status == 403
    assert ids(await get(client, CATEGORIES)) == [category.id]


@pytest.mark.parametrize("hidden", [True, False], ids=["private", "missing"])
async def test_deleting_a_hidden_or_missing_category_is_404(
    client: TestClient,
    owner: Person,
    member: Person,
    outsider: Person,
    private_company: Company,
    hidden: bool,
) -> None:
    # given a private category
    category = await make_category(owner, private_company)

    # when an outsider deletes it, or one that does not exist
    reply = await delete(client, CATEGORY.format(category.id if hidden else 999999), as_=outsider)

    # then it is not found, and members still see the private one
    assert reply.status == 404
    assert ids(await get(client, CATEGORIES, as_=member)) == [category.id]
