"""ConnectNow POST /api/issues: creating an issue, in several categories of several companies, its
description the first event; who may (access to the company of every category); every missing
or invalid field named, and nothing created."""

import pytest
from aiohttp.test_utils import TestClient

from issuetracker.models import Company

from ..support import Person, make_category, make_company
from .helpers import (
    CREATED_ISSUE_KEYS,
    ISSUE,
    ISSUES,
    UNAUTHENTICATED,
    assert_timestamps,
    get,
    ids,
    issue_body,
    post,
)
from .issue_helpers import category_ids_of, events_of, read_issue


async def test_a_member_creates_an_issue(
    client: TestClient, owner: Person, member: Person, company: Company
) -> None:
    # given a category of the member's company
    category = await make_category(owner, company)

    # when the member creates an issue in it
    reply = await post(client, ISSUES, as_=member, json=issue_body(category.id))

    # then it is created, answered in the create sample's shape (no closed_at)
    assert reply.status == 201
    assert set(reply.body) == CREATED_ISSUE_KEYS
    assert reply.body["name"] == "Server login issues"
    assert reply.body["severity"] == "critical"
    assert isinstance(reply.body["id"], int)
    assert_timestamps(reply.body)
    shown = await read_issue(client, reply.body["id"], member)
    assert shown.status == 200
    assert shown.body["closed_at"] is None
    assert category_ids_of(shown) == [category.id]


async def test_the_description_on_create_becomes_the_first_event(
    client: TestClient, owner: Person, member: Person, company: Company
) -> None:
    # given a category
    category = await make_category(owner, company)

    # when an issue is created with a description
    body = issue_body(category.id, description="Nobody can log in.")
    created = await post(client, ISSUES, as_=member, json=body)

    # then the description is its first and only event
    shown = await get(client, ISSUE.format(created.body["id"]) + "?with=events")
    assert events_of(shown) == ["Nobody can log in."]


async def test_an_issue_is_created_in_several_categories_of_several_companies(
    client: TestClient, owner: Person, member: Person, company: Company, private_company: Company
) -> None:
    # given categories in two companies the member belongs to
    public = await make_category(owner, company)
    private = await make_category(owner, private_company)

    # when the member creates an issue in both
    reply = await post(client, ISSUES, as_=member, json=issue_body(public.id, private.id))

    # then it is in both
    assert reply.status == 201
    shown = await read_issue(client, reply.body["id"], member)
    assert category_ids_of(shown) == sorted([public.id, private.id])


async def test_creating_needs_a_token(client: TestClient, owner: Person, company: Company) -> None:
    # given a category
    category = await make_category(owner, company)

    # when anonymous creates an issue
    reply = await post(client, ISSUES, json=issue_body(category.id))

    # then Laravel's 401 answers, and nothing is created
    assert reply.status == 401
    assert reply.body == UNAUTHENTICATED
    assert ids(await get(client, ISSUES)) == []


async def test_creating_without_a_token_is_401_even_when_the_body_is_invalid(
    client: TestClient,
) -> None:
    # when anonymous sends an empty body
    reply = await post(client, ISSUES, json={})

    # then authentication is checked before validation, as Laravel's middleware does
    assert reply.status == 401
    assert reply.body == UNAUTHENTICATED


async def test_creating_needs_access_to_the_company_of_each_category(
    client: TestClient, owner: Person, outsider: Person, company: Company
) -> None:
    # given a category of a public company the outsider is not a member of
    category = await make_category(owner, company)

    # when the outsider creates an issue in it
    reply = await post(client, ISSUES, as_=outsider, json=issue_body(category.id))

    # then it is forbidden, and nothing is created
    assert reply.status == 403
    assert isinstance(reply.body["message"], str)
    assert ids(await get(client, ISSUES)) == []


async def test_creating_needs_access_to_every_company_not_just_one(
    client: TestClient, owner: Person, member: Person, outsider: Person, company: Company
) -> None:
    # given a category of the member's company and one of a company the member is not in
    ours = await make_category(owner, company)
    elsewhere = await make_category(outsider, await make_company(outsider))

    # when the member creates an issue in both
    reply = await post(client, ISSUES, as_=member, json=issue_body(ours.id, elsewhere.id))

    # then it is forbidden, and nothing is created
    assert reply.status == 403
    assert ids(await get(client, ISSUES)) == []


async def test_a_hidden_category_is_as_unknown_as_a_missing_one(
    client: TestClient, owner: Person, outsider: Person, private_company: Company
) -> None:
    # given a category of a private company the outsider cannot see
    hidden = await make_category(owner, private_company)

    # when the outsider creates issues in it and in a category that does not exist
    in_hidden = await post(client, ISSUES, as_=outsider, json=issue_body(hidden.id))
    in_missing = await post(client, ISSUES, as_=outsider, json=issue_body(999999))

    # then both are the same validation error on category_ids
    assert in_hidden.status == in_missing.status == 422
    assert in_hidden.body == in_missing.body
    assert list(in_hidden.body["errors"]) == ["category_ids"]


async def test_an_unknown_category_id_among_known_ones_is_refused(
    client: TestClient, owner: Person, member: Person, company: Company
) -> None:
    # given one real category
    category = await make_category(owner, company)

    # when an issue names it and one that does not exist
    reply = await post(client, ISSUES, as_=member, json=issue_body(category.id, 999999))

    # then nothing is created
    assert reply.status == 422
    assert list(reply.body["errors"]) == ["category_ids"]
    assert ids(await get(client, ISSUES)) == []


async def test_creating_without_fields_lists_every_missing_one(
    client: TestClient, member: Person
) -> None:
    # when a signed-in user sends an empty body
    reply = await post(client, ISSUES, as_=member, json={})

    # then each required field is named, in Laravel's form
    assert reply.status == 422
    assert set(reply.body) == {"message", "errors"}
    assert set(reply.body["errors"]) == {"category_ids", "name", "description", "severity"}
    for messages in reply.body["errors"].values():
        assert isinstance(messages, list)
        assert all(isinstance(message, str) for message in messages)


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"severity": "urgent"}, "severity"),
        ({"name": "x" * 256}, "name"),
        ({"name": "   "}, "name"),
        ({"name": 42}, "name"),
        ({"category_ids": []}, "category_ids"),
        ({"category_ids": "abc"}, "category_ids"),
        ({"category_ids": [True]}, "category_ids"),
        ({"category_ids": {"a": 1}}, "category_ids"),
        ({"description": ""}, "description"),
        ({"description": "   "}, "description"),
    ],
    ids=[
        "bad-severity",
        "name-256",
        "blank-name",
        "numeric-name",
        "no-categories",
        "text-categories",
        "boolean-category",
        "object-categories",
        "empty-description",
        "blank-description",
    ],
)
async def test_invalid_input_creates_nothing(
    client: TestClient, owner: Person, member: Person, company: Company, overrides: dict, field: str
) -> None:
    # given a category
    category = await make_category(owner, company)

    # when an issue is created with one invalid field
    reply = await post(client, ISSUES, as_=member, json=issue_body(category.id, **overrides))

    # then that field is reported and nothing is created
    assert reply.status == 422
    assert field in reply.body["errors"]
    assert ids(await get(client, ISSUES, as_=member)) == []


async def test_a_name_of_255_characters_is_accepted(
    client: TestClient, owner: Person, member: Person, company: Company
) -> None:
    # given a category
    category = await make_category(owner, company)

    # when an issue's name is exactly 255 characters
    reply = await post(client, ISSUES, as_=member, json=issue_body(category.id, name="x" * 255))

    # then it is created with that name
    assert reply.status == 201
    assert reply.body["name"] == "x" * 255


async def test_an_issue_is_created_from_a_form_body(
    client: TestClient, owner: Person, member: Person, company: Company
) -> None:
    # given two categories
    network = await make_category(owner, company)
    printers = await make_category(owner, company)

    # when a Laravel client posts the issue form-encoded
    form = [
        ("category_ids[]", str(network.id)),
        ("category_ids[]", str(printers.id)),
        ("name", "Printers offline"),
        ("description", "Since the update."),
        ("severity", "important"),
    ]
    reply = await post(client, ISSUES, as_=member, data=form)

    # then it is created as from JSON
    assert reply.status == 201
    assert reply.body["severity"] == "important"
    shown = await read_issue(client, reply.body["id"], member)
    assert category_ids_of(shown) == sorted([network.id, printers.id])
    assert events_of(shown) == ["Since the update."]
