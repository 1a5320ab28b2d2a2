"""Narrowed API tokens through the real faces: made with `createApiToken`, shown on `ApiToken`,
a read-only token refused on every write and let read, a company-limited token acting as if
its user were a member of its companies only."""

import asyncio

from aiohttp.test_utils import TestClient

from issuetracker.models import Company

from ..support import Api, Person, gid, make_category, make_issue, narrowed
from .audit_helpers import changes_of, of_action, viewer_log
from .live import Subscribed, live_session, until_listening
from .upload_helpers import download, upload, uploaded

CREATE_TOKEN = """mutation ($input: CreateApiTokenInput!) {
  createApiToken(input: $input) {
    apiToken { secret token { readOnly companies { id name } } }
    errors { field code }
  }
}"""
TOKENS = "{ viewer { apiTokens { name readOnly companies { id } } } }"
CREATE_ISSUE = """mutation ($input: CreateIssueInput!) {
  createIssue(input: $input) { issue { id } errors { field code } }
}"""
CREATE_COMPANY = """mutation { createCompany(input: {name: "Elsewhere"}) {
  company { id } errors { code } } }"""
ISSUE_NAMES = "{ issues { nodes { name } } }"
ONE_COMPANY = "query ($id: ID!) { company(id: $id) { name } }"
MY_COMPANIES = "{ viewer { companies { nodes { name } } } }"
CHANGES = "subscription { issueChanges { kind issue { name } } }"


async def _make_token(api: Api, person: Person, **given: object) -> dict:
    body = await api.graphql(CREATE_TOKEN, {"input": {"name": "narrow", **given}}, as_=person)
    return body["data"]["createApiToken"]


async def test_a_token_is_made_read_only_or_limited_to_companies_of_its_user(
    api: Api, member: Person, outsider: Person, company: Company, private_company: Company
) -> None:
    # when the member makes a read-only token limited to the private company
    made = await _make_token(
        api, member, readOnly=True, companyIds=[gid("Company", private_company)]
    )

    # then the token says so, and so does the list of tokens (unrestricted ones show null)
    assert made["errors"] == []
    token = made["apiToken"]["token"]
    assert token == {
        "readOnly": True,
        "companies": [{"id": gid("Company", private_company), "name": "Private Ltd"}],
    }
    listed = (await api.data(TOKENS, as_=member))["viewer"]["apiTokens"]
    assert [(t["name"], t["readOnly"], t["companies"]) for t in listed] == [
        ("narrow", True, [{"id": gid("Company", private_company)}]),
        ("tests", False, None),
    ]
    # and a company the user is not a member of is refused, as an unknown one is
    refused = await _make_token(api, outsider, companyIds=[gid("Company", company)])
    assert refused == {
        "apiToken": None,
        "errors": [{"field": "companyIds", "code": "UNKNOWN"}],
    }


async def test_a_narrowed_token_makes_no_wider_token(
    api: Api, member: Person, company: Company, private_company: Company
) -> None:
    limited = await narrowed(member, companies=[private_company])

    # a token it makes without a limit is limited as it is, and a wider one is refused
    inherited = await _make_token(api, limited)
    assert inherited["apiToken"]["token"]["companies"] == [
        {"id": gid("Company", private_company), "name": "Private Ltd"}
    ]
    wider = await _make_token(api, limited, companyIds=[gid("Company", company)])
    assert wider["errors"] == [{"field": "companyIds", "code": "UNKNOWN"}]
    # and a read-only token makes none at all
    read_only = await narrowed(member, read_only=True)
    body = await api.graphql(CREATE_TOKEN, {"input": {"name": "x"}}, as_=read_only)
    assert body["errors"][0]["extensions"]["code"] == "FORBIDDEN"


async def test_a_read_only_token_is_refused_every_write_and_allowed_every_read(
    client: TestClient, api: Api, member: Person, owner: Person, company: Company
) -> None:
    category = await make_category(owner, company)
    issue = await make_issue(owner, category, name="Readable")
    file = await uploaded(client, issue, b"notes", owner)
    read_only = await narrowed(member, read_only=True)

    # a mutation answers FORBIDDEN, naming the token's scope, and runs no field
    body = await api.graphql(CREATE_COMPANY, as_=read_only)
    assert body["status"] == 403
    assert "data" not in body
    [error] = body["errors"]
    assert error["extensions"]["code"] == "FORBIDDEN"
    assert "read-only" in error["message"]
    # so does an upload
    response = await upload(client, issue, b"more", as_=read_only)
    assert response.status == 403
    # and every REST write, in its dialect's envelope
    cn = await client.put(
        f"/api/issues/{issue.id}", json={"description": "x"}, headers=read_only.headers
    )
    assert cn.status == 403
    assert "read-only" in (await cn.json())["message"]
    kinetic = await client.delete(f"/api/v1/issues/{issue.guid}", headers=read_only.headers)
    assert kinetic.status == 403
    assert (await kinetic.json())["success"] is False
    # while queries, REST reads and downloads answer
    assert (await api.data(ISSUE_NAMES, as_=read_only))["issues"]["nodes"] == [{"name": "Readable"}]
    listed = await client.get("/api/issues", headers=read_only.headers)
    assert listed.status == 200
    shown = await client.get(f"/api/v1/issues/{issue.guid}", headers=read_only.headers)
    assert shown.status == 200
    fetched = await download(client, file["upload"]["url"], read_only)
    assert (fetched.status, await fetched.read()) == (200, b"notes")


async def test_a_read_only_token_hears_subscriptions(
    client: TestClient, api: Api, member: Person, owner: Person, company: Company
) -> None:
    category = await make_category(owner, company)
    read_only = await narrowed(member, read_only=True)
    async with live_session(client, read_only) as session:
        changes = Subscribed(session, CHANGES, {})
        heard = asyncio.create_task(changes.next())
        await until_listening(client)
        draft = {"name": "Heard", "description": "-", "categoryIds": [gid("Category", category)]}
        await api.data(CREATE_ISSUE, {"input": draft}, as_=owner)
        assert (await heard)["issueChanges"] == {"kind": "CREATED", "issue": {"name": "Heard"}}


async def test_a_read_only_token_s_mutation_in_a_batch_is_refused_alone(
    client: TestClient, member: Person
) -> None:
    read_only = await narrowed(member, read_only=True)
    batch = [{"query": "{ viewer { name } }"}, {"query": CREATE_COMPANY}]
    response = await client.post("/graphql", json=batch, headers=read_only.headers)
    answered, refused = await response.json()
    assert answered["data"] == {"viewer": {"name": "Mia Member"}}
    assert "data" not in refused
    assert refused["errors"][0]["extensions"]["code"] == "FORBIDDEN"


async def test_the_audit_log_records_a_token_s_narrowing(
    client: TestClient, api: Api, member: Person, private_company: Company
) -> None:
    # when the member makes a read-only token limited to the private company
    made = await _make_token(
        api, member, readOnly=True, companyIds=[gid("Company", private_company)]
    )
    assert made["errors"] == []

    # then their log says how narrow it is
    [entry] = of_action(await viewer_log(client, member), "API_TOKEN_CREATED")
    changes = changes_of(entry)
    assert changes["read_only"] == (None, "true")
    assert changes["company_ids"] == (None, str(private_company.id))
    # and a company-limited token may not read that log, which reaches beyond its companies
    limited = await narrowed(member, companies=[private_company])
    body = await api.graphql("{ viewer { auditLog { nodes { action } } } }", as_=limited)
    assert body["errors"][0]["extensions"]["code"] == "FORBIDDEN"


async def test_a_read_only_token_s_flags_say_it_may_change_nothing(
    api: Api, member: Person, owner: Person, company: Company
) -> None:
    issue = await make_issue(owner, await make_category(owner, company))
    query = """query ($id: ID!) { issue(id: $id) { viewerCanUpdate viewerCanFollow
      categories { nodes { viewerCanUpdate company { viewerCanCreateCategory } } } } }"""
    variables = {"id": gid("Issue", issue)}
    read_only = await narrowed(owner, read_only=True)
    full = (await api.data(query, variables, as_=owner))["issue"]
    assert (full["viewerCanUpdate"], full["viewerCanFollow"]) == (True, True)
    flags = (await api.data(query, variables, as_=read_only))["issue"]
    assert flags == {
        "viewerCanUpdate": False,
        "viewerCanFollow": False,
        "categories": {
            "nodes": [{"viewerCanUpdate": False, "company": {"viewerCanCreateCategory": False}}]
        },
    }
