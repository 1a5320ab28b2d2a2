"""updateIssue over GraphQL: the description becomes an update, categories and tags synced when
given, moving an issue, and what an invalid update leaves behind (nothing)."""

from issuetracker.models import Company
from issuetracker.schema.relay import to_global_id

from ..support import Api, Person, error_codes, gid, make_category, make_company, make_issue
from .issue_mutation_helpers import CREATE_ISSUE, ISSUE_STATE, UPDATE_ISSUE, state_of


async def test_a_member_updates_an_issue_and_the_description_becomes_an_update(
    api: Api, owner: Person, member: Person, company: Company
) -> None:
    # given an issue by the owner
    issue = await make_issue(owner, await make_category(owner, company), description="Broken.")

    # when a member renames it, raises its severity and describes the change
    data = await api.data(
        UPDATE_ISSUE,
        {
            "input": {
                "id": gid("Issue", issue),
                "name": "Printer on fire",
                "severity": "CRITICAL",
                "description": "Now it smokes.",
            }
        },
        as_=member,
    )

    # then the issue is changed and the timeline has an UPDATED event by the member
    assert data["updateIssue"]["errors"] == []
    state = await state_of(api, issue, owner)
    assert state["name"] == "Printer on fire"
    assert state["severity"] == "CRITICAL"
    assert state["description"] == "Now it smokes."
    assert state["events"]["nodes"] == [
        {"kind": "CREATED", "description": "Broken.", "author": {"name": "Olive Owner"}},
        {"kind": "UPDATED", "description": "Now it smokes.", "author": {"name": "Mia Member"}},
    ]


async def test_an_update_without_description_adds_no_event(
    api: Api, owner: Person, company: Company
) -> None:
    # given an issue
    issue = await make_issue(owner, await make_category(owner, company), description="Broken.")

    # when only its name changes
    data = await api.data(
        UPDATE_ISSUE, {"input": {"id": gid("Issue", issue), "name": "Renamed"}}, as_=owner
    )

    # then the name changes, and the description and timeline stay
    assert data["updateIssue"]["issue"]["name"] == "Renamed"
    state = await state_of(api, issue, owner)
    assert state["description"] == "Broken."
    assert [event["kind"] for event in state["events"]["nodes"]] == ["CREATED"]


async def test_category_ids_are_synced_when_given(
    api: Api, owner: Person, company: Company
) -> None:
    # given an issue in two of three categories
    network = await make_category(owner, company, "Network")
    printers = await make_category(owner, company, "Printers")
    phones = await make_category(owner, company, "Phones")
    issue = await make_issue(owner, network, printers)

    # when its categories are set to two others
    wanted = [gid("Category", printers), gid("Category", phones)]
    data = await api.data(
        UPDATE_ISSUE, {"input": {"id": gid("Issue", issue), "categoryIds": wanted}}, as_=owner
    )

    # then the issue is in exactly those
    assert data["updateIssue"]["issue"]["categories"]["nodes"] == [
        {"name": "Printers"},
        {"name": "Phones"},
    ]
    assert (await state_of(api, issue, owner))["categories"]["nodes"] == [
        {"name": "Printers"},
        {"name": "Phones"},
    ]


async def test_categories_and_tags_stay_when_not_given(
    api: Api, owner: Person, company: Company
) -> None:
    # given an issue with a category and tags
    issue = await make_issue(owner, await make_category(owner, company, "Network"), tags=["a", "b"])

    # when it is updated without categoryIds or tags
    await api.data(UPDATE_ISSUE, {"input": {"id": gid("Issue", issue), "name": "New"}}, as_=owner)

    # then both stay as they were
    state = await state_of(api, issue, owner)
    assert state["categories"]["nodes"] == [{"name": "Network"}]
    assert state["tags"] == ["a", "b"]


async def test_tags_are_synced_when_given(api: Api, owner: Person, company: Company) -> None:
    # given an issue with tags
    issue = await make_issue(owner, await make_category(owner, company), tags=["old", "kept"])

    # when its tags are set, and then cleared
    replaced = await api.data(
        UPDATE_ISSUE,
        {"input": {"id": gid("Issue", issue), "tags": ["Kept", "new"]}},
        as_=owner,
    )
    cleared = await api.data(
        UPDATE_ISSUE, {"input": {"id": gid("Issue", issue), "tags": []}}, as_=owner
    )

    # then the issue carries exactly the given tags each time
    assert replaced["updateIssue"]["issue"]["tags"] == ["kept", "new"]
    assert cleared["updateIssue"]["issue"]["tags"] == []
    assert (await state_of(api, issue, owner))["tags"] == []


async def test_moving_an_issue_into_a_company_you_are_not_in_is_forbidden(
    api: Api, owner: Person, member: Person, outsider: Person, company: Company
) -> None:
    # given an issue of the member's company, and a public company the member is not in
    issue = await make_issue(owner, await make_category(owner, company))
    elsewhere = await make_category(outsider, await make_company(outsider, name="Elsewhere"))
    before = await state_of(api, issue, owner)

    # when the member moves the issue into the other company's category
    body = await api.graphql(
        UPDATE_ISSUE,
        {
            "input": {
                "id": gid("Issue", issue),
                "name": "Moved",
                "categoryIds": [gid("Category", elsewhere)],
            }
        },
        as_=member,
    )

    # then it is forbidden, and nothing changed
    assert error_codes(body) == ["FORBIDDEN"]
    assert body["errors"][0]["message"] == (
        "You must have access to every company of the issue's categories."
    )
    assert await state_of(api, issue, owner) == before


async def test_moving_an_issue_into_a_hidden_category_is_refused_in_the_payload(
    api: Api, owner: Person, outsider: Person, private_company: Company
) -> None:
    # given an issue without categories owned by the outsider, and a hidden category
    issue = await make_issue(outsider, name="Kinetic")
    hidden = await make_category(owner, private_company)
    before = await state_of(api, issue, outsider)

    # when the outsider moves the issue into the hidden category
    data = await api.data(
        UPDATE_ISSUE,
        {"input": {"id": gid("Issue", issue), "categoryIds": [gid("Category", hidden)]}},
        as_=outsider,
    )

    # then the category counts as unknown, and nothing changed
    assert data["updateIssue"] == {
        "issue": None,
        "errors": [
            {
                "field": "categoryIds",
                "message": "The selected category ids are invalid.",
                "code": "UNKNOWN",
            }
        ],
    }
    assert await state_of(api, issue, outsider) == before


async def test_an_invalid_update_changes_nothing(api: Api, owner: Person, company: Company) -> None:
    # given an issue
    issue = await make_issue(owner, await make_category(owner, company), tags=["kept"])
    before = await state_of(api, issue, owner)

    # when an update has a valid description and tags but a blank name and an unknown category
    data = await api.data(
        UPDATE_ISSUE,
        {
            "input": {
                "id": gid("Issue", issue),
                "name": " ",
                "description": "Should not be recorded.",
                "tags": ["new"],
                "categoryIds": [to_global_id("Category", 404)],
            }
        },
        as_=owner,
    )

    # then both fields are reported, and nothing changed
    assert data["updateIssue"]["issue"] is None
    assert [error["field"] for error in data["updateIssue"]["errors"]] == ["name", "categoryIds"]
    assert data["updateIssue"]["errors"][0]["code"] == "REQUIRED"
    assert await state_of(api, issue, owner) == before


async def test_a_blank_description_in_an_update_is_no_description(
    api: Api, owner: Person, company: Company
) -> None:
    # given an issue
    issue = await make_issue(owner, await make_category(owner, company), description="Broken.")

    # when it is renamed with a blank description
    data = await api.data(
        UPDATE_ISSUE,
        {"input": {"id": gid("Issue", issue), "name": "Renamed", "description": "   "}},
        as_=owner,
    )

    # then the name changes, but the description stays and no blank event is recorded
    assert data["updateIssue"]["errors"] == []
    state = await state_of(api, issue, owner)
    assert state["name"] == "Renamed"
    assert state["description"] == "Broken."
    assert [event["kind"] for event in state["events"]["nodes"]] == ["CREATED"]


async def test_descriptions_are_trimmed_like_every_other_text(
    api: Api, owner: Person, company: Company
) -> None:
    # given an issue created with a padded description
    category = await make_category(owner, company)
    created = await api.data(
        CREATE_ISSUE,
        {
            "input": {
                "name": "Padded",
                "description": "  It broke.\n",
                "categoryIds": [gid("Category", category)],
            }
        },
        as_=owner,
    )
    issue_id = created["createIssue"]["issue"]["id"]

    # when it is updated with a padded description
    await api.data(
        UPDATE_ISSUE, {"input": {"id": issue_id, "description": " Still broken. "}}, as_=owner
    )

    # then the issue and its events hold the trimmed text
    state = (await api.data(ISSUE_STATE, {"id": issue_id}, as_=owner))["issue"]
    assert state["description"] == "Still broken."
    assert [event["description"] for event in state["events"]["nodes"]] == [
        "It broke.",
        "Still broken.",
    ]


async def test_a_too_long_name_is_refused_in_the_payload(
    api: Api, owner: Person, company: Company
) -> None:
    # given an issue
    issue = await make_issue(owner, await make_category(owner, company))
    before = await state_of(api, issue, owner)

    # when it is renamed to 256 characters
    data = await api.data(
        UPDATE_ISSUE, {"input": {"id": gid("Issue", issue), "name": "x" * 256}}, as_=owner
    )

    # then the payload names the field, and nothing changed
    assert data["updateIssue"]["errors"] == [
        {
            "field": "name",
            "message": "The name may not be greater than 255 characters.",
            "code": "TOO_LONG",
        }
    ]
    assert await state_of(api, issue, owner) == before
