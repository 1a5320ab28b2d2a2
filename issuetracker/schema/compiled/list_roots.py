"""The list roots the compiled path answers, each as one statement: `issues` (the logic's issue
list, `listing`), `companies` and `categories`. Each is a connection (`connections`); the ids a
filter names are checked in the same statement (`all_visible`), and when one is not seen the
answer is NULL, which sends the field to the executor for its error."""

from collections.abc import Callable
from typing import Any, TypeVar

from ...resolvers.core.errors import DomainError
from ...resolvers.core.ids import is_row_id
from ...resolvers.core.visibility import all_visible, category_visible, company_visible
from ...resolvers.issues.inputs import IssueFilter, check_search
from ...resolvers.issues.listing import FilterIds, filter_checks, listed_issues
from ..relay import database_ids
from .connections import Paging, Source, connection
from .issue_order import issue_key, list_key
from .selections import Selection
from .statements import Binding, BindingValues, Builder, Fallback, domain_checked

T = TypeVar("T")


def decoded(check: Callable[[], T]) -> T:
    """`check()`; Fallback when the logic refuses the request's values."""
    try:
        return check()
    except DomainError as refused:
        raise Fallback() from refused


def _issue_filter(binding: Binding, selection: Selection) -> IssueFilter:
    def decode() -> IssueFilter:
        given = binding.arguments_of(selection).get("filter")
        wanted = given.to_filter() if given is not None else IssueFilter()
        check_search(wanted.search)
        return wanted

    return binding.memo(("filter", selection.number), decode)


def search_shape(binding: Binding, selection: Selection) -> tuple[Any, ...]:
    """The words and qualifiers of a search write conditions of their own (not a type name,
    so a tuple)."""
    return (("search", _issue_filter(binding, selection).parsed_search.shape()),)


def issues(builder: Builder, selection: Selection, binding: Binding) -> str:
    builder.check(domain_checked(lambda bound: _issue_filter(bound, selection)))
    wanted = decoded(lambda: _issue_filter(binding, selection))

    def read(bound: Binding) -> IssueFilter:
        return _issue_filter(bound, selection)

    viewer = builder.viewer()

    def where(inner: Builder, row: str) -> str:
        values = BindingValues(inner, read)
        return decoded(lambda: listed_issues(wanted, row, viewer, values))

    checks = []
    for ids, check in filter_checks(wanted, viewer, BindingValues(builder, read)):
        builder.check(_in_range(ids, read))
        checks.append(check)
    source = Source(
        "Issue",
        "issues",
        where,
        newest_first=True,
        paging=Paging.QUERY,
        key=issue_key(read),
        bounded=True,
    )
    listed = connection(builder, selection, source, binding)
    if checks:
        listed = f"CASE WHEN {' AND '.join(checks)} THEN {listed} END"
    return f"SELECT {listed}"


def _in_range(ids: FilterIds, read: Callable[[Binding], IssueFilter]) -> Callable[[Binding], None]:
    """Ids out of range are the executor's to refuse."""

    def check(binding: Binding) -> None:
        if not ids.in_range(read(binding)):
            raise Fallback()

    return check


def companies(builder: Builder, selection: Selection, binding: Binding) -> str:
    visible = lambda inner, row: company_visible(row, inner.viewer())  # noqa: E731
    source = Source(
        "Company",
        "companies",
        visible,
        newest_first=False,
        paging=Paging.QUERY,
        key=list_key(),
        bounded=True,
    )
    return f"SELECT {connection(builder, selection, source, binding)}"


def categories(builder: Builder, selection: Selection, binding: Binding) -> str:
    def company_ids(bound: Binding) -> list[int] | None:
        given = bound.arguments_of(selection).get("company_ids")
        if given is None:
            return None
        return decoded(lambda: database_ids(given, "Company", field="company_ids"))

    builder.check(company_ids)
    filtered = company_ids(binding) is not None

    def listed_ids(bound: Binding) -> list[int]:
        numbers = sorted(set(company_ids(bound) or []))
        if not all(is_row_id(number) for number in numbers):
            raise Fallback()
        return numbers

    def where(inner: Builder, row: str) -> str:
        condition = category_visible(row, inner.viewer())
        if filtered:
            listed = inner.int_list_condition(f"{row}.company_id", lambda b: company_ids(b) or [])
            condition = f"{condition} AND {listed}"
        return condition

    source = Source(
        "Category", "categories", where, newest_first=False, paging=Paging.QUERY, bounded=True
    )
    listed = connection(builder, selection, source, binding)
    if filtered:
        count = builder.int_param(lambda bound: len(listed_ids(bound)))
        ids = lambda column: builder.int_list_condition(column, listed_ids)  # noqa: E731
        check = all_visible("companies", company_visible, builder.viewer(), ids, count)
        listed = f"CASE WHEN {check} THEN {listed} END"
    return f"SELECT {listed}"
