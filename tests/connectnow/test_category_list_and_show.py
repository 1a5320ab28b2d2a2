"""ConnectNow GET /api/categories and GET /api/categories/{id}: the paginator envelope and the
sample shape, oldest first, `company_ids` and `with`, and private categories shown to members
only."""

import pytest
from aiohttp.test_utils import TestClient

from issuetracker.models import Company

from ..support import Person, make_category, make_company, make_issue
from .helpers import (
    CATEGORIES,
    CATEGORY,
    CATEGORY_KEYS,
    COMPANY_KEYS,
    ISSUE,
    ISSUE_KEYS,
    PAGE_KEYS,
    assert_timestamps,
    delete,
    get,
    names,
)

# --- the list -----------------------------------------------------------------------------------


async def test_the_list_has_the_paginator_envelope_and_the_sample_category_shape(
    client: TestClient, owner: Person, company: Company
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
    client: TestClient, owner: Person, company: Company
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
    company: Company,
    private_company: Company,
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
    client: TestClient, owner: Person, company: Company, template: str
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
    client: TestClient, owner: Person, company: Company, value: str
) -> None:
    # given a category, so that an empty list would not be the same as a refusal
    await make_category(owner, company)

    # when the filter names no company
    reply = await get(client, CATEGORIES + f"?company_ids[]={value}")

    # then it is a validation error on company_ids
    assert reply.status == 422
    assert list(reply.body["errors"]) == ["company_ids"]


async def test_a_private_company_id_filter_is_refused_like_an_unknown_one(
    client: TestClient, owner: Person, outsider: Person, private_company: Company
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
    client: TestClient, owner: Person, company: Company, query: str
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
    client: TestClient, owner: Person, member: Person, company: Company
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


# --- show ---------------------------------------------------------------------------------------


async def test_a_single_category_has_the_sample_shape(
    client: TestClient, owner: Person, company: Company
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


async def test_a_single_category_with_includes(
    client: TestClient, owner: Person, company: Company
) -> None:
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
    client: TestClient, owner: Person, company: Company
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
    private_company: Company,
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
