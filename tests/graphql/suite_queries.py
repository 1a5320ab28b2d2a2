"""Every GraphQL query the other test modules send, found in their source, and variables for
them taken from the differential world."""

import ast
import itertools
from functools import cache
from pathlib import Path
from typing import Any

from graphql import (
    GraphQLError,
    ListTypeNode,
    NamedTypeNode,
    NonNullTypeNode,
    OperationDefinitionNode,
    OperationType,
    TypeNode,
    parse,
)

from issuetracker.schema.relay import to_cursor

from ..world import World

TESTS = Path(__file__).parent.parent


@cache
def suite_queries() -> list[str]:
    """The documents of query operations among the string constants of the test modules."""
    found: dict[str, None] = {}
    for path in sorted(TESTS.rglob("test_*.py")):
        texts = (
            node.value
            for node in ast.walk(ast.parse(path.read_text()))
            if isinstance(node, ast.Constant) and isinstance(node.value, str)
        )
        for text in texts:
            if _is_query(text):
                found.setdefault(text)
    return list(found)


def _is_query(text: str) -> bool:
    if "{" not in text:
        return False
    try:
        document = parse(text)
    except GraphQLError:
        return False
    operations = [d for d in document.definitions if isinstance(d, OperationDefinitionNode)]
    return bool(operations) and all(op.operation is OperationType.QUERY for op in operations)


def variables_for(query: str, world: World) -> list[dict[str, Any]]:
    """Two sets of values for the query's variables, from what each variable's name and type
    suggest."""
    operation = next(d for d in parse(query).definitions if isinstance(d, OperationDefinitionNode))
    definitions = operation.variable_definitions or ()
    sets: list[dict[str, Any]] = []
    for variant in range(2):
        values = {}
        for definition in definitions:
            name = definition.variable.name.value
            values[name] = _value(name, definition.type, variant, world)
        sets.append(values)
    return sets


def _value(name: str, type_node: TypeNode, variant: int, world: World) -> Any:
    if isinstance(type_node, NonNullTypeNode):
        return _value(name, type_node.type, variant, world)
    if isinstance(type_node, ListTypeNode):
        return [_value(name, type_node.type, variant, world)]
    assert isinstance(type_node, NamedTypeNode)
    kind = type_node.name.value
    lowered = name.lower()
    if kind == "ID":
        return _id_for(lowered, variant, world)
    if kind == "Int":
        return [2, 12][variant]
    if kind == "Boolean":
        return variant == 0
    if kind == "String":
        return [to_cursor(6), "router"][variant] if "search" not in lowered else "router"
    if kind == "DateTime":
        return "2026-01-01T00:00:00+00:00"
    return None


def _id_for(name: str, variant: int, world: World) -> str:
    for hint, type_name in (
        ("compan", "Company"),
        ("categor", "Category"),
        ("user", "User"),
        ("owner", "User"),
        ("member", "User"),
    ):
        if hint in name:
            return world.ids[type_name][variant % len(world.ids[type_name])]
    every = list(itertools.chain(world.ids["Issue"], world.all_ids()))
    return every[variant * 3 % len(every)]
