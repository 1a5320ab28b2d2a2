"""The compiled read path answers exactly as the executor does: the same bytes for every query
of a corpus (written to cover every field, argument and form, taken from the other test modules,
and generated), for every kind of viewer, on a world of varied data."""

from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from pytest_aiohttp import AiohttpClient

from issuetracker.models import Company
from issuetracker.schema import build_schema, limit_rules
from issuetracker.schema.compiled.types import EXECUTOR_ONLY, TYPES
from issuetracker.schema.relay import to_cursor
from issuetracker.settings import Settings

from ..fuzzing_budget import budget
from ..sql_counter import count_sql
from ..support import narrowed
from ..world import World, seeded_world
from .differential import TwoApps, same_answer, two_apps
from .generated_queries import documents
from .suite_queries import suite_queries, variables_for

VIEWERS = [
    "anonymous",
    "outsider",
    "member",
    "owner",
    "guest",
    "owner_public",
    "member_private",
    "member_read_only",
]
"""With narrowed tokens: the owner's limited to the public company, the member's to the private
one, and the member's read-only one."""

ISSUE_FIELDS = """
  id databaseId guid name description severity status conclusion externalReferenceId hashKey
  conferenceNumber closedAt deletedAt createdAt updatedAt categoriesUpdatedAt messagesUpdatedAt
  unknownsUpdatedAt factsUpdatedAt actionItemsUpdatedAt uploadsUpdatedAt involvementsUpdatedAt
  webhookUrl webhookSecret tags subscriberCount __typename
  viewerCanUpdate viewerCanClose viewerCanDelete viewerCanAddEvent viewerCanFollow
  owner { id name email title timeZone avatarUrl guid databaseId }
  participants { name email }
  categories { totalCount nodes { name viewerCanUpdate viewerCanDelete
    company { name isPublic viewerRole logoUrl viewerCanAdminister viewerCanDelete
              viewerCanCreateCategory } } }
  events { totalCount edges { cursor node { kind description createdAt author { name } } } }
  invitations { nodes { email acceptedAt createdAt invitedBy { name } acceptedBy { name } } }
  actionItems { nodes { description done dueOn createdAt updatedAt assignee { name }
                        createdBy { name } } }
  facts { nodes { description createdAt updatedAt author { name } } }
  uploads { nodes { guid fileName contentType size createdAt url uploadedBy { name } } }
"""

HANDWRITTEN: list[tuple[str, dict[str, object]]] = [
    # the executor answers rateLimit (what the checks counted), the compiled path the rest
    ("{ rateLimit { cost nodeCount } companies(first: 2) { nodes { name } } }", {}),
    (
        "query ($s: String) { issues(first: 20, filter: {search: $s}, orderBy: {field: RELEVANCE,"
        " direction: DESC}) { totalCount edges { cursor node { name } } } }",
        {"s": 'rout "the router" -zzz is:open severity:info tag:network created:>2000-01-01'},
    ),
    (
        "query ($s: String) { a: issues(filter: {search: $s}) { nodes { name } totalCount } "
        'b: issues(filter: {search: "is:deleted"}) { nodes { name } } '
        'c: issues(filter: {search: "involves:me owner:me company:x category:\\"y z\\""}) '
        "{ nodes { name } } }",
        {"s": "the"},
    ),
    ('{ issues(filter: {search: "label:bug"}) { nodes { name } } }', {}),
    (f"{{ issues(first: 100) {{ totalCount nodes {{ {ISSUE_FIELDS} }} }} }}", {}),
    ("{ issues { pageInfo { hasNextPage hasPreviousPage startCursor endCursor } } }", {}),
    (
        "query ($f: Int, $a: String, $l: Int, $b: String) { issues(first: $f, after: $a, "
        "last: $l, before: $b) { totalCount pageInfo { hasNextPage hasPreviousPage "
        "startCursor endCursor __typename } edges { cursor node { name } } nodes { id } } }",
        {"f": 3, "a": to_cursor(10)},
    ),
    (
        '{ issues(last: 2, before: "Y3Vyc29yOjU") { nodes { name } pageInfo { hasNextPage } } }',
        {},
    ),
    ("{ issues(first: 0) { totalCount nodes { name } pageInfo { hasNextPage } } }", {}),
    ("{ issues(first: 101) { nodes { name } } }", {}),
    ("{ issues(first: 2, last: 2) { nodes { name } } }", {}),
    ('{ issues(after: "garbage") { nodes { name } } }', {}),
    (
        "{ a: issues(filter: {status: CLOSED}) { nodes { name } } "
        'b: issues(filter: {severity: INFO, tag: " NETWORK "}) { nodes { name } } '
        "c: issues(filter: {involvingMe: true}) { nodes { name } } "
        "d: issues(filter: {deleted: true}) { nodes { name deletedAt } } "
        'e: issues(filter: {search: "router"}) { nodes { name } } '
        'f: issues(filter: {createdAfter: "2000-01-01T00:00:00Z", '
        'createdBefore: "2999-01-01T00:00:00+05:00"}) { totalCount } }',
        {},
    ),
    (
        "query ($companies: [ID!], $categories: [ID!]) { issues(filter: {companyIds: "
        "$companies, categoryIds: $categories}) { totalCount nodes { name } } }",
        {"companies": [], "categories": None},
    ),
    (
        "query ($id: ID!) { node(id: $id) { __typename id ... on Issue { name tags } "
        "... on Company { name slug statusPageUrl categories { nodes { name } } } "
        "... on Category { name } "
        "... on User { name email } ... on IssueEvent { description } "
        "... on ActionItem { description } ... on Fact { description } "
        "... on Invitation { email } ... on IssueUpload { fileName url } } }",
        {"id": None},
    ),
    (
        "query ($ids: [ID!]!) { nodes(ids: $ids) { __typename id ... on Issue { name } } }",
        {"ids": []},
    ),
    (
        "{ viewer { id name email phone emailVerifiedAt tags __typename "
        "apiTokens { name prefix createdAt lastUsedAt expiresAt revokedAt readOnly "
        "companies { name } } "
        "companies { totalCount nodes { name viewerRole } } } }",
        {},
    ),
    (
        # answered by the executor: which invitations wait depends on the request's clock
        "{ viewer { companyInvitations { totalCount nodes { id email role companyName "
        "createdAt expiresAt acceptedAt company { name } invitedBy { name } } } } "
        "companies { nodes { name invitations { totalCount nodes { email role } } } } }",
        {},
    ),
    (
        "{ companies { totalCount pageInfo { hasNextPage } nodes { id databaseId name logoUrl "
        "isPublic slug statusPageUrl createdAt updatedAt viewerRole categories(first: 1) { "
        "totalCount pageInfo { hasNextPage hasPreviousPage endCursor } nodes { name "
        "issues(first: 2) { totalCount pageInfo { hasNextPage hasPreviousPage } "
        "nodes { name } } } } } } }",
        {},
    ),
    (
        "{ categories(last: 2) { nodes { name company { name } issues(last: 1) { nodes { name } "
        "pageInfo { hasNextPage hasPreviousPage startCursor } } } } }",
        {},
    ),
    (
        "query ($c: [ID!]) { categories(companyIds: $c) { totalCount nodes { name } } }",
        {"c": None},
    ),
    (
        "query ($id: ID, $db: Int, $deleted: Boolean!) { one: issue(id: $id) { name } "
        "two: issue(databaseId: $db, includeDeleted: $deleted) { name deletedAt } }",
        {"id": None, "db": 1, "deleted": True},
    ),
    (
        "query ($id: ID) { company(id: $id) { name } category(databaseId: 1) { name } }",
        {"id": None},
    ),
    (
        "query ($yes: Boolean!, $no: Boolean!) { __typename issues(first: 2) { "
        "nodes { name @include(if: $yes) severity @skip(if: $yes) ...More @include(if: $no) "
        "... on Issue @skip(if: $no) { tags } } } } fragment More on Issue { guid }",
        {"yes": True, "no": False},
    ),
    ("{ issues { nodes { name } } webhooks { nodes { url } } }", {}),
    ("{ issue(databaseId: 999999) { name } issues(first: 1) { nodes { name } } }", {}),
    ("{ __schema { queryType { name } } issues(first: 1) { nodes { name } } }", {}),
    (
        "{ a: issues(orderBy: {field: NAME, direction: ASC}, first: 3) { edges { cursor "
        "node { name } } pageInfo { startCursor endCursor hasNextPage hasPreviousPage } } "
        "b: issues(orderBy: {field: SEVERITY, direction: DESC}, last: 2) { edges { cursor } "
        "pageInfo { startCursor endCursor hasPreviousPage hasNextPage } totalCount } "
        "c: issues(orderBy: {field: CREATED_AT, direction: ASC}, first: 2) { nodes { name } } "
        "d: issues(orderBy: {field: UPDATED_AT, direction: DESC}) { edges { cursor } } "
        'e: issues(filter: {search: "router"}, orderBy: {field: RELEVANCE, direction: DESC}) '
        "{ edges { cursor node { name } } pageInfo { endCursor } } }",
        {},
    ),
    (
        "query ($a: String, $b: String) { x: issues(orderBy: {field: NAME, direction: DESC}, "
        "first: 2, after: $a) { nodes { name } pageInfo { endCursor hasPreviousPage } } "
        "y: issues(orderBy: {field: SEVERITY, direction: ASC}, last: 2, before: $b) "
        "{ nodes { name } pageInfo { startCursor hasNextPage } } }",
        {"a": to_cursor(5, ("name", "m")), "b": to_cursor(9, ("severity", "1"))},
    ),
    (
        "{ companies { nodes { issues(orderBy: {field: NAME, direction: ASC}, first: 2) { "
        "totalCount nodes { name } pageInfo { hasNextPage endCursor } } categories { nodes { "
        "issues(orderBy: {field: SEVERITY, direction: ASC}, first: 2) { edges { cursor } "
        "pageInfo { hasNextPage endCursor } } } } } } }",
        {},
    ),
    ("{ issues(orderBy: {field: RELEVANCE, direction: DESC}) { nodes { name } } }", {}),
    (
        '{ issues(filter: {search: "is:open"}, orderBy: {field: RELEVANCE, direction: ASC}) '
        "{ edges { cursor node { name } } } }",
        {},
    ),
    (
        "query ($a: String) { issues(orderBy: {field: NAME, direction: ASC}, after: $a) "
        "{ nodes { name } } }",
        {"a": to_cursor(3)},
    ),
    (
        "query ($a: String, $b: String) { x: companies(orderBy: {field: NAME, direction: DESC}, "
        "first: 2, after: $a) { totalCount totalCountIsExact edges { cursor node { name } } "
        "pageInfo { endCursor hasPreviousPage hasNextPage } } "
        "y: companies(orderBy: {field: CREATED_AT, direction: ASC}, last: 2, before: $b) "
        "{ nodes { name } pageInfo { startCursor hasNextPage } } "
        "viewer { companies(orderBy: {field: NAME, direction: ASC}, first: 1) { edges { cursor } "
        "totalCount totalCountIsExact } apiTokens(orderBy: {field: LAST_USED_AT, direction: DESC})"
        " { name } t: apiTokens(orderBy: {field: CREATED_AT, direction: ASC}) { name } } }",
        {"a": to_cursor(2, ("name", "m")), "b": to_cursor(3, ("created_at", "2999-01-01"))},
    ),
    (
        "query ($a: String) { companies { nodes { categories(orderBy: {field: NAME, direction: "
        "DESC}, first: 2, after: $a) { totalCount totalCountIsExact edges { cursor node { name "
        "} } pageInfo { hasNextPage hasPreviousPage startCursor endCursor } } c: categories("
        "orderBy: {field: CREATED_AT, direction: ASC}, last: 1) { nodes { name } pageInfo { "
        "hasPreviousPage hasNextPage } } } } issues(first: 5) { nodes { events(orderBy: {field: "
        "CREATED_AT, direction: DESC}, first: 2) { totalCount edges { cursor node { description "
        "} } pageInfo { hasNextPage endCursor } } } } }",
        {"a": to_cursor(2, ("name", "z"))},
    ),
]


@pytest.fixture
async def world(database: None, tmp_path: Path) -> World:
    seeded = await seeded_world(tmp_path)
    public, private = await Company.all().order_by("id")
    people = seeded.people
    people["owner_public"] = await narrowed(people["owner"], companies=[public])
    people["member_private"] = await narrowed(people["member"], companies=[private])
    people["member_read_only"] = await narrowed(people["member"], read_only=True)
    return seeded


@pytest.fixture
async def apps(aiohttp_client: AiohttpClient, settings: Settings, world: World) -> TwoApps:
    return await two_apps(aiohttp_client, settings)


def _viewer(world: World, name: str):  # type: ignore[no-untyped-def]
    return None if name == "anonymous" else world.people[name]


async def _assert_same(
    apps: TwoApps, world: World, query: str, variables: dict[str, object]
) -> None:
    for name in VIEWERS:
        compiled, executed = await apps.both(query, variables, _viewer(world, name))
        assert same_answer(compiled, executed), (name, query, variables, compiled, executed)


async def test_every_field_and_form_answers_the_same(apps: TwoApps, world: World) -> None:
    for query, variables in HANDWRITTEN:
        cases = [variables]
        if "id" in variables or "ids" in variables or "c" in variables:
            cases = [
                {**variables, **_with_ids(variables, global_id)} for global_id in world.all_ids()
            ]
        for case in cases:
            await _assert_same(apps, world, query, case)
    # and no compiled statement failed, and most answers were compiled (the executor answers
    # what would be an error: hidden and missing ids, refused arguments, and the webhooks)
    counts = apps.compiled_reads.counts
    assert counts["failed"] == 0, counts
    assert counts["compiled"] > counts["executed"], counts


def _with_ids(variables: dict[str, object], global_id: str) -> dict[str, object]:
    changed: dict[str, object] = {}
    for name in ("id", "ids", "c"):
        if name in variables:
            changed[name] = [global_id] if name in ("ids", "c") else global_id
    return changed


async def test_every_query_of_the_other_tests_answers_the_same(apps: TwoApps, world: World) -> None:
    queries = suite_queries()
    assert len(queries) > 40, len(queries)
    for query in queries:
        for variables in variables_for(query, world):
            await _assert_same(apps, world, query, variables)


@settings(
    max_examples=budget(120, 40),
    derandomize=True,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(document=documents())
async def test_generated_queries_answer_the_same(
    apps: TwoApps, world: World, document: tuple[str, dict[str, object]]
) -> None:
    query, variables = document
    await _assert_same(apps, world, query, variables)


async def test_a_compiled_root_field_is_one_statement_whatever_its_size(
    apps: TwoApps, world: World
) -> None:
    query = (
        "query ($n: Int!) { issues(first: $n) { nodes { name owner { name } participants "
        "{ name } tags categories { nodes { name company { name } issues(first: 3) { nodes "
        "{ name } } } } events { nodes { author { name } } } } } companies(first: $n) { "
        "nodes { categories { nodes { name } } } } }"
    )
    owner = world.people["owner"]
    # the token's last use is recorded once a minute, and the token kept a moment
    warm_up = {"query": "{ viewer { name } }"}
    await apps.compiled.post("/graphql", json=warm_up, headers=owner.headers)
    for size in (1, 20):
        with count_sql() as statements:
            response = await apps.compiled.post(
                "/graphql", json={"query": query, "variables": {"n": size}}, headers=owner.headers
            )
        assert response.status == 200
        # one statement for each of the two root fields (the token is known to the process)
        assert len(statements) == 2, statements


def test_every_field_of_a_compiled_type_is_compiled_or_says_why_not() -> None:
    settings = Settings(_env_file=None)
    schema = build_schema(settings, limit_rules(settings))._schema
    uncovered = {
        f"{name}.{field}"
        for name, compiled in TYPES.items()
        for field in schema.type_map[name].fields  # type: ignore[attr-defined]
        if field not in compiled.fields
    }
    assert uncovered == set(EXECUTOR_ONLY)
