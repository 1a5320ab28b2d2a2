"""createCategory, updateCategory and deleteCategory: who may do each (members of the category's
company), unique names within a company, and what an invalid change leaves behind (nothing)."""

import pytest

from issuetracker.models import Company
from issuetracker.schema.relay import to_global_id

from ..support import Api, Person, gid, make_category, make_company, nothing_answered, only_error
from .category_helpers import (
    CATEGORY_BY_ID,
    DELETE_CATEGORY,
    MISSING_CATEGORY_ID,
    category_names_of,
)
from .company_helpers import MISSING_COMPANY_ID

CREATE_CATEGORY = """
mutation ($input: CreateCategoryInput!) {
  createCategory(input: $input) {
    category { id name company { name } }
    errors { field message code }
  }
}
"""

UPDATE_CATEGORY = """
mutation ($input: UpdateCategoryInput!) {
  updateCategory(input: $input) {
    category { id name company { name } }
    errors { field message code }
  }
}
"""


# --- createCategory ------------------------------------------------------------------------------


async def test_anonymous_cannot_create_a_category(
    api: Api, anonymous: Person, company: Company
) -> None:
    # when an anonymous client creates a category
    body = await api.graphql(
        CREATE_CATEGORY,
        {"input": {"companyId": gid("Company", company), "name": "Network"}},
        as_=anonymous,
    )

    # then it is refused as unauthenticated, and nothing is created
    assert only_error(body) == ("UNAUTHENTICATED", "Unauthenticated.")
    assert nothing_answered(body)
    assert await category_names_of(api, company) == []


async def test_an_outsider_cannot_create_a_category_in_a_public_company(
    api: Api, outsider: Person, company: Company
) -> None:
    # when a non-member creates a category in a public company
    body = await api.graphql(
        CREATE_CATEGORY,
        {"input": {"companyId": gid("Company", company), "name": "Network"}},
        as_=outsider,
    )

    # then it is forbidden, and nothing is created
    assert only_error(body) == ("FORBIDDEN", "You do not have access to this company.")
    assert await category_names_of(api, company) == []


async def test_an_outsider_cannot_tell_a_private_company_from_a_missing_one(
    api: Api, outsider: Person, owner: Person, private_company: Company
) -> None:
    # when a non-member creates a category in a private company, a missing one, an impossible one
    hidden = await api.data(
        CREATE_CATEGORY,
        {"input": {"companyId": gid("Company", private_company), "name": "Network"}},
        as_=outsider,
    )
    missing = await api.data(
        CREATE_CATEGORY,
        {"input": {"companyId": MISSING_COMPANY_ID, "name": "Network"}},
        as_=outsider,
    )
    impossible = await api.data(
        CREATE_CATEGORY,
        {"input": {"companyId": to_global_id("Company", 10**20), "name": "Network"}},
        as_=outsider,
    )

    # then all three answer that the company is invalid, alike, and nothing is created
    assert (
        hidden
        == missing
        == impossible
        == {
            "createCategory": {
                "category": None,
                "errors": [
                    {
                        "field": "companyId",
                        "message": "The selected company is invalid.",
                        "code": "UNKNOWN",
                    }
                ],
            }
        }
    )
    assert await category_names_of(api, private_company, as_=owner) == []


@pytest.mark.parametrize("role", ["owner", "admin", "member"])
async def test_members_of_every_role_create_categories(
    api: Api, owner: Person, admin: Person, member: Person, private_company: Company, role: str
) -> None:
    # given a member of a private company
    person = {"owner": owner, "admin": admin, "member": member}[role]

    # when they create a category, its name padded with spaces
    body = await api.data(
        CREATE_CATEGORY,
        {"input": {"companyId": gid("Company", private_company), "name": "  Network  "}},
        as_=person,
    )

    # then it is created with a trimmed name, in that company, and members see it
    payload = body["createCategory"]
    assert payload["errors"] == []
    assert payload["category"]["name"] == "Network"
    assert payload["category"]["company"] == {"name": "Private Ltd"}
    assert await category_names_of(api, private_company, as_=member) == ["Network"]
    found = await api.data(CATEGORY_BY_ID, {"id": payload["category"]["id"]}, as_=owner)
    assert found["category"]["name"] == "Network"


@pytest.mark.parametrize(
    ("name", "message", "code"),
    [
        ("", "The name field is required.", "REQUIRED"),
        ("   ", "The name field is required.", "REQUIRED"),
        ("x" * 256, "The name may not be greater than 255 characters.", "TOO_LONG"),
    ],
)
async def test_a_category_needs_a_name_of_sensible_length(
    api: Api, member: Person, company: Company, name: str, message: str, code: str
) -> None:
    # when a member creates a category with an empty, blank or too long name
    body = await api.data(
        CREATE_CATEGORY,
        {"input": {"companyId": gid("Company", company), "name": name}},
        as_=member,
    )

    # then the payload names the field, and nothing is created
    assert body["createCategory"] == {
        "category": None,
        "errors": [{"field": "name", "message": message, "code": code}],
    }
    assert await category_names_of(api, company) == []


async def test_a_category_name_is_unique_within_its_company(
    api: Api, owner: Person, member: Person, company: Company
) -> None:
    # given a category
    await make_category(owner, company, "Network")

    # when a member creates another of the same name (padded) in the same company
    body = await api.data(
        CREATE_CATEGORY,
        {"input": {"companyId": gid("Company", company), "name": " Network "}},
        as_=member,
    )

    # then the name is taken, and there is still one
    assert body["createCategory"] == {
        "category": None,
        "errors": [
            {
                "field": "name",
                "message": "The company already has a category with this name.",
                "code": "TAKEN",
            }
        ],
    }
    assert await category_names_of(api, company) == ["Network"]


async def test_the_same_category_name_may_be_used_in_another_company(
    api: Api, owner: Person, company: Company
) -> None:
    # given a category in one company
    other = await make_company(owner, name="Other Inc")
    await make_category(owner, company, "Network")

    # when the owner creates one of the same name in another company
    body = await api.data(
        CREATE_CATEGORY,
        {"input": {"companyId": gid("Company", other), "name": "Network"}},
        as_=owner,
    )

    # then it is created there
    assert body["createCategory"]["errors"] == []
    assert await category_names_of(api, other) == ["Network"]
    assert await category_names_of(api, company) == ["Network"]


@pytest.mark.parametrize(
    ("company_id", "message"),
    [
        ("not-an-id", "The id is not valid."),
        (to_global_id("Category", 1), "The id is not of type Company."),
    ],
)
async def test_creating_in_a_company_named_by_an_invalid_id_is_a_payload_error(
    api: Api, member: Person, company: Company, company_id: str, message: str
) -> None:
    # when a member names the company by something that is not a company id
    body = await api.data(
        CREATE_CATEGORY, {"input": {"companyId": company_id, "name": "Network"}}, as_=member
    )

    # then the payload names the field, and nothing is created
    assert body["createCategory"] == {
        "category": None,
        "errors": [{"field": "companyId", "message": message, "code": "INVALID_ID"}],
    }
    assert await category_names_of(api, company) == []


# --- updateCategory ------------------------------------------------------------------------------


async def test_anonymous_cannot_rename_a_category(
    api: Api, anonymous: Person, owner: Person, company: Company
) -> None:
    # given a category
    category = await make_category(owner, company, "Network")

    # when an anonymous client renames it
    body = await api.graphql(
        UPDATE_CATEGORY,
        {"input": {"id": gid("Category", category), "name": "Hacked"}},
        as_=anonymous,
    )

    # then it is refused as unauthenticated, and the name stays
    assert only_error(body) == ("UNAUTHENTICATED", "Unauthenticated.")
    assert await category_names_of(api, company) == ["Network"]


async def test_an_outsider_cannot_rename_a_category_of_a_public_company(
    api: Api, outsider: Person, owner: Person, company: Company
) -> None:
    # given a category of a public company
    category = await make_category(owner, company, "Network")

    # when a non-member renames it
    body = await api.graphql(
        UPDATE_CATEGORY,
        {"input": {"id": gid("Category", category), "name": "Hacked"}},
        as_=outsider,
    )

    # then it is forbidden, and the name stays
    assert only_error(body) == ("FORBIDDEN", "You do not have access to this company.")
    assert await category_names_of(api, company) == ["Network"]


async def test_an_outsider_renaming_a_category_of_a_private_company_finds_nothing(
    api: Api, outsider: Person, owner: Person, private_company: Company
) -> None:
    # given a category of a private company
    category = await make_category(owner, private_company, "Secret")

    # when a non-member renames it, and a category that does not exist
    hidden = await api.graphql(
        UPDATE_CATEGORY,
        {"input": {"id": gid("Category", category), "name": "Hacked"}},
        as_=outsider,
    )
    missing = await api.graphql(
        UPDATE_CATEGORY, {"input": {"id": MISSING_CATEGORY_ID, "name": "Hacked"}}, as_=outsider
    )

    # then both are not found, alike, and the name stays
    assert only_error(hidden) == only_error(missing) == ("NOT_FOUND", "Category not found.")
    assert await category_names_of(api, private_company, as_=owner) == ["Secret"]


@pytest.mark.parametrize("role", ["owner", "admin", "member"])
async def test_members_of_every_role_rename_categories(
    api: Api, owner: Person, admin: Person, member: Person, private_company: Company, role: str
) -> None:
    # given a category of a private company
    category = await make_category(owner, private_company, "Network")
    person = {"owner": owner, "admin": admin, "member": member}[role]

    # when a member renames it
    body = await api.data(
        UPDATE_CATEGORY,
        {"input": {"id": gid("Category", category), "name": " Networks "}},
        as_=person,
    )

    # then the payload and later reads show the new, trimmed name
    assert body["updateCategory"] == {
        "category": {
            "id": gid("Category", category),
            "name": "Networks",
            "company": {"name": "Private Ltd"},
        },
        "errors": [],
    }
    assert await category_names_of(api, private_company, as_=person) == ["Networks"]


async def test_a_category_cannot_be_renamed_to_nothing(
    api: Api, owner: Person, member: Person, company: Company
) -> None:
    # given a category
    category = await make_category(owner, company, "Network")

    # when a member clears its name
    body = await api.data(
        UPDATE_CATEGORY, {"input": {"id": gid("Category", category), "name": "  "}}, as_=member
    )

    # then the payload names the field, and the name stays
    assert body["updateCategory"] == {
        "category": None,
        "errors": [{"field": "name", "message": "The name field is required.", "code": "REQUIRED"}],
    }
    assert await category_names_of(api, company) == ["Network"]


async def test_a_category_cannot_take_the_name_of_another_in_its_company(
    api: Api, owner: Person, member: Person, company: Company
) -> None:
    # given two categories
    await make_category(owner, company, "Network")
    printers = await make_category(owner, company, "Printers")

    # when a member renames one to the other's name
    body = await api.data(
        UPDATE_CATEGORY, {"input": {"id": gid("Category", printers), "name": "Network"}}, as_=member
    )

    # then the name is taken, and both keep theirs
    assert body["updateCategory"] == {
        "category": None,
        "errors": [
            {
                "field": "name",
                "message": "The company already has a category with this name.",
                "code": "TAKEN",
            }
        ],
    }
    assert await category_names_of(api, company) == ["Network", "Printers"]


async def test_renaming_a_category_to_its_own_name_is_no_conflict(
    api: Api, owner: Person, member: Person, company: Company
) -> None:
    # given a category
    category = await make_category(owner, company, "Network")

    # when a member "renames" it to the name it has
    body = await api.data(
        UPDATE_CATEGORY, {"input": {"id": gid("Category", category), "name": "Network"}}, as_=member
    )

    # then it succeeds and nothing changes
    assert body["updateCategory"]["errors"] == []
    assert body["updateCategory"]["category"]["name"] == "Network"
    assert await category_names_of(api, company) == ["Network"]


async def test_renaming_by_a_company_id_is_a_payload_error(
    api: Api, owner: Person, member: Person, company: Company
) -> None:
    # given a category
    await make_category(owner, company, "Network")

    # when a member names the category by the company's id
    body = await api.data(
        UPDATE_CATEGORY, {"input": {"id": gid("Company", company), "name": "Renamed"}}, as_=member
    )

    # then the payload names the field, and nothing changes
    assert body["updateCategory"] == {
        "category": None,
        "errors": [
            {"field": "id", "message": "The id is not of type Category.", "code": "INVALID_ID"}
        ],
    }
    assert await category_names_of(api, company) == ["Network"]


# --- deleteCategory ------------------------------------------------------------------------------


async def test_anonymous_cannot_delete_a_category(
    api: Api, anonymous: Person, owner: Person, company: Company
) -> None:
    # given a category
    category = await make_category(owner, company, "Network")

    # when an anonymous client deletes it
    body = await api.graphql(
        DELETE_CATEGORY, {"input": {"id": gid("Category", category)}}, as_=anonymous
    )

    # then it is refused as unauthenticated, and the category stays
    assert only_error(body) == ("UNAUTHENTICATED", "Unauthenticated.")
    assert await category_names_of(api, company) == ["Network"]


async def test_an_outsider_cannot_delete_a_category_of_a_public_company(
    api: Api, outsider: Person, owner: Person, company: Company
) -> None:
    # given a category of a public company
    category = await make_category(owner, company, "Network")

    # when a non-member deletes it
    body = await api.graphql(
        DELETE_CATEGORY, {"input": {"id": gid("Category", category)}}, as_=outsider
    )

    # then it is forbidden, and the category stays
    assert only_error(body) == ("FORBIDDEN", "You do not have access to this company.")
    assert await category_names_of(api, company) == ["Network"]


async def test_an_outsider_deleting_a_category_of_a_private_company_finds_nothing(
    api: Api, outsider: Person, owner: Person, private_company: Company
) -> None:
    # given a category of a private company
    category = await make_category(owner, private_company, "Secret")

    # when a non-member deletes it, and a category that does not exist
    hidden = await api.graphql(
        DELETE_CATEGORY, {"input": {"id": gid("Category", category)}}, as_=outsider
    )
    missing = await api.graphql(
        DELETE_CATEGORY, {"input": {"id": MISSING_CATEGORY_ID}}, as_=outsider
    )

    # then both are not found, alike, and the category stays
    assert only_error(hidden) == only_error(missing) == ("NOT_FOUND", "Category not found.")
    assert await category_names_of(api, private_company, as_=owner) == ["Secret"]


@pytest.mark.parametrize("role", ["owner", "admin", "member"])
async def test_members_of_every_role_delete_categories(
    api: Api, owner: Person, admin: Person, member: Person, private_company: Company, role: str
) -> None:
    # given two categories of a private company
    doomed = await make_category(owner, private_company, "Network")
    await make_category(owner, private_company, "Printers")
    person = {"owner": owner, "admin": admin, "member": member}[role]

    # when a member deletes one
    body = await api.data(DELETE_CATEGORY, {"input": {"id": gid("Category", doomed)}}, as_=person)

    # then the payload shows what was deleted, it can no longer be found, and the other stays
    assert body["deleteCategory"] == {"category": {"name": "Network"}, "errors": []}
    gone = await api.graphql(CATEGORY_BY_ID, {"id": gid("Category", doomed)}, as_=person)
    assert only_error(gone) == ("NOT_FOUND", "Category not found.")
    assert await category_names_of(api, private_company, as_=person) == ["Printers"]


async def test_deleting_by_a_malformed_id_is_a_payload_error(
    api: Api, owner: Person, member: Person, company: Company
) -> None:
    # given a category
    await make_category(owner, company, "Network")

    # when a member deletes something named by a malformed id
    body = await api.data(DELETE_CATEGORY, {"input": {"id": "not-an-id"}}, as_=member)

    # then the payload names the field, and nothing is deleted
    assert body["deleteCategory"] == {
        "category": None,
        "errors": [{"field": "id", "message": "The id is not valid.", "code": "INVALID_ID"}],
    }
    assert await category_names_of(api, company) == ["Network"]
