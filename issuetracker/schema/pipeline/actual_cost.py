"""What an answer really cost (Shopify's `actualQueryCost`), counted on the data it holds with
the weights of `cost`: each field 1, a connection multiplying what it selects by the items it
returned rather than the page asked for. A full page of alike items costs what was requested;
shorter pages, null objects and fields left out (`@skip`, fragments of another type) cost
less, and nothing costs more than requested: a list that is no connection counts its dearest
item, as many times as the request counted it.

The document is read first into `Plan`s (how many fields are leaves, which are nested),
so the walk over a large answer touches only what can change its cost: lists, nulls, and the
fields that may be left out. A page of items that hold only leaves costs one multiplication."""

from dataclasses import dataclass, field
from enum import Enum, auto
from typing import Any

from graphql import (
    FieldNode,
    FragmentSpreadNode,
    GraphQLField,
    GraphQLNamedType,
    InlineFragmentNode,
    OperationDefinitionNode,
    SelectionSetNode,
    get_named_type,
    get_nullable_type,
    is_list_type,
)

from .cost import INTROSPECTION_POINTS, META_FIELDS, Cost


class Kind(Enum):
    OBJECT = auto()
    LIST = auto()
    CONNECTION = auto()
    META = auto()


@dataclass
class Nested:
    """A field with a selection set."""

    key: str
    node: FieldNode
    definition: GraphQLField
    of_type: GraphQLNamedType
    kind: Kind
    conditional: bool
    """It may be missing from its object (a fragment of another type, `@skip`, `@include`)."""
    plan: "Plan"
    """What it selects (nothing for introspection, which is counted as `cost` counts it)."""


@dataclass
class Plan:
    leaves: int = 0
    """Leaf fields always in the object: a point each."""
    maybe: list[str] = field(default_factory=list)
    """Leaf fields that may be missing: a point each when present."""
    nested: list[Nested] = field(default_factory=list)
    flat: bool = True
    """Each object of it costs `leaves`."""


class ActualCost:
    def __init__(self, cost: Cost) -> None:
        self.cost = cost
        """A fresh counter of the same document and variables: its page sizes, ids and
        introspection."""

    def plan(self, operation: OperationDefinitionNode) -> Plan:
        """What the operation's answers are counted by (the same for every answer)."""
        root = self.cost.schema.get_root_type(operation.operation)
        assert root is not None
        return self._plan_of(operation.selection_set, root)

    def of(self, plan: Plan, data: dict[str, Any] | None) -> int:
        if not data:
            return 0
        return self._objects(plan, [data])

    def _plan_of(self, selections: SelectionSetNode, parent: GraphQLNamedType) -> Plan:
        plan = Plan()
        self._read(plan, selections, parent, parent, conditional=False)
        plan.flat = not plan.maybe and not plan.nested
        return plan

    def _objects(self, plan: Plan, objects: list[dict[str, Any]]) -> int:
        """What the objects of one selection cost together, field by field across them (so a
        large answer costs a few calls a field of the document, not a few an object)."""
        total = plan.leaves * len(objects)
        for key in plan.maybe:
            total += sum(key in one for one in objects)
        for nested in plan.nested:
            key = nested.key
            if nested.conditional:
                total += self._column(nested, [one[key] for one in objects if key in one])
            else:
                total += self._column(nested, [one[key] for one in objects])
        return total

    def _column(self, nested: Nested, values: list[Any]) -> int:
        """What one field costs in each of its objects, together: 1 each, and its selections
        on the values that are not null."""
        total = len(values)
        kind = nested.kind
        if kind is Kind.META:
            points = self.cost.introspection(nested.definition, nested.node)
            shown = sum(value is not None for value in values)
            return total + shown * (INTROSPECTION_POINTS * points - 1)
        if kind is Kind.OBJECT:
            return total + self._objects(nested.plan, [v for v in values if isinstance(v, dict)])
        if kind is Kind.CONNECTION:
            pages = [value for value in values if isinstance(value, dict)]
            return total + self._connections(nested, pages) if pages else total
        for value in values:
            if isinstance(value, list):
                total += self._list(nested, value)
        return total

    def _list(self, nested: Nested, value: list[Any]) -> int:
        """A list that is no connection: its dearest item, as many times as it was counted."""
        items = [item for item in value if isinstance(item, dict)]
        if not items:
            return 0
        plan = nested.plan
        dearest = plan.leaves if plan.flat else max(self._objects(plan, [i]) for i in items)
        counted = min(self._multiplier(nested), len(items)) if len(items) > 1 else 1
        return counted * dearest

    def _connections(self, nested: Nested, pages: list[dict[str, Any]]) -> int:
        """Each page's lists (`nodes`, `edges`) item by item, the rest once for each item it
        returned (or for each asked for, when no list was selected)."""
        plan = nested.plan
        total = 0
        items_of: dict[int, tuple[Nested, list[Any]]] = {}
        for page in pages:
            once = plan.leaves + sum(key in page for key in plan.maybe)
            items: int | None = None
            for child in plan.nested:
                if child.conditional and child.key not in page:
                    continue
                listed = page[child.key]
                if child.kind is Kind.LIST and isinstance(listed, list):
                    items = max(items or 0, len(listed))
                    total += len(listed)
                    items_of.setdefault(id(child), (child, []))[1].extend(listed)
                else:
                    once += self._column(child, [listed])
            total += (self._multiplier(nested) if items is None else items) * once
        for child, listed in items_of.values():
            shown = [item for item in listed if isinstance(item, dict)]
            flat = child.plan.flat
            total += child.plan.leaves * len(shown) if flat else self._objects(child.plan, shown)
        return total

    def _multiplier(self, nested: Nested) -> int:
        return self.cost.multiplier(nested.node, nested.of_type)

    def _read(
        self,
        plan: Plan,
        selections: SelectionSetNode,
        parent: GraphQLNamedType,
        on: GraphQLNamedType,
        *,
        conditional: bool,
    ) -> None:
        """Adds the fields of `selections` (selected on `on`, within an object of `parent`)."""
        schema, fragments = self.cost.schema, self.cost.document.fragments
        for selection in selections.selections:
            maybe = conditional or bool(selection.directives)
            if isinstance(selection, FieldNode):
                self._add(plan, selection, on, maybe)
                continue
            if isinstance(selection, InlineFragmentNode):
                condition = selection.type_condition
                inner = selection.selection_set
                named = schema.get_type(condition.name.value) if condition else on
            elif isinstance(selection, FragmentSpreadNode):
                definition = fragments[selection.name.value].definition
                inner = definition.selection_set
                named = schema.get_type(definition.type_condition.name.value)
                maybe = maybe or bool(definition.directives)
            else:
                continue
            named = named or on
            maybe = maybe or named.name != parent.name
            self._read(plan, inner, parent, named, conditional=maybe)

    def _add(self, plan: Plan, node: FieldNode, on: GraphQLNamedType, maybe: bool) -> None:
        key = (node.alias or node.name).value
        definition = self.cost.field_of(on, node.name.value)
        if definition is None or node.selection_set is None:
            if maybe:
                plan.maybe.append(key)
            else:
                plan.leaves += 1
            return
        of_type = get_named_type(definition.type)
        kind = _kind(node, definition)
        selected = Plan() if kind is Kind.META else self._plan_of(node.selection_set, of_type)
        plan.nested.append(Nested(key, node, definition, of_type, kind, maybe, selected))


def _kind(node: FieldNode, definition: GraphQLField) -> Kind:
    if node.name.value in META_FIELDS:
        return Kind.META
    if get_named_type(definition.type).name.endswith("Connection"):
        return Kind.CONNECTION
    if is_list_type(get_nullable_type(definition.type)):
        return Kind.LIST
    return Kind.OBJECT
