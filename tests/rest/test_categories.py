"""ConnectNow /api/categories: the list, `with` and `company_ids`, create, show, edit and delete,
and who may do each (members of the category's company manage it)."""

import pytest
from aiohttp.test_utils import TestClient

from ..support import Person, make_category, make_company, make_issue
from .helpers import (
    CATEGORY_KEYS,
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

CATEGORIES = "/api/categories"
CATEGORY = "/api/categories/{}"
ISSUE = "/api/issues/{}"


# --- the list -----------------------------------------------------------------------------------


async def test_the_list_has_the_paginator_envelope_and_the_sample_category_shape(
    client: TestClient, owner: Person, company
) -> None:
    # given a category
    category = await make_category(owner, company, "IT department")

    # when anyone lists categories
    reply = await get(client, CATEGORIES)

    # then the envelope and the row are those of the samples
    assert reply.status == 200
    assert set(reply.body) == PAGE_KEYS
    assert reply.body["per_page"] == 15
    assert reply.body["path"].endswith("/api/categories")
    [row] = reply.body["data"]
    assert set(row) == CATEGORY_KEYS
    assert row["id"] == category.id
    assert row["name"] == "IT department"
    assert row["company_id"] == company.id
    assert_timestamps(row)


async def test_categories_are_listed_oldest_first(
    client: TestClient, owner: Person, company
) -> None:
    # given three categories created one after another
    for name in ("Network", "Printers", "Phones"):
        await make_category(owner, company, name)

    # when anyone lists them
    reply = await get(client, CATEGORIES)

    # then they come in the order they were made
    assert names(reply) == ["Network", "Printers", "Phones"]


async def test_private_categories_are_listed_for_members_only(
    client: TestClient,
    owner: Person,
    member: Person,
    outsider: Person,
    anonymous: Person,
    company,
    private_company,
) -> None:
    # given a category in a public company and one in a private company
    await make_category(owner, company, "Public desk")
    await make_category(owner, private_company, "Board room")

    # when each person lists categories
    as_member = await get(client, CATEGORIES, as_=member)
    as_outsider = await get(client, CATEGORIES, as_=outsider)
    as_anonymous = await get(client, CATEGORIES, as_=anonymous)

    # then only members see the private one
    assert names(as_member) == ["Public desk", "Board room"]
    assert names(as_outsider) == ["Public desk"]
    assert names(as_anonymous) == ["Public desk"]


@pytest.mark.parametrize(
    "template", ["?company_ids[]={}&company_ids[]={}", "?company_ids={},{}"], ids=["array", "csv"]
)
async def test_categories_filtered_by_company_ids(
    client: TestClient, owner: Person, company, template: str
) -> None:
    # given categories in three companies
    second = await make_company(owner, name="Second Inc")
    third = await make_company(owner, name="Third Inc")
    await make_category(owner, company, "First's")
    await make_category(owner, second, "Second's")
    await make_category(owner, third, "Third's")

    # when the list is filtered by two companies
    reply = await get(client, CATEGORIES + template.format(company.id, third.id))

    # then only their categories remain
    assert reply.status == 200
    assert names(reply) == ["First's", "Third's"]


@pytest.mark.parametrize("value", ["999999", "abc"], ids=["unknown", "not-a-number"])
async def test_a_bad_company_id_filter_is_refused(
    client: TestClient, owner: Person, company, value: str
) -> None:
    # given a category, so that an empty list would not be the same as a refusal
    await make_category(owner, company)

    # when the filter names no company
    reply = await get(client, CATEGORIES + f"?company_ids[]={value}")

    # then it is a validation error on company_ids
    assert reply.status == 422
    assert list(reply.body["errors"]) == ["company_ids"]


async def test_a_private_company_id_filter_is_refused_like_an_unknown_one(
    client: TestClient, owner: Person, outsider: Person, private_company
) -> None:
    # given a private company the outsider cannot see
    await make_category(owner, private_company)

    # when the outsider filters by it and by a company that does not exist
    hidden = await get(client, CATEGORIES + f"?company_ids={private_company.id}", as_=outsider)
    missing = await get(client, CATEGORIES + "?company_ids=999999", as_=outsider)

    # then both answers are the same refusal
    assert hidden.status == missing.status == 422
    assert hidden.body == missing.body


@pytest.mark.parametrize(
    "query", ["?with[]=company&with[]=issues", "?with=company,issues"], ids=["array", "csv"]
)
async def test_with_company_and_issues_in_either_form(
    client: TestClient, owner: Person, company, query: str
) -> None:
    # given a category with two issues
    category = await make_category(owner, company)
    first = await make_issue(owner, category)
    second = await make_issue(owner, category)

    # when the list asks for company and issues
    reply = await get(client, CATEGORIES + query)

    # then both are appended: the company object, the issues newest first
    [row] = reply.body["data"]
    assert set(row) == CATEGORY_KEYS | {"company", "issues"}
    assert set(row["company"]) == COMPANY_KEYS
    assert row["company"]["id"] == company.id
    assert [issue["id"] for issue in row["issues"]] == [second.id, first.id]
    for issue in row["issues"]:
        assert set(issue) == ISSUE_KEYS
        assert_timestamps(issue)


async def test_with_issues_leaves_out_deleted_issues(
    client: TestClient, owner: Person, member: Person, company
) -> None:
    # given a category with a kept and a deleted issue
    category = await make_category(owner, company)
    kept = await make_issue(owner, category)
    gone = await make_issue(owner, category)
    assert (await delete(client, ISSUE.format(gone.id), as_=member)).status == 204

    # when the category is listed with its issues
    reply = await get(client, CATEGORIES + "?with=issues")

    # then the deleted issue is not among them
    assert [issue["id"] for issue in reply.body["data"][0]["issues"]] == [kept.id]


async def test_an_unknown_with_value_is_refused(client: TestClient) -> None:
    # when the list asks for a relation categories do not have
    reply = await get(client, CATEGORIES + "?with[]=company&with[]=events")

    # then it is a validation error on `with`
    assert reply.status == 422
    assert list(reply.body["errors"]) == ["with"]


# --- create -------------------------------------------------------------------------------------


async def test_a_member_creates_a_category(client: TestClient, member: Person, company) -> None:
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
    client: TestClient, member: Person, company
) -> None:
    # when a Laravel client posts the category form-encoded
    form = {"name": "Printers", "company_id": str(company.id)}
    reply = await post(client, CATEGORIES, as_=member, data=form)

    # then it is created as from JSON
    assert reply.status == 201
    assert (reply.body["name"], reply.body["company_id"]) == ("Printers", company.id)


async def test_creating_needs_a_token(client: TestClient, company) -> None:
    # when anonymous creates a category
    reply = await post(client, CATEGORIES, json={"name": "Sneaky", "company_id": company.id})

    # then 401 and nothing is created
    assert reply.status == 401
    assert reply.body == UNAUTHENTICATED
    assert ids(await get(client, CATEGORIES)) == []


async def test_creating_needs_access_to_the_company(
    client: TestClient, outsider: Person, company
) -> None:
    # when an outsider creates a category in a public company
    body = {"name": "Sneaky", "company_id": company.id}
    reply = await post(client, CATEGORIES, as_=outsider, json=body)

    # then it is forbidden and nothing is created
    assert reply.status == 403
    assert isinstance(reply.body["message"], str)
    assert ids(await get(client, CATEGORIES)) == []


async def test_a_hidden_company_is_as_unknown_as_a_missing_one(
    client: TestClient, outsider: Person, member: Person, private_company
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
    client: TestClient, member: Person, company, overrides: dict, field: str
) -> None:
    # when a category is created with one invalid field
    body = {"name": "IT", "company_id": company.id, **overrides}
    reply = await post(client, CATEGORIES, as_=member, json=body)

    # then that field is reported and nothing is created
    assert reply.status == 422
    assert field in reply.body["errors"]
    assert ids(await get(client, CATEGORIES)) == []


async def test_a_category_name_is_unique_within_its_company(
    client: TestClient, owner: Person, member: Person, company
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


# --- show ---------------------------------------------------------------------------------------


async def test_a_single_category_has_the_sample_shape(
    client: TestClient, owner: Person, company
) -> None:
    # given a category
    category = await make_category(owner, company, "IT department")

    # when anyone reads it
    reply = await get(client, CATEGORY.format(category.id))

    # then it is the sample's object
    assert reply.status == 200
    assert set(reply.body) == CATEGORY_KEYS
    assert (reply.body["id"], reply.body["name"]) == (category.id, "IT department")
    assert reply.body["company_id"] == company.id
    assert_timestamps(reply.body)


async def test_a_single_category_with_includes(client: TestClient, owner: Person, company) -> None:
    # given a category with an issue
    category = await make_category(owner, company)
    issue = await make_issue(owner, category)

    # when it is read with its company and issues
    reply = await get(client, CATEGORY.format(category.id) + "?with=company,issues")

    # then both are appended
    assert reply.status == 200
    assert reply.body["company"]["name"] == company.name
    assert [row["id"] for row in reply.body["issues"]] == [issue.id]


async def test_a_single_category_refuses_an_unknown_with(
    client: TestClient, owner: Person, company
) -> None:
    # given a category
    category = await make_category(owner, company)

    # when it is read with an unknown relation
    reply = await get(client, CATEGORY.format(category.id) + "?with[]=categories")

    # then it is a validation error
    assert reply.status == 422
    assert "with" in reply.body["errors"]


async def test_a_private_category_is_shown_to_members_only(
    client: TestClient,
    owner: Person,
    member: Person,
    outsider: Person,
    anonymous: Person,
    private_company,
) -> None:
    # given a category of a private company
    category = await make_category(owner, private_company)

    # when each person reads it, and someone reads a category that does not exist
    as_member = await get(client, CATEGORY.format(category.id), as_=member)
    as_outsider = await get(client, CATEGORY.format(category.id), as_=outsider)
    as_anonymous = await get(client, CATEGORY.format(category.id), as_=anonymous)
    missing = await get(client, CATEGORY.format(999999), as_=outsider)

    # then a member sees it; for the others it is missing, like the one that never existed
    assert as_member.status == 200
    assert as_outsider.status == as_anonymous.status == missing.status == 404
    assert as_outsider.body == as_anonymous.body == missing.body


# --- edit ---------------------------------------------------------------------------------------


async def test_a_member_renames_a_category(
    client: TestClient, owner: Person, member: Person, company
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
    client: TestClient, owner: Person, member: Person, company
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
    client: TestClient, owner: Person, member: Person, company, body: dict
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


async def test_renaming_needs_a_token(client: TestClient, owner: Person, company) -> None:
    # given a category
    category = await make_category(owner, company, "IT")

    # when anonymous renames it
    reply = await put(client, CATEGORY.format(category.id), json={"name": "Hacked"})

    # then 401 and it keeps its name
    assert reply.status == 401
    assert reply.body == UNAUTHENTICATED
    assert (await get(client, CATEGORY.format(category.id))).body["name"] == "IT"


async def test_an_outsider_may_not_rename_a_public_category(
    client: TestClient, owner: Person, outsider: Person, company
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
    client: TestClient, owner: Person, outsider: Person, private_company, hidden: bool
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
    client: TestClient, owner: Person, member: Person, company
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


async def test_deleting_needs_a_token(client: TestClient, owner: Person, company) -> None:
    # given a category
    category = await make_category(owner, company)

    # when anonymous deletes it
    reply = await delete(client, CATEGORY.format(category.id))

    # then 401 and it is still there
    assert reply.status == 401
    assert reply.body == UNAUTHENTICATED
    assert ids(await get(client, CATEGORIES)) == [category.id]


async def test_an_outsider_may_not_delete_a_public_category(
    client: TestClient, owner: Person, outsider: Person, company
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
    private_company,
    hidden: bool,
) -> None:
    # given a private category
    category = await make_category(owner, private_company)

    # when an outsider deletes it, or one that does not exist
    reply = await delete(client, CATEGORY.format(category.id if hidden else 999999), as_=outsider)

    # then it is not found, and members still see the private one
    assert reply.status == 404
    assert ids(await get(client, CATEGORIES, as_=member)) == [category.id]
