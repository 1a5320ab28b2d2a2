"""Hypothesis strategies for read queries over the schema: its read fields and their arguments,
connections paged every way, filters, aliases, fragments (inline, named, on `Node`),
`__typename`, and `@skip`/`@include` with variables."""

from functools import cache
from typing import Any

from graphql import (
    GraphQLInterfaceType,
    GraphQLList,
    GraphQLNonNull,
    GraphQLObjectType,
    GraphQLOutputType,
    GraphQLSchema,
    get_named_type,
)
from hypothesis import strategies as st

from issuetracker.schema import build_schema, limit_rules
from issuetracker.schema.relay import to_cursor, to_global_id
from issuetracker.settings import Settings

ROOTS = ("issues", "issue", "companies", "company", "categories", "category", "node", "nodes")
NODE_TYPES = ("Issue", "Company", "Category", "User", "IssueEvent", "ActionItem", "Fact")
SKIPPED_FIELDS = {"webhooks", "webhook", "deliveries"}
CURSORS = [to_cursor(n) for n in (1, 3, 6, 10)] + ["garbage"]
IDS = [
    *(to_global_id("Issue", n) for n in range(1, 16)),
    *(to_global_id("Company", n) for n in (1, 2, 3)),
    *(to_global_id("Category", n) for n in (1, 2, 3)),
    *(to_global_id("User", n) for n in (1, 2, 3, 9)),
    *(to_global_id("IssueEvent", n) for n in (1, 2)),
    *(to_global_id("ActionItem", n) for n in (1, 2)),
    *(to_global_id("Fact", n) for n in (1, 2)),
    *(to_global_id("Invitation", n) for n in (1, 2)),
    to_global_id("Webhook", 1),
    "broken",
]


@cache
def _schema() -> GraphQLSchema:
    settings = Settings(_env_file=None)
    return build_schema(settings, limit_rules(settings))._schema


def _quoted(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


class _Writer:
    """Draws one document, remembering the variables it uses."""

    def __init__(self, draw: Any) -> None:
        self.draw = draw
        self.variables: dict[str, tuple[str, object]] = {}
        self.fragments: dict[str, str] = {}

    def flag(self) -> str:
        name = f"f{len(self.variables)}"
        self.variables[name] = ("Boolean!", self.draw(st.booleans()))
        return f"${name}"

    def directive(self) -> str:
        choice = self.draw(st.sampled_from(["", "", "", "include", "skip"]))
        return f" @{choice}(if: {self.flag()})" if choice else ""

    def selection(self, type_: GraphQLObjectType, depth: int) -> str:
        names = sorted(name for name in type_.fields if name not in SKIPPED_FIELDS)
        if depth <= 0:
            names = [n for n in names if _is_leaf(type_.fields[n].type)] or names[:1]
        chosen = self.draw(st.lists(st.sampled_from(names), min_size=1, max_size=4, unique=True))
        parts = [self.field(type_, name, depth) for name in chosen]
        if self.draw(st.booleans()):
            parts.append("__typename")
        if self.draw(st.integers(0, 4)) == 0:
            return f"... on {type_.name}{self.directive()} {{ {' '.join(parts)} }}"
        if self.draw(st.integers(0, 5)) == 0:
            fragment = f"F{len(self.fragments)}"
            body = " ".join(parts)
            self.fragments[fragment] = f"fragment {fragment} on {type_.name} {{ {body} }}"
            return f"...{fragment}{self.directive()}"
        return " ".join(parts)

    def field(self, parent: GraphQLObjectType, name: str, depth: int) -> str:
        definition = parent.fields[name]
        alias = f"a{self.draw(st.integers(0, 99))}: " if self.draw(st.integers(0, 4)) == 0 else ""
        arguments = self.arguments(name, definition.args)
        named = get_named_type(definition.type)
        head = f"{alias}{name}{arguments}{self.directive()}"
        if isinstance(named, GraphQLObjectType):
            return f"{head} {{ {self.selection(named, depth - 1)} }}"
        if isinstance(named, GraphQLInterfaceType):
            return f"{head} {{ {self.node_selection(depth - 1)} }}"
        return head

    def node_selection(self, depth: int) -> str:
        types = self.draw(
            st.lists(st.sampled_from(NODE_TYPES), min_size=1, max_size=3, unique=True)
        )
        schema = _schema()
        parts = ["id"] if self.draw(st.booleans()) else ["__typename"]
        for name in types:
            type_ = schema.get_type(name)
            assert isinstance(type_, GraphQLObjectType)
            parts.append(f"... on {name} {{ {self.selection(type_, max(depth, 0))} }}")
        return " ".join(parts)

    def arguments(self, name: str, args: dict[str, Any]) -> str:
        given = []
        for argument in sorted(args):
            value = self.argument(name, argument)
            if value is not None:
                given.append(f"{argument}: {value}")
        return f"({', '.join(given)})" if given else ""

    def argument(self, field: str, name: str) -> str | None:
        draw = self.draw
        if name in ("first", "last"):
            return draw(st.sampled_from([None, None, "0", "1", "2", "3", "100"]))
        if name in ("after", "before"):
            cursor = draw(st.sampled_from([None, None, None, *CURSORS]))
            return None if cursor is None else _quoted(cursor)
        if name == "id":
            return _quoted(draw(st.sampled_from(IDS))) if field in ("node",) else None
        if name == "ids":
            ids = draw(st.lists(st.sampled_from(IDS), max_size=4))
            return "[" + ", ".join(_quoted(i) for i in ids) + "]"
        if name == "databaseId":
            return str(draw(st.integers(0, 16)))
        if name == "includeDeleted":
            return draw(st.sampled_from([None, "true", "false"]))
        if name == "filter":
            return self.issue_filter()
        if name == "companyIds":
            ids = draw(st.lists(st.sampled_from(IDS[15:18]), max_size=2))
            return draw(st.sampled_from([None, "[" + ", ".join(_quoted(i) for i in ids) + "]"]))
        return None

    def issue_filter(self) -> str | None:
        draw = self.draw
        choices = {
            "status": st.sampled_from(["OPEN", "CLOSED"]),
            "severity": st.sampled_from(["INFO", "CRITICAL"]),
            "tag": st.sampled_from(['"network"', '"solo"', '"nothing"']),
            "search": st.sampled_from(['"router"', '"one"', '"hidden"']),
            "involvingMe": st.sampled_from(["true", "false"]),
            "deleted": st.sampled_from(["true", "false"]),
            "categoryIds": st.sampled_from(["[]", f'["{IDS[18]}"]', f'["{IDS[20]}", "{IDS[18]}"]']),
            "companyIds": st.sampled_from([f'["{IDS[15]}"]', f'["{IDS[16]}"]']),
        }
        chosen = draw(st.lists(st.sampled_from(sorted(choices)), max_size=3, unique=True))
        if not chosen:
            return None
        return "{" + ", ".join(f"{key}: {draw(choices[key])}" for key in chosen) + "}"


def _is_leaf(type_: GraphQLOutputType) -> bool:
    while isinstance(type_, GraphQLNonNull | GraphQLList):
        type_ = type_.of_type
    return not isinstance(type_, GraphQLObjectType | GraphQLInterfaceType)


@st.composite
def documents(draw: Any) -> tuple[str, dict[str, object]]:
    """A query document and its variables."""
    writer = _Writer(draw)
    query = _schema().query_type
    assert query is not None
    roots = draw(st.lists(st.sampled_from(ROOTS), min_size=1, max_size=3, unique=True))
    selections = [writer.field(query, name, depth=3) for name in roots]
    if draw(st.booleans()):
        selections.append("viewer { name tags companies { nodes { name } } }")
    definitions = ", ".join(f"${name}: {kind}" for name, (kind, _) in writer.variables.items())
    head = f"query ({definitions})" if definitions else "query"
    document = f"{head} {{ {' '.join(selections)} }} {' '.join(writer.fragments.values())}"
    return document, {name: value for name, (_, value) in writer.variables.items()}
