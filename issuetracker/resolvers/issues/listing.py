"""The issue list, written once for every face: the issues a filter picks among those the viewer
may see (`issue_conditions`: the candidates, then the filter), and the check that each company
and category the filter names is one the viewer sees (unknown and hidden alike). The executor's
`issues` (`reads.py`), the compiled `issues` root and the ConnectNow list are built on it; each
binds the values its own way (`SqlValues`) and pages with the keyset or numbered window."""

from collections.abc import Callable
from dataclasses import dataclass

from ...sqljson.statements import current_dialect, fetch_row
from ..core.errors import ErrorCode, ValidationFailed
from ..core.ids import is_row_id
from ..core.scope import Scope
from ..core.sql import RecordedValues, SqlValues, Viewer, viewer_of
from ..core.visibility import all_visible, category_visible, company_visible
from .filtering import issue_conditions
from .inputs import IssueFilter


def listed_issues(
    wanted: IssueFilter, issue: str, viewer: Viewer, values: SqlValues[IssueFilter]
) -> str:
    """SQL: the issue row `issue` is in the list `wanted` picks for the viewer. Asking for the
    viewer's own issues needs a signed-in viewer (Unauthenticated)."""
    return " AND ".join(issue_conditions(wanted, issue, viewer, values))


@dataclass(frozen=True)
class FilterIds:
    """Ids a filter names, of rows the viewer must see."""

    field: str
    table: str
    visible: Callable[[str, Viewer], str]

    def of(self, wanted: IssueFilter) -> list[int] | None:
        ids: list[int] | None = getattr(wanted, self.field)
        return ids

    def in_range(self, wanted: IssueFilter) -> bool:
        return all(is_row_id(number) for number in self.of(wanted) or [])

    def refused(self) -> ValidationFailed:
        message = f"The selected {self.field.replace('_', ' ')} are invalid."
        return ValidationFailed.single(self.field, message, ErrorCode.UNKNOWN)


FILTER_IDS = (
    FilterIds("company_ids", "companies", company_visible),
    FilterIds("category_ids", "categories", category_visible),
)


def filter_checks(
    wanted: IssueFilter, viewer: Viewer, values: SqlValues[IssueFilter]
) -> list[tuple[FilterIds, str]]:
    """For each list of ids `wanted` names (in order), SQL that the viewer sees every one of
    them (`all_visible`). Only for ids in range (`FilterIds.in_range`)."""
    checks = []
    for ids in FILTER_IDS:
        if ids.of(wanted) is not None:
            checks.append((ids, _all_visible(ids, viewer, values)))
    return checks


def _all_visible(ids: FilterIds, viewer: Viewer, values: SqlValues[IssueFilter]) -> str:
    def numbers(given: IssueFilter) -> list[int]:
        return sorted(set(ids.of(given) or []))

    count = values.value(lambda given: len(numbers(given)))
    listed = lambda column: values.int_list(column, numbers)  # noqa: E731
    return all_visible(ids.table, ids.visible, viewer, listed, count)


async def check_filter(scope: Scope, wanted: IssueFilter) -> None:
    """A filter may name only companies and categories the viewer sees (its text and times
    were checked when it was made): one statement, when it names any."""
    named = [ids for ids in FILTER_IDS if ids.of(wanted)]
    if not named:
        return
    values: RecordedValues[IssueFilter] = RecordedValues(current_dialect(), first=1)
    viewer = viewer_of(scope.actor)
    checks = [
        _all_visible(ids, viewer, values) if ids.in_range(wanted) else "1 = 0" for ids in named
    ]
    seen = await fetch_row(
        "SELECT " + ", ".join(f"CASE WHEN {check} THEN 1 ELSE 0 END" for check in checks),
        values.values_of(wanted),
    )
    assert seen is not None
    for ids, visible in zip(named, seen, strict=True):
        if not visible:
            raise ids.refused()
