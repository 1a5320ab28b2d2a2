"""The order of a compiled list: the `orderBy` argument as the logic's sort key."""

from collections.abc import Callable

from ...resolvers.core.errors import DomainError
from ...resolvers.core.orders import list_sort_key
from ...resolvers.core.pagination import SortKey
from ...resolvers.issues.inputs import IssueFilter
from ...resolvers.issues.ordering import sort_key
from .connections import KeyOf
from .selections import Selection
from .statements import Binding, BindingValues, Builder, Fallback

Wanted = Callable[[Binding], IssueFilter]


def _no_filter(binding: Binding) -> IssueFilter:
    return IssueFilter()


def issue_key(wanted: Wanted = _no_filter) -> KeyOf:
    """The key `orderBy` names, for the filter `wanted` reads (its search ranks relevance);
    None when the list is in id order."""

    def key(builder: Builder, selection: Selection, binding: Binding, row: str) -> SortKey | None:
        given = binding.arguments_of(selection).get("order_by")
        if given is None:
            return None
        try:
            search = wanted(binding)
            order = given.to_order().check(search)
        except DomainError as refused:
            raise Fallback() from refused
        return sort_key(order, row, BindingValues(builder, wanted), search.parsed_search)

    return key


def list_key() -> KeyOf:
    """The key `orderBy` names on a list other than issues; None when in id order."""

    def key(builder: Builder, selection: Selection, binding: Binding, row: str) -> SortKey | None:
        given = binding.arguments_of(selection).get("order_by")
        if given is None:
            return None
        return list_sort_key(given.to_order(), row, builder.dialect)

    return key
