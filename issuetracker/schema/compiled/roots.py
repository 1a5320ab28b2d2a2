"""The root fields the compiled path answers, each as one statement (or a constant). The
executor answers the others, `rateLimit` among them: it tells what the pipeline's checks
counted for this request, which no statement reads.

A lookup that finds nothing answers NULL (an entry of `nodes`, null): the field is null with a
NOT_FOUND error at its path, as the executor answers it (`missing`)."""

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from ...resolvers.core.visibility import (
    category_visible,
    company_visible,
    issue_visible,
    user_visible,
)
from ...resolvers.issues.relations import invitation_shown, part_shown
from ...sqljson.dialects import json_key, literal
from ..lookup import one_id
from ..relay import MAX_NODES, from_global_id
from . import list_roots
from .fields import object_json
from .list_roots import decoded
from .missing import Missing, each, of_type, one
from .selections import Selection
from .statements import Binding, Builder, Fallback, NotCompiled


@dataclass(frozen=True)
class Root:
    """How a root field is answered: `sql` writes its statement (or a constant JSON), and
    `shape` tells what else, beyond which arguments are given, changes that statement."""

    sql: Callable[[Builder, Selection, Binding], "str | Constant"]
    shape: Callable[[Binding, Selection], tuple[Any, ...]] = lambda binding, selection: ()
    missing: Missing | None = None
    """A lookup's: what its answer lacks, each null with a NOT_FOUND error."""


@dataclass(frozen=True)
class Constant:
    json: str


# --- single objects --------------------------------------------------------------------------


def _lookup(
    builder: Builder,
    selection: Selection,
    binding: Binding,
    type_name: str,
    table: str,
    condition: Callable[[str], str],
) -> str:
    row = builder.alias("n")
    shown = object_json(builder, type_name, selection.children(type_name), row, binding)
    return f"SELECT {shown} FROM {table} AS {row} WHERE {condition(row)}"


def _issue(builder: Builder, selection: Selection, binding: Binding) -> str:
    def key(bound: Binding) -> tuple[str, object]:
        args = bound.arguments_of(selection)
        given = [name for name in ("id", "database_id", "guid") if args.get(name) is not None]
        if len(given) != 1:
            raise Fallback()
        if given == ["id"]:
            type_name, number = decoded(lambda: from_global_id(args["id"]))
            if type_name != "Issue":
                raise Fallback()
            return "id", number
        return given[0], args[given[0]]

    builder.check(key)
    name, _ = key(binding)
    include_deleted = bool(binding.arguments_of(selection).get("include_deleted"))
    value = builder.param(lambda bound: _lookup_value(key(bound)))
    column = "guid" if name == "guid" else "id"
    if column == "guid":
        value = builder.dialect.as_uuid(value)
    viewer = builder.viewer()
    return _lookup(
        builder,
        selection,
        binding,
        "Issue",
        "issues",
        lambda row: (
            f"{issue_visible(row, viewer, include_deleted=include_deleted)}"
            f" AND {row}.{column} = {value}"
        ),
    )


def _lookup_value(key: tuple[str, object]) -> object:
    name, value = key
    return str(value) if name == "guid" else value


def _one_of(type_name: str, table: str, visible: Callable[[str, str | None], str]) -> Root:
    def sql(builder: Builder, selection: Selection, binding: Binding) -> str:
        def wanted(bound: Binding) -> int:
            args = bound.arguments_of(selection)
            return int(decoded(lambda: one_id(args.get("id"), args.get("database_id"), type_name)))

        builder.check(wanted)
        number = builder.int_param(wanted)
        viewer = builder.viewer()
        return _lookup(
            builder,
            selection,
            binding,
            type_name,
            table,
            lambda row: f"{visible(row, viewer)} AND {row}.id = {number}",
        )

    return Root(sql, missing=one(of_type(type_name)))


# --- node and nodes --------------------------------------------------------------------------


def _in_visible_issue(row: str, viewer: str | None) -> str:
    return part_shown(row, viewer)


def _taken_part_in(row: str, viewer: str | None) -> str:
    """Invitations: of a visible issue the viewer takes part in."""
    return invitation_shown(row, viewer)


NODE_TABLES: dict[str, tuple[str, Callable[[str, str | None], str]]] = {
    "Issue": ("issues", lambda row, viewer: issue_visible(row, viewer)),
    "IssueEvent": ("issue_events", _in_visible_issue),
    "Invitation": ("issue_invitations", _taken_part_in),
    "ActionItem": ("issue_action_items", _in_visible_issue),
    "Fact": ("issue_facts", _in_visible_issue),
    "IssueUpload": ("issue_uploads", _in_visible_issue),
    "Company": ("companies", company_visible),
    "Category": ("categories", category_visible),
    "User": ("users", user_visible),
}


def _node_key(global_id: str) -> tuple[str, int]:
    type_name, number = decoded(lambda: from_global_id(global_id))
    return type_name, number


def _node_json(
    builder: Builder, selection: Selection, binding: Binding, type_name: str, number: Any
) -> str:
    if type_name not in NODE_TABLES:
        raise NotCompiled(f"node of type {type_name}")
    table, visible = NODE_TABLES[type_name]
    row = builder.alias("n")
    shown = object_json(builder, type_name, selection.children(type_name), row, binding)
    condition = f"{visible(row, builder.viewer())} AND {row}.id = {number}"
    return f"(SELECT {shown} FROM {table} AS {row} WHERE {condition})"


def _node(builder: Builder, selection: Selection, binding: Binding) -> str:
    type_name, _ = _node_of(binding, selection)
    number = builder.int_param(lambda bound: _node_of(bound, selection)[1])
    return f"SELECT {_node_json(builder, selection, binding, type_name, number)}"


def _node_types(binding: Binding, selection: Selection) -> tuple[Any, ...]:
    return (_node_of(binding, selection)[0],)


def _node_of(binding: Binding, selection: Selection) -> tuple[str, int]:
    return binding.memo(
        ("node", selection.number), lambda: _node_key(binding.arguments_of(selection)["id"])
    )


def _nodes_ids(binding: Binding, selection: Selection) -> list[tuple[str, int]]:
    ids = binding.arguments_of(selection)["ids"]
    if len(ids) > MAX_NODES:
        raise Fallback()
    return [_node_key(global_id) for global_id in ids]


def _nodes(builder: Builder, selection: Selection, binding: Binding) -> str:
    """Every object found, null for a hidden or missing one (its error at its place in the
    list is `missing`'s)."""
    parts = []
    for position, (type_name, _) in enumerate(_nodes_ids(binding, selection)):
        number = builder.int_param(_nth_node_id(selection, position))
        shown = _node_json(builder, selection, binding, type_name, number)
        parts.append(f"COALESCE({shown}, 'null')")
    if not parts:
        return "SELECT '[]'"
    return "SELECT '[' || " + " || ',' || ".join(parts) + " || ']'"


def _nth_node_id(selection: Selection, position: int) -> Callable[[Binding], int]:
    return lambda binding: _nodes_ids(binding, selection)[position][1]


def _nodes_types(binding: Binding, selection: Selection) -> tuple[Any, ...]:
    return tuple(type_name for type_name, _ in _nodes_ids(binding, selection))


# --- the viewer ------------------------------------------------------------------------------


def _viewer(builder: Builder, selection: Selection, binding: Binding) -> "str | Constant":
    viewer = builder.viewer()
    if viewer is None:
        return Constant("null")
    return _lookup(
        builder, selection, binding, "Viewer", "users", lambda row: f"{row}.id = {viewer}"
    )


def _typename(builder: Builder, selection: Selection, binding: Binding) -> Constant:
    return Constant(json_key("Query"))


ROOTS: dict[str, Root] = {
    "issues": Root(list_roots.issues, list_roots.search_shape),
    "issue": Root(_issue, missing=one(of_type("Issue"))),
    "companies": Root(list_roots.companies),
    "company": _one_of("Company", "companies", company_visible),
    "categories": Root(list_roots.categories),
    "category": _one_of("Category", "categories", category_visible),
    "node": Root(_node, _node_types, one(lambda bound, selection: _node_of(bound, selection)[0])),
    "nodes": Root(_nodes, _nodes_types, each(_nodes_types)),
    "viewer": Root(_viewer),
    "__typename": Root(_typename),
}

__all__ = ["ROOTS", "Constant", "Root", "literal"]
