"""The audit log: each audited change leaves exactly one entry, written with the change, naming
who did it, from which client address, and what changed (never a secret or a password); a
company's log is read by its owners and admins only, each user's own log by them."""

from datetime import timedelta

import pytest
from aiohttp.test_utils import TestClient

from issuetracker.housekeeping import housekeep_once
from issuetracker.models import AuditEntry, Company
from issuetracker.resolvers.accounts.users import create_verified_user
from issuetracker.settings import Settings

from ..support import Person, anonymous_scope, gid, make_category, make_issue, make_person
from .audit_helpers import (
    ADDRESS,
    COMPANY_LOG,
    changes_of,
    company_log,
    data,
    graphql,
    of_action,
    payload_ok,
    stored_entries,
    viewer_log,
)

CREATE_COMPANY = """
mutation ($name: String!) {
  createCompany(input: {name: $name}) { company { id databaseId } errors { code } }
}
"""
UPDATE_COMPANY = """
mutation ($input: UpdateCompanyInput!) { updateCompany(input: $input) { errors { code } } }
"""
DELETE_COMPANY = """
mutation ($id: ID!) { deleteCompany(input: {id: $id}) { errors { code } } }
"""
INVITE = """
mutation ($company: ID!, $email: String!) {
  inviteCompanyMember(input: {companyId: $company, email: $email, role: ADMIN}) {
    companyInvitation { id } errors { code }
  }
}
"""
ACCEPT = "mutation ($id: ID!) { acceptCompanyInvitation(input: {id: $id}) { errors { code } } }"
CHANGE_ROLE = """
mutation ($company: ID!, $user: ID!) {
  changeCompanyMemberRole(input: {companyId: $company, userId: $user, role: MEMBER}) {
    errors { code }
  }
}
"""
REMOVE = """
mutation ($company: ID!, $user: ID!) {
  removeCompanyMember(input: {companyId: $company, userId: $user}) { errors { code } }
}
"""
DELETE_CATEGORY = "mutation ($id: ID!) { deleteCategory(input: {id: $id}) { errors { code } } }"
DELETE_ISSUE = "mutation ($id: ID!) { deleteIssue(input: {id: $id}) { errors { code } } }"
CREATE_TOKEN = """
mutation { createApiToken(input: {name: "deploys"}) {
  apiToken { token { id } secret } errors { code }
} }
"""
REVOKE_TOKEN = "mutation ($id: ID!) { revokeApiToken(input: {id: $id}) { errors { code } } }"
CREATE_WEBHOOK = """
mutation { createWebhook(input: {url: "https://hooks.example.com/a"}) {
  webhook { id } secret errors { code }
} }
"""
ROTATE = """
mutation ($id: ID!) { rotateWebhookSecret(input: {id: $id}) { secret errors { code } } }
"""
DELETE_WEBHOOK = "mutation ($id: ID!) { deleteWebhook(input: {id: $id}) { errors { code } } }"
LOGIN = """
mutation ($email: String!, $password: String!) {
  login(input: {email: $email, password: $password}) { apiToken { secret } errors { code } }
}
"""
PASSWORD = "a long enough password"


def owner_name(person: Person) -> str:
    assert person.user is not None
    return person.user.name


def owner_id(person: Person) -> int:
    assert person.user is not None
    return person.user.id


@pytest.fixture
def settings(settings: Settings) -> Settings:
    """The suite's settings, believing one proxy's `X-Forwarded-For`, and locking an address
    after two failed sign-ins."""
    return settings.model_copy(update={"trusted_proxy_count": 1, "login_failures_per_address": 2})


async def test_creating_a_company_leaves_one_entry_with_its_actor_address_and_values(
    client: TestClient, owner: Person
) -> None:
    # when a company is created over GraphQL
    created = payload_ok(await data(client, CREATE_COMPANY, {"name": "Acme"}, as_=owner))

    # then its log holds one entry: the creator, their address, the new values
    [entry] = await company_log(client, created["company"]["id"], owner)
    assert entry["action"] == "COMPANY_CREATED"
    assert entry["actor"] == {"name": owner_name(owner)}
    assert entry["clientAddress"] == ADDRESS
    assert entry["subject"] == {"__typename": "Company", "id": created["company"]["id"]}
    assert changes_of(entry) == {
        "name": (None, "Acme"),
        "slug": (None, "acme"),
        "isPublic": (None, "true"),
    }


async def test_renaming_and_changing_visibility_and_slug_leave_one_entry_each(
    client: TestClient, owner: Person, company: Company
) -> None:
    # when an owner changes the name, visibility and slug at once, then the logo alone
    changes = {"id": gid("Company", company), "name": "Acme 2", "isPublic": False, "slug": "a2"}
    payload_ok(await data(client, UPDATE_COMPANY, {"input": changes}, as_=owner))
    logo = {"id": gid("Company", company), "logoUrl": "https://example.com/logo.png"}
    payload_ok(await data(client, UPDATE_COMPANY, {"input": logo}, as_=owner))

    # then one entry for each audited change, none for the logo
    entries = await company_log(client, gid("Company", company), owner)
    by_action = {entry["action"]: changes_of(entry) for entry in entries}
    assert by_action.pop("COMPANY_CREATED")  # the fixture's
    assert by_action == {
        "COMPANY_RENAMED": {"name": (company.name, "Acme 2")},
        "COMPANY_VISIBILITY_CHANGED": {"isPublic": ("true", "false")},
        "COMPANY_SLUG_CHANGED": {"slug": (company.slug, "a2")},
    }
    assert len(entries) == 4


async def test_membership_changes_leave_one_entry_each_with_their_actor(
    client: TestClient, owner: Person, company: Company
) -> None:
    # given someone invited as an admin, who accepts
    newcomer = await make_person("Nia Newcomer")
    assert newcomer.user is not None
    company_id = gid("Company", company)
    variables = {"company": company_id, "email": newcomer.user.email}
    invited = payload_ok(await data(client, INVITE, variables, as_=owner))
    invitation_id = invited["companyInvitation"]["id"]
    payload_ok(
        await data(client, ACCEPT, {"id": invitation_id}, as_=newcomer, address="198.51.100.2")
    )

    # when an owner makes them a member, then removes them
    people = {"company": company_id, "user": newcomer.global_id}
    payload_ok(await data(client, CHANGE_ROLE, people, as_=owner))
    payload_ok(await data(client, REMOVE, people, as_=owner))

    # then the log tells each step once, newest first, with who did it and from where
    entries = await company_log(client, company_id, owner)
    actions = [entry["action"] for entry in entries]
    assert actions == [
        "MEMBER_REMOVED",
        "MEMBER_ROLE_CHANGED",
        "MEMBER_JOINED",
        "MEMBER_INVITED",
        "COMPANY_CREATED",
    ]
    removed, changed, joined, invited_entry, _ = entries
    assert changes_of(invited_entry) == {
        "email": (None, newcomer.user.email),
        "role": (None, "ADMIN"),
    }
    assert invited_entry["subjectId"] == invitation_id
    assert joined["actor"] == {"name": "Nia Newcomer"}
    assert joined["clientAddress"] == "198.51.100.2"
    assert changes_of(joined) == {"role": (None, "ADMIN")}
    assert changes_of(changed) == {"role": ("ADMIN", "MEMBER")}
    assert changes_of(removed) == {"role": ("MEMBER", None)}
    for entry in (removed, changed, joined):
        assert entry["subjectId"] == newcomer.global_id
    assert {entry["actor"]["name"] for entry in (removed, changed, invited_entry)} == {
        owner_name(owner)
    }


async def test_deleting_a_category_and_an_issue_leaves_one_entry_each(
    client: TestClient, owner: Person, member: Person, company: Company
) -> None:
    # given a category with an issue, and another category
    category = await make_category(owner, company, "Network")
    issue = await make_issue(owner, category, name="Router down")
    doomed = await make_category(owner, company, "Printers")

    # when a member deletes the issue and the other category
    payload_ok(await data(client, DELETE_ISSUE, {"id": gid("Issue", issue)}, as_=member))
    payload_ok(await data(client, DELETE_CATEGORY, {"id": gid("Category", doomed)}, as_=member))

    # then the company's log tells both, by the member
    entries = await company_log(client, gid("Company", company), owner)
    [deleted_category] = of_action(entries, "CATEGORY_DELETED")
    [deleted_issue] = of_action(entries, "ISSUE_DELETED")
    assert changes_of(deleted_category) == {"name": ("Printers", None)}
    assert changes_of(deleted_issue) == {"name": ("Router down", None)}
    assert deleted_issue["actor"] == {"name": owner_name(member)}
    # the deleted issue is hidden now; its id stays in the entry
    assert deleted_issue["subject"] is None
    assert deleted_issue["subjectId"] == gid("Issue", issue)


async def test_deleting_a_company_leaves_one_entry(
    client: TestClient, owner: Person, company: Company
) -> None:
    # when the owner deletes the company
    payload_ok(await data(client, DELETE_COMPANY, {"id": gid("Company", company)}, as_=owner))

    # then its deletion is recorded once, which outlives the company
    [entry] = await stored_entries(company_id=company.id, action="company_deleted")
    assert entry.actor_id == owner_id(owner)
    assert entry.client_address == ADDRESS
    assert entry.changes == [{"field": "name", "before": company.name, "after": None}]


@pytest.mark.parametrize("reader", ["owner", "admin"])
async def test_owners_and_admins_read_the_company_log(
    client: TestClient, company: Company, reader: str, owner: Person, admin: Person
) -> None:
    person = {"owner": owner, "admin": admin}[reader]
    entries = await company_log(client, gid("Company", company), person)
    assert [entry["action"] for entry in entries] == ["COMPANY_CREATED"]


@pytest.mark.parametrize("reader", ["member", "outsider", "anonymous"])
async def test_members_and_others_are_refused_the_company_log(
    client: TestClient,
    company: Company,
    reader: str,
    member: Person,
    outsider: Person,
    anonymous: Person,
) -> None:
    # given a public company, which everyone sees
    person = {"member": member, "outsider": outsider, "anonymous": anonymous}[reader]

    # when someone who does not manage it asks for its log
    body = await graphql(client, COMPANY_LOG, {"id": gid("Company", company)}, as_=person)

    # then the log is null with an error, and the company is still answered
    assert body["data"]["company"] == {"auditLog": None}
    [error] = body["errors"]
    assert error["path"] == ["company", "auditLog"]
    assert error["extensions"]["code"] in {"FORBIDDEN", "UNAUTHENTICATED"}
    if reader != "anonymous":
        assert error["extensions"]["code"] == "FORBIDDEN"


async def test_tokens_and_webhooks_are_in_their_owners_log_only(
    client: TestClient, owner: Person, member: Person, outsider: Person, company: Company
) -> None:
    # when a user makes a token and revokes it, and makes, rotates and deletes a webhook
    token = payload_ok(await data(client, CREATE_TOKEN, as_=member))["apiToken"]
    payload_ok(await data(client, REVOKE_TOKEN, {"id": token["token"]["id"]}, as_=member))
    hook = payload_ok(await data(client, CREATE_WEBHOOK, as_=member))
    rotated = payload_ok(await data(client, ROTATE, {"id": hook["webhook"]["id"]}, as_=member))
    payload_ok(await data(client, DELETE_WEBHOOK, {"id": hook["webhook"]["id"]}, as_=member))

    # then their own log tells each, once, newest first, with no secret in it
    entries = await viewer_log(client, member)
    assert [entry["action"] for entry in entries] == [
        "WEBHOOK_DELETED",
        "WEBHOOK_SECRET_ROTATED",
        "WEBHOOK_CREATED",
        "API_TOKEN_REVOKED",
        "API_TOKEN_CREATED",
    ]
    assert all(entry["actor"] == {"name": owner_name(member)} for entry in entries)
    assert all(entry["clientAddress"] == ADDRESS for entry in entries)
    shown = repr(entries) + repr([entry.changes for entry in await AuditEntry.all()])
    for secret in (token["secret"], hook["secret"], rotated["secret"]):
        assert secret not in shown
    assert changes_of(entries[2]) == {"url": (None, "https://hooks.example.com/a")}
    assert changes_of(entries[4])["name"] == (None, "deploys")
    # and no one else's log, nor the company's, shows them
    assert await viewer_log(client, outsider) == []
    company_entries = await company_log(client, gid("Company", company), owner)
    assert [entry["action"] for entry in company_entries] == ["COMPANY_CREATED"]


async def test_a_sign_in_from_a_new_address_is_recorded_once_per_address(
    client: TestClient,
) -> None:
    # given a user with a password
    user = await create_verified_user(anonymous_scope(), "sam@example.com", "Sam", PASSWORD)
    credentials = {"email": user.email, "password": PASSWORD}

    # when they sign in twice from one address and once from another
    for address in ("192.0.2.1", "192.0.2.1", "192.0.2.99"):
        signed_in = await data(client, LOGIN, credentials, address=address)
        secret = payload_ok(signed_in)["apiToken"]["secret"]

    # then their log has one entry for each new address, by them, from it
    person = Person(user, secret)
    entries = of_action(await viewer_log(client, person), "SIGN_IN_FROM_NEW_ADDRESS")
    assert [entry["clientAddress"] for entry in entries] == ["192.0.2.99", "192.0.2.1"]
    assert all(entry["actor"] == {"name": "Sam"} for entry in entries)
    assert changes_of(entries[0]) == {"clientAddress": (None, "192.0.2.99")}
    assert PASSWORD not in repr(await viewer_log(client, person))


async def test_a_locked_sign_in_is_recorded_once_per_lock_without_an_actor(
    client: TestClient,
) -> None:
    # given a user with a password
    user = await create_verified_user(anonymous_scope(), "lee@example.com", "Lee", PASSWORD)
    wrong = {"email": user.email, "password": "not the password at all"}

    # when a client fails twice, then is refused twice more while locked
    for _ in range(4):
        await graphql(client, LOGIN, wrong, address="192.0.2.66")

    # then the user's log tells of one lock, by no one, from the guessing client
    [entry] = await stored_entries(user_id=user.id, action="sign_in_locked")
    assert entry.actor_id is None
    assert entry.client_address == "192.0.2.66"
    assert "not the password" not in repr(entry.changes)


async def test_the_log_is_keyset_paged_newest_first(
    client: TestClient, owner: Person, company: Company
) -> None:
    # given six audited changes
    for number in range(5):
        changes = {"id": gid("Company", company), "name": f"Acme {number}"}
        payload_ok(await data(client, UPDATE_COMPANY, {"input": changes}, as_=owner))

    # when the log is read two entries a page
    seen, after = [], None
    while True:
        variables = {"id": gid("Company", company), "first": 2, "after": after}
        page = (await data(client, COMPANY_LOG, variables, as_=owner))["company"]["auditLog"]
        seen += [entry["changes"][0]["after"] for entry in page["nodes"]]
        if not page["pageInfo"]["hasNextPage"]:
            break
        after = page["pageInfo"]["endCursor"]

    # then every entry comes once, newest first
    assert seen == ["Acme 4", "Acme 3", "Acme 2", "Acme 1", "Acme 0", company.name]


async def test_the_worker_prunes_entries_past_the_retention(
    client: TestClient, settings: Settings, owner: Person, company: Company
) -> None:
    # given an entry a year and a day old, and one a day old
    [created] = await stored_entries(company_id=company.id)
    old = await AuditEntry.create(
        action="company_renamed",
        company_id=company.id,
        subject_type="Company",
        subject_id=company.id,
        changes=[],
        created_at=created.created_at - timedelta(days=366),
    )

    # when the worker's housekeeping runs (AUDIT_RETENTION_DAYS = 365 by default)
    pruned = await housekeep_once(settings, created.created_at + timedelta(days=1))

    # then only the old entry is gone
    assert pruned == 1
    assert [entry.id for entry in await stored_entries(company_id=company.id)] == [created.id]
    assert not await AuditEntry.exists(id=old.id)


async def test_a_refused_change_leaves_no_entry(
    client: TestClient, owner: Person, company: Company
) -> None:
    # given another company holding a slug
    other = await make_person("Olga Other")
    await data(client, CREATE_COMPANY, {"name": "Taken"}, as_=other)

    # when a rename and a slug change is refused for the taken slug
    changes = {"id": gid("Company", company), "name": "New name", "slug": "taken"}
    body = await data(client, UPDATE_COMPANY, {"input": changes}, as_=owner)
    assert [error["code"] for error in body["updateCompany"]["errors"]] == ["TAKEN"]

    # then neither the change nor an entry was kept
    entries = await company_log(client, gid("Company", company), owner)
    assert [entry["action"] for entry in entries] == ["COMPANY_CREATED"]
    assert (await Company.get(id=company.id)).name == company.name


async def test_the_rest_faces_leave_the_same_entries(client: TestClient, member: Person) -> None:
    # given a webhook made and deleted over ConnectNow, from a client behind the proxy
    headers = {**member.headers, "X-Forwarded-For": "198.51.100.8"}
    made = await client.post("/api/webhooks", json={"url": "http://127.0.0.1:9/a"}, headers=headers)
    assert made.status == 201
    hook = await made.json()
    assert (await client.delete(f"/api/webhooks/{hook['id']}", headers=headers)).status in {
        200,
        204,
    }
    # and an issue without categories made and deleted over Kinetic
    created = await client.post("/api/v1/issues", json={"name": "Loose"}, headers=headers)
    guid = (await created.json())["guid"]
    assert (await client.delete(f"/api/v1/issues/{guid}", headers=headers)).status == 200

    # then the member's own log tells each once, from that client, newest first
    entries = await viewer_log(client, member)
    assert [entry["action"] for entry in entries] == [
        "ISSUE_DELETED",
        "WEBHOOK_DELETED",
        "WEBHOOK_CREATED",
    ]
    assert {entry["clientAddress"] for entry in entries} == {"198.51.100.8"}
    assert hook["secret"] not in repr(entries)
