"""What an answer really cost (Shopify's `actualQueryCost`), counted on the data it holds with
the weights of `cost`: each field 1, a connection multiplying what it selects by the items it
returned rather than the page asked for. A full page of alike items costs what was requested;
shorter pages, null objects and fields left out (`@skip`, fragments of another type) cost
less, and nothing costs more than requested: a list that is no connection counts its dearest
item, as many times as the request counted it."""

from collections.abc import Iterator
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


class ActualCost:
    def __init__(self, cost: Cost) -> None:
        self.cost = cost
        """A fresh counter of the same document and variables: its page sizes, ids and
        introspection."""

    def of(self, operation: OperationDefinitionNode, data: dict[str, Any] | None) -> int:
        if not data:
            return 0
        root = self.cost.schema.get_root_type(operation.operation)
        assert root is not None
        return self._selections(operation.selection_set, root, data)

    def _selections(
        self, selections: SelectionSetNode, parent: GraphQLNamedType, value: dict[str, Any]
    ) -> int:
        return sum(
            self._field(node, on, value[key])
            for node, on, key in self._fields(selections, parent)
            if key in value
        )

    def _fields(
        self, selections: SelectionSetNode, parent: GraphQLNamedType
    ) -> Iterator[tuple[FieldNode, GraphQLNamedType, str]]:
        """Each field selected, through fragments, with the type it is selected on and its key
        in the answer."""
        schema, fragments = self.cost.schema, self.cost.document.fragments
        for selection in selections.selections:
            if isinstance(selection, FieldNode):
                key = (selection.alias or selection.name).value
                yield selection, parent, key
            elif isinstance(selection, InlineFragmentNode):
                condition = selection.type_condition
                on = schema.get_type(condition.name.value) if condition else parent
                yield from self._fields(selection.selection_set, on or parent)
            elif isinstance(selection, FragmentSpreadNode):
                fragment = fragments[selection.name.value].definition
                on = schema.get_type(fragment.type_condition.name.value)
                yield from self._fields(fragment.selection_set, on or parent)

    def _field(self, node: FieldNode, parent: GraphQLNamedType, value: Any) -> int:
        definition = self.cost.field_of(parent, node.name.value)
        if definition is None or node.selection_set is None or value is None:
            return 1
        if node.name.value in META_FIELDS:
            return INTROSPECTION_POINTS * self.cost.introspection(definition, node)
        of_type = get_named_type(definition.type)
        if of_type.name.endswith("Connection") and isinstance(value, dict):
            return 1 + self._connection(node, of_type, value)
        if isinstance(value, list):
            costs = [
                self._selections(node.selection_set, of_type, item)
                for item in value
                if isinstance(item, dict)
            ]
            counted = min(self.cost.multiplier(node, of_type), len(costs))
            return 1 + counted * max(costs, default=0)
        return 1 + self._selections(node.selection_set, of_type, value)

    def _connection(self, node: FieldNode, of_type: GraphQLNamedType, value: dict[str, Any]) -> int:
        """Its lists (`nodes`, `edges`) item by item, the rest once for each item returned (or
        for each asked for, when no list was selected)."""
        assert node.selection_set is not None
        once = 0
        lists: list[tuple[FieldNode, GraphQLNamedType, list[Any]]] = []
        for child, on, key in self._fields(node.selection_set, of_type):
            if key not in value:
                continue
            definition = self.cost.field_of(on, child.name.value)
            listed = value[key]
            if _is_list(definition) and isinstance(listed, list) and child.selection_set:
                assert definition is not None
                lists.append((child, get_named_type(definition.type), listed))
                continue
            once += self._field(child, on, listed)
        items = max((len(listed) for *_, listed in lists), default=None)
        if items is None:
            items = self.cost.multiplier(node, of_type)
        total = items * once
        for child, item_type, listed in lists:
            assert child.selection_set is not None
            for item in listed[:items]:
                total += 1
                if isinstance(item, dict):
                    total += self._selections(child.selection_set, item_type, item)
        return total


def _is_list(definition: GraphQLField | None) -> bool:
    return definition is not None and is_list_type(get_nullable_type(definition.type))
