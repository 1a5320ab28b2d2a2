"""What a request's shape always costs, kept: clients send the same documents again and again,
and counting a document's cost walks all of it. A shape holds only the variables the cost reads
(`Document.cost_variables`), so a mutation sent with new input each time is counted once."""

import json
from collections import OrderedDict
from collections.abc import Callable
from typing import Any, Generic, TypeVar

from graphql import OperationDefinitionNode

from ..documents import Document

Value = TypeVar("Value")
Shape = tuple[str, str, str]

KEPT = 512


def shape_of(
    document: Document, operation: OperationDefinitionNode, variables: dict[str, Any] | None
) -> Shape:
    """A request's document, operation and the variables its cost reads, as the client sent
    them."""
    name = operation.name.value if operation.name else ""
    read = document.cost_variables
    if variables and read is not None:
        variables = {key: variables[key] for key in read if key in variables}
    given = json.dumps(variables, sort_keys=True, default=str) if variables else ""
    return document.source, name, given


class Memo(Generic[Value]):
    """The last `KEPT` values computed, by the shape of the request they belong to."""

    def __init__(self) -> None:
        self._kept: OrderedDict[Shape, Value] = OrderedDict()

    def get(self, shape: Shape, compute: Callable[[], Value]) -> Value:
        if shape in self._kept:
            self._kept.move_to_end(shape)
            return self._kept[shape]
        value = compute()  # what raises is not kept
        self._kept[shape] = value
        if len(self._kept) > KEPT:
            self._kept.popitem(last=False)
        return value
