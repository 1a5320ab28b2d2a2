"""One failing part of a request nulls only itself: lookups, `node`, the entries of `nodes`
and mutation fields are nullable, each error is at its own path, and every other field keeps
its data. On the compiled read path and the executor alike."""

from typing import Any

import pytest

from issuetracker.models import Company
from issuetracker.schema.relay import to_global_id
from issuetracker.settings import Settings

from ..support import Api, Person, gid, make_company, make_issue


@pytest.fixture(params=["compiled", "executor"])
def settings(request: pytest.FixtureRequest, settings: Settings) -> Settings:
    return settings.model_copy(update={"graphql_compiled_reads": request.param == "compiled"})


def _errors_by_path(body: dict[str, Any]) -> dict[tuple[Any, ...], str]:
    return {tuple(error["path"]): error["extensions"]["code"] for error in body["errors"]}


async def test_a_hidden_node_is_null_and_its_siblings_keep_their_data(
    api: Api, owner: Person, outsider: Person
) -> None:
    private = await make_company(owner, name="Private", public=False)
    await make_company(owner, name="Public")
    query = """query ($id: ID!) {
      node(id: $id) { id }
      companies(first: 5) { nodes { name } }
    }"""

    body = await api.graphql(query, {"id": gid("Company", private)}, as_=outsider)

    assert body["data"] == {"node": None, "companies": {"nodes": [{"name": "Public"}]}}
    assert _errors_by_path(body) == {("node",): "NOT_FOUND"}


async def test_a_malformed_node_id_is_bad_input_at_its_path(api: Api) -> None:
    body = await api.graphql('{ node(id: "garbage") { id } viewer { name } }')

    assert body["data"] == {"node": None, "viewer": None}
    assert _errors_by_path(body) == {("node",): "BAD_USER_INPUT"}


async def test_each_entry_of_nodes_fails_on_its_own(
    api: Api, owner: Person, outsider: Person
) -> None:
    public = await make_company(owner, name="Public")
    private = await make_company(owner, name="Private", public=False)
    ids = [gid("Company", public), gid("Company", private), "garbage", gid("Company", public)]
    query = "query ($ids: [ID!]!) { nodes(ids: $ids) { ... on Company { name } } }"

    body = await api.graphql(query, {"ids": ids}, as_=outsider)

    assert body["data"] == {"nodes": [{"name": "Public"}, None, None, {"name": "Public"}]}
    assert _errors_by_path(body) == {("nodes", 1): "NOT_FOUND", ("nodes", 2): "BAD_USER_INPUT"}


async def test_more_than_a_hundred_ids_is_bad_input(api: Api) -> None:
    ids = [to_global_id("Company", number) for number in range(1, 102)]

    body = await api.graphql("query ($ids: [ID!]!) { nodes(ids: $ids) { id } }", {"ids": ids})

    assert body["data"] is None
    assert _errors_by_path(body) == {("nodes",): "BAD_USER_INPUT"}


@pytest.mark.parametrize(
    ("lookup", "type_name"),
    [("company", "Company"), ("category", "Category"), ("issue", "Issue"), ("webhook", "Webhook")],
)
async def test_a_lookup_of_a_missing_object_is_null_with_not_found(
    api: Api, owner: Person, lookup: str, type_name: str
) -> None:
    await make_company(owner, name="Acme")
    query = f"""{{
      {lookup}(id: "{to_global_id(type_name, 999)}") {{ id }}
      companies(first: 1) {{ nodes {{ name }} }}
    }}"""

    body = await api.graphql(query, as_=owner)

    assert body["data"] == {lookup: None, "companies": {"nodes": [{"name": "Acme"}]}}
    assert _errors_by_path(body) == {(lookup,): "NOT_FOUND"}


async def test_one_refused_mutation_nulls_only_its_own_field(
    api: Api, owner: Person, member: Person
) -> None:
    theirs = await make_company(owner, name="Theirs")
    issue = await make_issue(owner)
    mutation = """mutation ($theirs: ID!, $issue: ID!) {
      mine: createCompany(input: {name: "Mine"}) { company { name } errors { code } }
      refused: deleteCompany(input: {id: $theirs}) { company { name } }
      missing: closeIssue(input: {id: $issue, description: "Done."}) { issue { name } }
      invalid: createCompany(input: {name: ""}) { company { name } errors { field code } }
    }"""

    body = await api.graphql(
        mutation, {"theirs": gid("Company", theirs), "issue": gid("Issue", issue)}, as_=member
    )

    assert body["data"] == {
        "mine": {"company": {"name": "Mine"}, "errors": []},
        "refused": None,
        "missing": None,
        "invalid": {"company": None, "errors": [{"field": "name", "code": "REQUIRED"}]},
    }
    assert _errors_by_path(body) == {("refused",): "FORBIDDEN", ("missing",): "NOT_FOUND"}
    assert await Company.filter(name="Theirs").exists()
