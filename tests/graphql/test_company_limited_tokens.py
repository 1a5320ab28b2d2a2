"""A token limited to some companies acts as if its user were a member of those only, on every
face: other companies' private data is hidden (as from anyone), issues without categories are
out of its reach, and it changes nothing elsewhere."""

import asyncio
from dataclasses import dataclass

import pytest
from aiohttp.test_utils import TestClient

from issuetracker.models import Category, Company, Issue, Role

from ..sql_counter import count_sql
from ..support import Api, Person, gid, make_category, make_company, make_issue, narrowed
from .live import Subscribed, live_session, until_listening
from .upload_helpers import download, uploaded

ISSUE_NAMES = "{ issues { nodes { name } } }"
ONE_COMPANY = "query ($id: ID!) { company(id: $id) { name viewerRole } }"
ONE_ISSUE = "query ($id: ID!) { issue(id: $id) { name } }"
MY_COMPANIES = "{ viewer { tags companies { nodes { name } } } }"
CREATE_ISSUE = """mutation ($input: CreateIssueInput!) {
  createIssue(input: $input) { issue { id } errors { field code } }
}"""
CREATE_COMPANY = """mutation { createCompany(input: {name: "Elsewhere"}) {
  company { id } errors { code } } }"""
CHANGES = "subscription { issueChanges { kind issue { name } } }"
EXECUTED_CHANGES = """subscription {
  issueChanges { kind issue { name uploads { nodes { downloadUrl } } } }
}"""
"""Uploads' signed links are the executor's: the hub's fallback answers."""


@dataclass
class Scene:
    limited: Person
    """The member's token, limited to `mine`."""
    mine: Category
    """A category of the private company the token is limited to."""
    other: Company
    """Another private company of the member's, beyond the token."""
    elsewhere: Category
    public: Issue
    in_mine: Issue
    in_other: Issue
    uncategorized: Issue
    """The member's own issue, without categories."""


@pytest.fixture
async def scene(owner: Person, member: Person, company: Company, private_company: Company) -> Scene:
    other = await make_company(owner, name="Other Ltd", public=False, members={member: Role.MEMBER})
    mine = await make_category(owner, private_company)
    elsewhere = await make_category(owner, other)
    return Scene(
        limited=await narrowed(member, companies=[private_company]),
        mine=mine,
        other=other,
        elsewhere=elsewhere,
        public=await make_issue(owner, await make_category(owner, company), name="Public"),
        in_mine=await make_issue(member, mine, name="Mine"),
        in_other=await make_issue(owner, elsewhere, name="Other"),
        uncategorized=await make_issue(member, name="Uncategorized", tags=["solo"]),
    )


async def test_graphql_shows_only_the_token_s_companies_private_data(
    api: Api, member: Person, scene: Scene, private_company: Company
) -> None:
    # the member's own token sees everything of theirs
    everything = await api.data(ISSUE_NAMES, as_=member)
    assert {n["name"] for n in everything["issues"]["nodes"]} == {
        "Public",
        "Mine",
        "Other",
        "Uncategorized",
    }
    # the limited token, the public issue and its company's only
    seen = await api.data(ISSUE_NAMES, as_=scene.limited)
    assert {n["name"] for n in seen["issues"]["nodes"]} == {"Public", "Mine"}
    for hidden in (scene.in_other, scene.uncategorized):
        body = await api.graphql(ONE_ISSUE, {"id": gid("Issue", hidden)}, as_=scene.limited)
        assert body["data"]["issue"] is None
        assert body["errors"][0]["extensions"]["code"] == "NOT_FOUND"
    other = await api.graphql(ONE_COMPANY, {"id": gid("Company", scene.other)}, as_=scene.limited)
    assert other["errors"][0]["extensions"]["code"] == "NOT_FOUND"
    own = await api.data(ONE_COMPANY, {"id": gid("Company", private_company)}, as_=scene.limited)
    assert own["company"] == {"name": "Private Ltd", "viewerRole": "MEMBER"}
    mine = await api.data(MY_COMPANIES, as_=scene.limited)
    assert mine["viewer"] == {"tags": [], "companies": {"nodes": [{"name": "Private Ltd"}]}}
    assert (await api.data(MY_COMPANIES, as_=member))["viewer"]["tags"] == ["solo"]


async def test_graphql_writes_stay_within_the_token_s_companies(api: Api, scene: Scene) -> None:
    def draft(*categories: Category) -> dict:
        ids = [gid("Category", category) for category in categories]
        return {"input": {"name": "New", "description": "-", "categoryIds": ids}}

    # an issue in its company is made; elsewhere, the category is unknown to it
    made = await api.data(CREATE_ISSUE, draft(scene.mine), as_=scene.limited)
    assert made["createIssue"]["errors"] == []
    elsewhere = await api.data(CREATE_ISSUE, draft(scene.elsewhere), as_=scene.limited)
    assert elsewhere["createIssue"]["errors"] == [{"field": "categoryIds", "code": "UNKNOWN"}]
    # and an issue without categories, or a company, is beyond it
    for query, variables in ((CREATE_ISSUE, draft()), (CREATE_COMPANY, None)):
        body = await api.graphql(query, variables, as_=scene.limited)
        assert body["errors"][0]["extensions"]["code"] == "FORBIDDEN", body
        assert "limited to companies" in body["errors"][0]["message"]


async def test_the_rest_faces_show_only_the_token_s_companies_private_data(
    client: TestClient, member: Person, scene: Scene
) -> None:
    everything = await client.get("/api/v1/issues", headers=member.headers)
    assert len((await everything.json())["issues"]) == 2
    headers = scene.limited.headers
    listed = await client.get("/api/issues?with[]=categories.company", headers=headers)
    assert {row["name"] for row in (await listed.json())["data"]} == {"Public", "Mine"}
    for hidden in (scene.in_other, scene.uncategorized):
        response = await client.get(f"/api/issues/{hidden.id}", headers=headers)
        assert response.status == 404
        response = await client.get(f"/api/v1/issues/{hidden.guid}", headers=headers)
        assert response.status == 404
    company = await client.get(f"/api/companies/{scene.other.id}", headers=headers)
    assert company.status == 404
    # Kinetic lists the caller's own issues: of the member's two, the one in its company
    kinetic = await client.get("/api/v1/issues", headers=headers)
    assert [issue["name"] for issue in (await kinetic.json())["issues"]] == ["Mine"]
    # and REST writes elsewhere are refused as for anyone who is not a member
    update = await client.put(
        f"/api/categories/{scene.elsewhere.id}", json={"name": "x"}, headers=headers
    )
    assert update.status == 404


async def test_downloads_follow_the_token_s_companies(
    client: TestClient, owner: Person, scene: Scene
) -> None:
    mine = await uploaded(client, scene.in_mine, b"mine", owner)
    other = await uploaded(client, scene.in_other, b"other", owner)
    shown = await download(client, mine["upload"]["url"], scene.limited)
    assert (shown.status, await shown.read()) == (200, b"mine")
    assert (await download(client, other["upload"]["url"], scene.limited)).status == 404


@pytest.mark.parametrize("subscription", [CHANGES, EXECUTED_CHANGES], ids=["compiled", "executed"])
async def test_subscriptions_hear_only_the_token_s_companies(
    client: TestClient, api: Api, owner: Person, scene: Scene, subscription: str
) -> None:
    async with live_session(client, scene.limited) as session:
        changes = Subscribed(session, subscription, {})
        first = asyncio.create_task(changes.next())
        await until_listening(client)
        for category, name in ((scene.elsewhere, "Unheard"), (scene.mine, "Heard")):
            draft = {"name": name, "description": "-", "categoryIds": [gid("Category", category)]}
            await api.data(CREATE_ISSUE, {"input": draft}, as_=owner)
        heard = (await first)["issueChanges"]
        assert (heard["kind"], heard["issue"]["name"]) == ("CREATED", "Heard")


async def test_the_user_s_webhooks_are_beyond_a_company_limited_token(
    client: TestClient, api: Api, scene: Scene
) -> None:
    # webhooks hear all their user may see, so the token reaches none of them
    body = await api.graphql("{ webhooks { nodes { id } } }", as_=scene.limited)
    assert body["errors"][0]["extensions"]["code"] == "FORBIDDEN"
    listed = await client.get("/api/webhooks", headers=scene.limited.headers)
    assert listed.status == 403


async def test_invitations_are_managed_only_within_the_token_s_companies(
    api: Api, owner: Person, company: Company, private_company: Company
) -> None:
    invite = """mutation ($id: ID!) { inviteCompanyMember(input: {companyId: $id,
      email: "newcomer@example.com"}) { errors { code } } }"""
    await api.data(invite, {"id": gid("Company", company)}, as_=owner)
    query = "query ($id: ID!) { company(id: $id) { invitations { totalCount } } }"
    variables = {"id": gid("Company", company)}
    limited = await narrowed(owner, companies=[private_company])

    # the owner's own token sees the public company's invitation; the limited one, none
    full = await api.data(query, variables, as_=owner)
    assert full["company"]["invitations"]["totalCount"] == 1
    seen = await api.data(query, variables, as_=limited)
    assert seen["company"]["invitations"]["totalCount"] == 0


async def test_a_limit_costs_no_statement(
    client: TestClient, api: Api, member: Person, scene: Scene
) -> None:
    # the limit is a condition inside the statements every face already sends
    query = "{ issues { nodes { name categories { nodes { company { name viewerRole } } } } } }"
    counts = []
    for person in (member, scene.limited):
        with count_sql() as statements:
            await api.data(query, as_=person)
            await client.get("/api/issues?with[]=categories.company", headers=person.headers)
            await client.get("/api/v1/issues", headers=person.headers)
        counts.append(len(statements))
    assert counts[0] == counts[1]
