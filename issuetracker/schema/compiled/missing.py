"""Lookups that find nothing, answered by the compiled path as the executor answers them: null
at the field (or at the entry of `nodes`) and an error with code NOT_FOUND at its path, with
the message the resolver raises (`resolvers/*/`: `get_issue`, `get_issue_event`, `get_company`,
`get_category`, `get_user`; `NotFound`'s own message for the parts of an issue and its
invitations). The differential tests compare them with the executor's, for every type."""

import json
from collections.abc import Callable, Sequence

from graphql import GraphQLError

from ...resolvers.core.errors import ErrorCode, NotFound
from .selections import Selection
from .statements import Binding

MESSAGES = {
    "Issue": "Issue not found.",
    "IssueEvent": "Event not found.",
    "Company": "Company not found.",
    "Category": "Category not found.",
    "User": "User not found.",
}
"""The resolvers' messages; any other type's is `NotFound`'s own."""

Place = tuple[tuple[int, ...], str]
"""Where under the root field nothing was found (list positions), and the message."""

Missing = Callable[[Binding, Selection, str | None], list[Place]]
"""What a lookup's answer lacks: a NULL answer, or null entries of a list."""

TypeOf = Callable[[Binding, Selection], str]


def message(type_name: str) -> str:
    return MESSAGES.get(type_name, NotFound.default_message)


def one(type_of: TypeOf) -> Missing:
    """A single object: a NULL answer found nothing."""

    def missing(binding: Binding, selection: Selection, text: str | None) -> list[Place]:
        return [] if text is not None else [((), message(type_of(binding, selection)))]

    return missing


def of_type(type_name: str) -> TypeOf:
    return lambda binding, selection: type_name


def each(types_of: Callable[[Binding, Selection], Sequence[str]]) -> Missing:
    """A list of objects (never null itself): each null entry found nothing."""

    def missing(binding: Binding, selection: Selection, text: str | None) -> list[Place]:
        if text is None or "null" not in text:
            return []  # no entry is null (an object's text may hold null in its fields)
        entries = json.loads(text)
        types = types_of(binding, selection)
        return [
            ((position,), message(types[position]))
            for position, entry in enumerate(entries)
            if entry is None
        ]

    return missing


def not_found(selection: Selection, place: Place) -> GraphQLError:
    """The executor's error: at the field's nodes (its locations), with the field's path."""
    positions, text = place
    return GraphQLError(
        text,
        nodes=[detail.node for detail in selection.details],
        path=[selection.key, *positions],
        extensions={"code": str(ErrorCode.NOT_FOUND)},
    )
