"""Plans: for each query and operation (and the values `@skip`/`@include` read), its root
fields; for each root field, a statement per shape of request."""

import dataclasses
import logging
from collections import OrderedDict
from collections.abc import Hashable
from dataclasses import dataclass, field
from enum import Enum
from typing import Any

from graphql import GraphQLObjectType, GraphQLSchema, OperationDefinitionNode
from graphql.execution.values import VariableValues

from ...sqljson.dialects import Dialect
from ...sqljson.statements import used_parameters
from ..documents import Document
from .roots import ROOTS, Constant, Root
from .selections import TYPENAME, Request, Selection, root_selections
from .statements import Binding, Builder, Fallback, NotCompiled, Statement

log = logging.getLogger("issuetracker.graphql.compiled")

PLANS_KEPT = 512


@dataclass
class RootPlan:
    selection: Selection
    root: Root | None
    """None: not compiled; the executor answers this root field."""
    statements: dict[Hashable, Statement | Constant | None] = field(default_factory=dict)
    _with_arguments: dict[tuple[Any, ...], list[Selection]] = field(default_factory=dict)

    def prepared(self, binding: Binding, dialect: Dialect) -> Statement | Constant:
        """The statement for this request's shape, built the first time; raises Fallback when
        this request must go to the executor."""
        assert self.root is not None
        try:
            types = self.root.shape(binding, self.selection)
        except Fallback:
            raise
        except Exception as unexpected:  # malformed input the executor will describe
            raise Fallback() from unexpected
        shape = (
            binding.viewer_id is not None,
            binding.companies is not None,
            binding.read_only,
            types,
            tuple(_shape(binding.arguments_of(s)) for s in self._arguments_in(types)),
        )
        if shape not in self.statements:
            self.statements[shape] = self._build(binding, dialect)
        statement = self.statements[shape]
        if statement is None:
            raise Fallback()
        return statement

    def _build(self, binding: Binding, dialect: Dialect) -> Statement | Constant | None:
        assert self.root is not None
        builder = Builder(
            dialect,
            signed_in=binding.viewer_id is not None,
            limited=binding.companies is not None,
            read_only=binding.read_only,
        )
        try:
            built = self.root.sql(builder, self.selection, binding)
        except NotCompiled as missing:
            log.debug("not compiled: %s (%s)", self.selection.key, missing)
            return None
        if isinstance(built, Constant):
            return built
        sql, sources = used_parameters(built, builder.sources)
        return Statement(sql, sources, builder.checks)

    def _arguments_in(self, types: tuple[Any, ...]) -> list[Selection]:
        """The selections with arguments under this root field (for a node, under the types
        its ids name), whose given arguments shape the statement."""
        if types not in self._with_arguments:
            found: list[Selection] = []
            if self.selection.has_arguments:
                found.append(self.selection)
            names: list[str | None] = [name for name in types if isinstance(name, str)]
            for name in dict.fromkeys(names or [None]):
                for child in _children(self.selection, name):
                    _collect_arguments(child, found)
            self._with_arguments[types] = found
        return self._with_arguments[types]


def _children(selection: Selection, type_name: str | None) -> list[Selection]:
    """What a root field asks of its value: of the given concrete type, or of its own type
    when that is an object type."""
    if type_name is not None:
        return selection.children(type_name)
    if selection.name != TYPENAME and isinstance(selection.named_type, GraphQLObjectType):
        return selection.children()
    return []


def _collect_arguments(selection: Selection, found: list[Selection]) -> None:
    if selection.name == TYPENAME:
        return
    if selection.has_arguments:
        found.append(selection)
    if isinstance(selection.named_type, GraphQLObjectType):
        for child in selection.children():
            _collect_arguments(child, found)


PAGE_SIZES = ("first", "last")
"""Written into statements as literals (see `connections`), so their values shape them."""


def _shape(value: Any) -> Hashable:
    """What of an argument's value changes the statement: whether it is given, a boolean's
    value, a page size, and the same of an input object's fields."""
    if value is None or isinstance(value, bool | Enum):
        return value  # an enum's value can choose what the statement says (an order)
    if isinstance(value, dict):
        return tuple(
            sorted(
                (key, item if key in PAGE_SIZES else _shape(item)) for key, item in value.items()
            )
        )
    if isinstance(value, list | tuple):
        return "list"
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        fields = {item.name: getattr(value, item.name) for item in dataclasses.fields(value)}
        return (type(value).__name__, _shape(fields))
    return "value"


@dataclass
class OperationPlan:
    roots: list[RootPlan]


class Plans:
    def __init__(self, schema: GraphQLSchema) -> None:
        self.schema = schema
        self._kept: OrderedDict[Hashable, OperationPlan] = OrderedDict()

    def get(
        self, document: Document, operation: OperationDefinitionNode, variables: VariableValues
    ) -> OperationPlan:
        directive_values = tuple(
            _shape(variables.coerced.get(name)) for name in document.directive_variables
        )
        key = (document.source, operation.name and operation.name.value, directive_values)
        plan = self._kept.get(key)
        if plan is None:
            plan = self._plan(document, operation, variables)
            self._kept[key] = plan
            if len(self._kept) > PLANS_KEPT:
                self._kept.popitem(last=False)
        else:
            self._kept.move_to_end(key)
        return plan

    def _plan(
        self, document: Document, operation: OperationDefinitionNode, variables: VariableValues
    ) -> OperationPlan:
        request = Request(self.schema, operation, document.fragments, variables)
        query_type = self.schema.query_type
        assert query_type is not None
        roots = []
        for selection in root_selections(request, query_type):
            root = ROOTS.get(selection.name)
            if selection.uses_fragment_variables or any(d.defer_usage for d in selection.details):
                root = None
            roots.append(RootPlan(selection, root))
        return OperationPlan(roots)
