"""Query cost: worked out before anything runs, refused above GRAPHQL_MAX_COST (default
limits here), and reported on every answer."""

from typing import Any

from graphql import get_introspection_query

from ..support import Api

# 1 (companies) + 5 x (nodes 1 + name 1 + categories 1 + 20 x (nodes 1 + name 1)) = 216
COMPANIES_WITH_CATEGORIES = (
    "{ companies(first: 5) { nodes { name categories { nodes { name } } } } }"
)
FLOODING_ALIAS = (
    "issues(first: 100) { nodes { events(first: 100) { nodes { id description } }"
    " categories(first: 100) { nodes { id name } } } }"
)
# 25 x (1 + 100 x (nodes 1 + events (1 + 100 x 3) + categories (1 + 100 x 3))) = 1,507,525
ALIASED_FLOOD = "{" + " ".join(f"a{n}: {FLOODING_ALIAS}" for n in range(25)) + "}"


async def test_every_answer_carries_its_cost(api: Api) -> None:
    body = await api.graphql(COMPANIES_WITH_CATEGORIES)

    # no company yet: the answer holds an empty page, which costs only its connection
    assert body["extensions"]["cost"] == {"requested": 216, "actual": 1, "limit": 50_000}


async def test_the_page_size_asked_for_multiplies_the_cost(api: Api) -> None:
    query = "query ($n: Int) { companies(first: $n) { nodes { name } } }"

    small = await api.graphql(query, {"n": 2})
    large = await api.graphql(query, {"n": 100})

    assert small["extensions"]["cost"]["requested"] == 1 + 2 * 2
    assert large["extensions"]["cost"]["requested"] == 1 + 100 * 2


async def test_the_ids_given_multiply_the_cost_however_they_are_sent(api: Api) -> None:
    by_list = "query ($ids: [ID!]!) { nodes(ids: $ids) { id } }"
    by_items = "query ($a: ID!, $b: ID!) { nodes(ids: [$a, $b]) { id __typename } }"
    missing = ["SXNzdWU6OTk5OTk5", "SXNzdWU6OTk5OTk4", "SXNzdWU6OTk5OTk3"]

    one = await api.graphql(by_list, {"ids": missing[:1]})
    three = await api.graphql(by_list, {"ids": missing})
    first = await api.graphql(by_items, {"a": missing[0], "b": missing[1]})
    again = await api.graphql(by_items, {"a": missing[1], "b": missing[2]})

    assert one["extensions"]["cost"]["requested"] == 1 + 1 * 1
    assert three["extensions"]["cost"]["requested"] == 1 + 3 * 1
    assert first["extensions"]["cost"]["requested"] == 1 + 2 * 2
    assert again["extensions"]["cost"] == first["extensions"]["cost"]


async def test_a_flood_of_aliased_connections_is_refused_before_it_runs(api: Api) -> None:
    body = await api.graphql(ALIASED_FLOOD)

    assert "data" not in body
    [error] = body["errors"]
    assert error["extensions"]["code"] == "QUERY_TOO_COMPLEX"
    assert error["message"].startswith("The query costs 1507525 points, above the limit of 50000")


def fields_in(value: Any) -> int:
    """How many fields an answer holds, at every level."""
    if isinstance(value, dict):
        return len(value) + sum(fields_in(item) for item in value.values())
    if isinstance(value, list):
        return sum(fields_in(item) for item in value)
    return 0


async def test_introspection_costs_two_points_for_each_field_it_returns(api: Api) -> None:
    body = await api.graphql(get_introspection_query(descriptions=True))

    assert "errors" not in body
    assert body["extensions"]["cost"]["requested"] == 2 * fields_in(body["data"])


def aliased_introspection(times: int) -> str:
    """The full introspection query with its `__schema` asked for `times` times."""
    full = get_introspection_query(descriptions=True)
    operation, fragments = full.split("fragment ", 1)
    schema = operation[operation.index("__schema") : operation.rindex("}")]
    aliases = " ".join(f"a{n}: {schema}" for n in range(times))
    return "{ " + aliases + " }\nfragment " + fragments


async def test_a_flood_of_aliased_introspection_is_refused_before_it_runs(api: Api) -> None:
    body = await api.graphql(aliased_introspection(30))

    assert "data" not in body
    assert [error["extensions"]["code"] for error in body["errors"]] == ["QUERY_TOO_COMPLEX"]
    assert body["extensions"]["cost"]["requested"] > 50_000
