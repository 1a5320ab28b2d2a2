"""createIssue over GraphQL: the description opens the timeline, who may create an issue where,
and every invalid field reported in the payload."""

import pytest

from issuetracker.models import Company, Membership, Role
from issuetracker.schema.relay import to_global_id

from ..support import Api, Person, error_codes, gid, make_category, make_company, nothing_answered
from .issue_mutation_helpers import CREATE_ISSUE, ISSUE_COUNT, ISSUE_STATE

ISSUE_NAMES = """
query { issues { nodes { name } } }
"""


async def test_a_member_creates_an_issue_whose_description_opens_the_timeline(
    api: Api, member: Person, company: Company
) -> None:
    # given a category of the member's company
    category = await make_category(member, company, "Printers")

    # when the member creates an issue in it
    body = await api.graphql(
        CREATE_ISSUE,
        {
            "input": {
                "name": "  Printer down  ",
                "description": "Nothing prints.",
                "severity": "CRITICAL",
                "categoryIds": [gid("Category", category)],
                "tags": ["Hardware", " urgent", "hardware"],
            }
        },
        as_=member,
    )

    # then the issue exists, owned by the member, and its description is the first event
    payload = body["data"]["createIssue"]
    assert payload["errors"] == []
    issue = payload["issue"]
    assert issue["name"] == "Printer down"
    assert issue["description"] == "Nothing prints."
    assert issue["severity"] == "CRITICAL"
    assert issue["status"] == "OPEN"
    assert issue["owner"] == {"name": "Mia Member"}
    assert issue["participants"] == [{"name": "Mia Member"}]
    assert issue["tags"] == ["hardware", "urgent"]
    assert issue["categories"]["nodes"] == [{"name": "Printers"}]
    assert issue["events"]["nodes"] == [
        {"kind": "CREATED", "description": "Nothing prints.", "author": {"name": "Mia Member"}}
    ]
    assert (await api.data(ISSUE_NAMES))["issues"]["nodes"] == [{"name": "Printer down"}]


async def test_severity_defaults_to_info(api: Api, member: Person, company: Company) -> None:
    # when an issue is created without a severity
    category = await make_category(member, company)
    data = await api.data(
        CREATE_ISSUE,
        {
            "input": {
                "name": "Slow",
                "description": "A bit.",
                "categoryIds": [gid("Category", category)],
            }
        },
        as_=member,
    )

    # then it is INFO
    assert data["createIssue"]["issue"]["severity"] == "INFO"


async def test_anonymous_may_not_create_an_issue(api: Api, owner: Person, company: Company) -> None:
    # given a public category
    category = await make_category(owner, company)

    # when anonymous tries to create an issue in it
    body = await api.graphql(
        CREATE_ISSUE,
        {
            "input": {
                "name": "Spam",
                "description": "Spam.",
                "categoryIds": [gid("Category", category)],
            }
        },
    )

    # then it is refused at the top level, and nothing was created
    assert body["status"] == 200
    assert error_codes(body) == ["UNAUTHENTICATED"]
    assert body["errors"][0]["message"] == "Unauthenticated."
    assert nothing_answered(body)
    assert (await api.data(ISSUE_COUNT, as_=owner))["issues"]["totalCount"] == 0


async def test_an_outsider_may_not_create_an_issue_in_a_public_company(
    api: Api, owner: Person, outsider: Person, company: Company
) -> None:
    # given a public company's category
    category = await make_category(owner, company)

    # when an outsider tries to create an issue in it
    body = await api.graphql(
        CREATE_ISSUE,
        {
            "input": {
                "name": "Mine",
                "description": "Hi.",
                "categoryIds": [gid("Category", category)],
            }
        },
        as_=outsider,
    )

    # then it is forbidden, and nothing was created
    assert error_codes(body) == ["FORBIDDEN"]
    assert body["errors"][0]["message"] == (
        "You must have access to every company of the issue's categories."
    )
    assert (await api.data(ISSUE_COUNT, as_=owner))["issues"]["totalCount"] == 0
    assert (await api.data(ISSUE_COUNT, as_=outsider))["issues"]["totalCount"] == 0


async def test_creating_needs_access_to_every_company_of_the_categories(
    api: Api, owner: Person, member: Person, outsider: Person, company: Company
) -> None:
    # given categories of two public companies; the member is in one, the outsider in both
    ours = await make_category(owner, company)
    theirs = await make_category(outsider, await make_company(outsider, name="Elsewhere"))
    await Membership.create(user=outsider.user, company=company, role=Role.MEMBER)
    both = {
        "name": "Both",
        "description": "Hi.",
        "categoryIds": [gid("Category", ours), gid("Category", theirs)],
    }

    # when each creates an issue in both categories
    refused = await api.graphql(CREATE_ISSUE, {"input": both}, as_=member)
    allowed = await api.graphql(CREATE_ISSUE, {"input": both}, as_=outsider)

    # then only the member of every company may
    assert error_codes(refused) == ["FORBIDDEN"]
    assert error_codes(allowed) == []
    assert allowed["data"]["createIssue"]["errors"] == []
    assert (await api.data(ISSUE_COUNT, as_=owner))["issues"]["totalCount"] == 1


async def test_an_issue_without_categories_belongs_to_its_owner(
    api: Api, owner: Person, member: Person, outsider: Person, company: Company
) -> None:
    # when a signed-in user creates an issue without categories
    data = await api.data(
        CREATE_ISSUE, {"input": {"name": "Kinetic", "description": "Hi."}}, as_=outsider
    )
    issue_id = data["createIssue"]["issue"]["id"]

    # then the owner sees it, and nobody else does
    assert data["createIssue"]["errors"] == []
    assert data["createIssue"]["issue"]["categories"]["nodes"] == []
    assert (await api.data(ISSUE_COUNT, as_=outsider))["issues"]["totalCount"] == 1
    assert (await api.data(ISSUE_COUNT, as_=member))["issues"]["totalCount"] == 0
    assert (await api.data(ISSUE_COUNT))["issues"]["totalCount"] == 0
    hidden = await api.graphql(ISSUE_STATE, {"id": issue_id}, as_=owner)
    assert error_codes(hidden) == ["NOT_FOUND"]


async def test_an_empty_name_is_refused_in_the_payload(
    api: Api, member: Person, company: Company
) -> None:
    # given a category of the member's company
    category = await make_category(member, company)

    # when the member creates an issue with a blank name
    data = await api.data(
        CREATE_ISSUE,
        {
            "input": {
                "name": "   ",
                "description": "Hi.",
                "categoryIds": [gid("Category", category)],
            }
        },
        as_=member,
    )

    # then the payload names the field, and nothing was created
    assert data["createIssue"] == {
        "issue": None,
        "errors": [{"field": "name", "message": "The name field is required.", "code": "REQUIRED"}],
    }
    assert (await api.data(ISSUE_COUNT, as_=member))["issues"]["totalCount"] == 0


@pytest.mark.parametrize(
    "category_id",
    ["missing", "private"],
)
async def test_unknown_or_hidden_categories_are_refused_in_the_payload(
    api: Api, owner: Person, outsider: Person, private_company: Company, category_id: str
) -> None:
    # given a category id that does not exist, or one of a company the outsider cannot see
    hidden = await make_category(owner, private_company)
    wanted = gid("Category", hidden) if category_id == "private" else to_global_id("Category", 404)

    # when the outsider creates an issue in it
    data = await api.data(
        CREATE_ISSUE,
        {"input": {"name": "Hi", "description": "Hi.", "categoryIds": [wanted]}},
        as_=outsider,
    )

    # then both look the same: the field is invalid; nothing was created
    assert data["createIssue"] == {
        "issue": None,
        "errors": [
            {
                "field": "categoryIds",
                "message": "The selected category ids are invalid.",
                "code": "UNKNOWN",
            }
        ],
    }
    assert (await api.data(ISSUE_COUNT, as_=owner))["issues"]["totalCount"] == 0


async def test_a_malformed_category_id_is_refused_in_the_payload(
    api: Api, member: Person, company: Company
) -> None:
    # when a category is named by something that is not a category id
    data = await api.data(
        CREATE_ISSUE,
        {"input": {"name": "Hi", "description": "Hi.", "categoryIds": [gid("Company", company)]}},
        as_=member,
    )

    # then the payload names the field
    assert data["createIssue"]["issue"] is None
    assert data["createIssue"]["errors"] == [
        {"field": "categoryIds", "message": "The id is not of type Category.", "code": "INVALID_ID"}
    ]


async def test_every_invalid_field_is_reported_at_once(api: Api, member: Person) -> None:
    # when an issue is created with a blank name, 21 tags and an unknown category
    data = await api.data(
        CREATE_ISSUE,
        {
            "input": {
                "name": "",
                "description": "Hi.",
                "categoryIds": [to_global_id("Category", 404)],
                "tags": [f"tag-{number}" for number in range(21)],
            }
        },
        as_=member,
    )

    # then each field has its error, and nothing was created
    assert data["createIssue"]["issue"] is None
    assert data["createIssue"]["errors"] == [
        {"field": "name", "message": "The name field is required.", "code": "REQUIRED"},
        {"field": "tags", "message": "An issue may carry at most 20 tags.", "code": "TOO_MANY"},
        {
            "field": "categoryIds",
            "message": "The selected category ids are invalid.",
            "code": "UNKNOWN",
        },
    ]
    assert (await api.data(ISSUE_COUNT, as_=member))["issues"]["totalCount"] == 0
