"""Lookups that find nothing, and documents the compiled path answers only in part: the
compiled path answers a missing or hidden object itself, byte for byte as the executor does
(null, and NOT_FOUND with its message, locations and path), and hands the executor only the
root fields it leaves, once, even when that part answers errors (their locations are the
client's document's)."""

from pathlib import Path

import pytest
from pytest_aiohttp import AiohttpClient

from issuetracker.models import ActionItem, Fact, IssueEvent, Upload
from issuetracker.models import Invitation as IssueInvitation
from issuetracker.schema.relay import to_global_id
from issuetracker.settings import Settings

from ..server.test_metrics import scrape, value
from ..sql_counter import count_sql
from ..support import Person
from ..world import World, seeded_world
from .differential import TwoApps, same_answer, two_apps

VIEWERS = ["anonymous", "outsider", "member", "owner", "guest"]
MISSING = 999999
NODE_TYPES = [
    "Issue",
    "IssueEvent",
    "Invitation",
    "ActionItem",
    "Fact",
    "IssueUpload",
    "Company",
    "Category",
    "User",
]
"""Every type `node` answers compiled."""


@pytest.fixture
async def world(database: None, tmp_path: Path) -> World:
    seeded = await seeded_world(tmp_path)
    for type_name, model in [
        ("IssueEvent", IssueEvent),
        ("Invitation", IssueInvitation),
        ("ActionItem", ActionItem),
        ("Fact", Fact),
        ("IssueUpload", Upload),
    ]:
        rows = await model.all().order_by("id")
        seeded.ids[type_name] = [to_global_id(type_name, row.pk) for row in rows]
    return seeded


@pytest.fixture
async def apps(aiohttp_client: AiohttpClient, settings: Settings, world: World) -> TwoApps:
    return await two_apps(aiohttp_client, settings)


def _viewer(world: World, name: str) -> Person | None:
    return None if name == "anonymous" else world.people[name]


async def _assert_same_bytes(
    apps: TwoApps, world: World, query: str, variables: dict[str, object]
) -> None:
    for name in VIEWERS:
        compiled, executed = await apps.both(query, variables, _viewer(world, name))
        assert compiled == executed, (name, query, variables, compiled, executed)


async def test_a_missing_or_hidden_lookup_answers_as_the_executor_does(
    apps: TwoApps, world: World
) -> None:
    lookups: list[tuple[str, list[dict[str, object]]]] = [
        # each lookup on a line of its own, aliased, and asked twice (two locations)
        (
            "query ($id: ID!) {\n  one: issue(id: $id) { name }\n  one: issue(id: $id) { id }\n}",
            _ids(world, "Issue"),
        ),
        (
            "query ($db: Int, $deleted: Boolean!) {\n  issue(databaseId: $db, "
            "includeDeleted: $deleted) { name }\n}",
            [
                {"db": number, "deleted": deleted}
                for number in (*world.database_ids, MISSING)
                for deleted in (False, True)
            ],
        ),
        (
            '{ issue(guid: "00000000-0000-4000-8000-000000000000") { name } }',
            [{}],
        ),
        (
            "query ($id: ID) { x: company(id: $id) { name } }",
            _ids(world, "Company"),
        ),
        (
            "query ($id: ID) {\n  ...Wanted\n}\nfragment Wanted on Query {\n"
            "  category(id: $id) { name }\n}",
            _ids(world, "Category"),
        ),
        (
            "query ($id: ID!, $yes: Boolean!) {\n  ... @include(if: $yes) {\n"
            "    node(id: $id) { id __typename }\n  }\n}",
            [
                {"id": global_id, "yes": True}
                for type_name in NODE_TYPES
                for global_id in [*world.ids[type_name], _missing(type_name)]
            ],
        ),
    ]
    for query, cases in lookups:
        for variables in cases:
            await _assert_same_bytes(apps, world, query, variables)
    # all answered by the compiled path, the hidden and missing ones too
    counts = apps.compiled_reads.counts
    assert counts["executed"] == counts["failed"] == 0, counts
    assert counts["not found"] > 0, counts


def _ids(world: World, type_name: str) -> list[dict[str, object]]:
    """The world's ids of the type (hidden ones among them), and a missing one."""
    return [{"id": global_id} for global_id in [*world.ids[type_name], _missing(type_name)]]


def _missing(type_name: str) -> str:
    return to_global_id(type_name, MISSING)


async def test_each_missing_entry_of_nodes_answers_as_the_executor_does(
    apps: TwoApps, world: World
) -> None:
    ids = [
        global_id
        for type_name in NODE_TYPES
        for global_id in [*world.ids[type_name], _missing(type_name)]
    ]
    query = "query ($ids: [ID!]!) {\n  nodes(ids: $ids) { id }\n}"

    await _assert_same_bytes(apps, world, query, {"ids": ids})
    counts = apps.compiled_reads.counts
    assert counts["executed"] == counts["failed"] == 0, counts
    assert counts["not found"] == len(VIEWERS), counts


async def test_the_compiled_path_answers_a_missing_lookup_without_the_executor(
    apps: TwoApps, world: World
) -> None:
    reads = apps.compiled_reads
    before = dict(reads.counts)
    query = {"query": f"{{ issue(databaseId: {MISSING}) {{ name }} }}"}
    owner = world.people["owner"]
    await apps.compiled.post(
        "/graphql", json={"query": "{ viewer { name } }"}, headers=owner.headers
    )

    with count_sql() as statements:
        response = await apps.compiled.post("/graphql", json=query, headers=owner.headers)

    assert (await response.json())["errors"][0]["extensions"] == {"code": "NOT_FOUND"}
    assert reads.counts["not found"] == before.get("not found", 0) + 1
    assert reads.counts["executed"] == before.get("executed", 0)
    assert reads.counts["executor"] == before.get("executor", 0)
    assert len(statements) == 1, statements  # the lookup's statement, and no resolver's


async def test_an_error_in_the_executors_part_runs_it_once(apps: TwoApps, world: World) -> None:
    owner = world.people["owner"]
    reads = apps.compiled_reads
    query = (
        "query ($hook: ID!) {\n  issues(first: 2) { nodes { name } }\n"
        f"  issue(databaseId: {MISSING}) {{ name }}\n"
        "  webhook(id: $hook) { url }\n  rateLimit { cost }\n}"
    )
    variables: dict[str, object] = {"hook": to_global_id("Webhook", MISSING)}
    before, counted = dict(reads.counts), await scrape(apps.compiled)

    body = {"query": query, "variables": variables}
    await apps.compiled.post("/graphql", json=body, headers=owner.headers)

    assert reads.counts["executor"] == before.get("executor", 0) + 1
    assert reads.counts["compiled"] == before.get("compiled", 0) + 2
    # each error counted once (the compiled path's and the executor's): nothing ran again
    missing = {"face": "/graphql", "code": "NOT_FOUND"}
    after = await scrape(apps.compiled)
    errors = value(after, "issuetracker_errors_total", **missing)
    assert errors - value(counted, "issuetracker_errors_total", **missing) == 2
    # and the answer is the executor's (but for the order of the two errors: the executor
    # lists them as its fields finish)
    compiled, executed = await apps.both(query, variables, owner)
    assert same_answer(compiled, executed), (compiled, executed)


async def test_mixed_documents_with_errors_answer_as_the_executor_does(
    apps: TwoApps, world: World
) -> None:
    documents: list[tuple[str, dict[str, object]]] = [
        # a refused argument in the executor's part, below a compiled field, in a fragment
        (
            "query {\n  companies { nodes { name } }\n  ...Hooks\n}\n"
            'fragment Hooks on Query {\n  webhook(id: "garbage") { url }\n}',
            {},
        ),
        # a compiled field the executor answers (a refused argument) beside a compiled one
        (
            "query ($f: Int) {\n  a: issues(first: $f) { nodes { name } }\n"
            "  b: issues(first: 1) { nodes { name } }\n  company(databaseId: 1) { name }\n}",
            {"f": 500},
        ),
        # an error that nulls all the data (webhooks needs a token)
        (
            f"{{\n  issue(databaseId: {MISSING}) {{ name }}\n  webhooks {{ nodes {{ url }} }}\n}}",
            {},
        ),
    ]
    for query, variables in documents:
        for name in VIEWERS:
            compiled, executed = await apps.both(query, variables, _viewer(world, name))
            assert same_answer(compiled, executed), (name, query, compiled, executed)
