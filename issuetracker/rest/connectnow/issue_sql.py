"""ConnectNow issue objects, with the includes asked for, built by the database in one
statement for a whole page: the same keys, values and rules as `includes.issues_json`, which
stays the reference."""

from collections import OrderedDict
from dataclasses import dataclass
from datetime import UTC, datetime

from ...resolvers.companies.relations import company_of_category
from ...resolvers.core.actor import Actor
from ...resolvers.core.pagination import OffsetArgs
from ...resolvers.core.scope import Scope
from ...resolvers.core.sql import RecordedValues, viewer_sql
from ...resolvers.issues import relations
from ...resolvers.issues.filtering import filter_shape
from ...resolvers.issues.inputs import IssueFilter
from ...resolvers.issues.listing import check_filter, listed_issues
from ...sqljson import sqlite_functions
from ...sqljson.arrays import Order, json_array
from ...sqljson.dialects import Dialect, json_object, nullable
from ...sqljson.statements import current_dialect, fetch_row, fetch_text, used_parameters
from .formats import timestamp

Limit = frozenset[int] | None
"""A company-limited token's companies."""
IDS, VIEWER = 0, 1
"""The first two parameters of the statements: the issue ids (for a page, its offset), and
the viewer's id."""
EVENTS = "events"
CATEGORIES = "categories"
COMPANIES = "categories.company"


def _laravel_time(stored: str | None) -> str | None:
    return None if stored is None else timestamp(datetime.fromisoformat(stored).astimezone(UTC))


sqlite_functions.register("it_laravel_time", 1, _laravel_time)


class _Sql:
    def __init__(self, dialect: Dialect, signed_in: bool, limit: Limit = None) -> None:
        """Anonymous viewers get the rules' anonymous form, with no viewer to compare; a
        company-limited token's, its companies (as literals: statements are kept per limit)."""
        self.dialect = dialect
        self.viewer = viewer_sql(dialect.int_param(VIEWER + 1), limit) if signed_in else None

    def time(self, expression: str) -> str:
        """Laravel's `2021-04-26T22:25:35.000000Z`."""
        return nullable(self.dialect.laravel_time(expression))

    def fields(self, row: str, names: list[str]) -> list[tuple[str, str]]:
        d = self.dialect
        shown = {
            "id": d.integer(f"{row}.id"),
            "name": d.text(f"{row}.name"),
            "severity": d.text(f"{row}.severity"),
            "description": d.text(f"{row}.description"),
            "issue_id": d.integer(f"{row}.issue_id"),
            "company_id": d.integer(f"{row}.company_id"),
            "closed_at": self.time(f"{row}.closed_at"),
            "created_at": self.time(f"{row}.created_at"),
            "updated_at": self.time(f"{row}.updated_at"),
        }
        return [(name, shown[name]) for name in names]

    def issue(self, includes: frozenset[str]) -> str:
        pairs = self.fields(
            "i", ["id", "name", "severity", "closed_at", "created_at", "updated_at"]
        )
        if EVENTS in includes:
            event = json_object(
                self.fields("e", ["id", "issue_id", "description", "created_at", "updated_at"])
            )
            rows, order = relations.EVENTS.rows("e", "i.id", self.viewer)
            pairs.append(("events", json_array(self.dialect, event, rows, [Order(order)])))
        if includes & {CATEGORIES, COMPANIES}:
            pairs.append(("categories", self._categories(COMPANIES in includes)))
        return json_object(pairs)

    def _categories(self, with_company: bool) -> str:
        """The categories the viewer may see, and each one's company when it may see it."""
        pairs = self.fields("c", ["id", "name", "company_id", "created_at", "updated_at"])
        if with_company:
            company = json_object(self.fields("co", ["id", "name", "created_at", "updated_at"]))
            shown = company_of_category("co", "c", self.viewer)
            found = f"(SELECT {company} FROM companies AS co WHERE {shown})"
            pairs.append(("company", nullable(found)))
        rows, order = relations.CATEGORIES.rows("c", "i.id", self.viewer)
        return json_array(self.dialect, json_object(pairs), rows, [Order(order)])


STATEMENTS_KEPT = 256
"""Statements kept, one for each shape and company-limited token's set of companies: however
many narrowed tokens there are, the process keeps no more."""
_statements: dict[tuple[str, frozenset[str], bool, Limit], tuple[str, list[int]]] = {}


def issues_statement(
    dialect: Dialect, includes: frozenset[str], signed_in: bool, limit: Limit = None
) -> tuple[str, list[int]]:
    """The statement, and which of (the issue ids in their order, the viewer's id) it takes:
    without includes it needs no viewer."""
    key = (dialect.name, includes, signed_in, limit)
    if key not in _statements:
        rows, issue_id, position = dialect.id_list_rows(1)
        source = f"FROM {rows} JOIN issues AS i ON i.id = {issue_id}"
        item = _Sql(dialect, signed_in, limit).issue(includes)
        array = json_array(dialect, item, source, [Order(position)])
        if len(_statements) >= STATEMENTS_KEPT:
            del _statements[next(iter(_statements))]  # the oldest: a company limit seldom used
        _statements[key] = used_parameters(f"SELECT {array}", [IDS, VIEWER])
    return _statements[key]


async def issues_text(actor: Actor, issue_ids: list[int], includes: set[str]) -> str:
    """The JSON array of the issue objects, in the order of `issue_ids`."""
    dialect = current_dialect()
    wanted = frozenset(includes & {EVENTS, CATEGORIES, COMPANIES})
    sql, taken = issues_statement(dialect, wanted, actor.user_id is not None, actor.companies)
    values = [dialect.int_list(issue_ids), actor.user_id]
    return await fetch_text(sql, [values[position] for position in taken]) or "[]"


@dataclass(frozen=True)
class _PageStatement:
    sql: str
    filter_values: RecordedValues[IssueFilter]
    taken: list[int]
    """Which of (the offset, the viewer, the filter's values...) the SQL takes."""


PAGES_KEPT = 512
_pages: OrderedDict[tuple[object, ...], _PageStatement] = OrderedDict()


def _page_statement(
    dialect: Dialect,
    includes: frozenset[str],
    wanted: IssueFilter,
    args: OffsetArgs,
    signed_in: bool,
    limit: Limit = None,
) -> _PageStatement:
    """The page's issues, newest first, as JSON, and how many rows the window held: the issue
    list (`listed_issues`), the numbered page's window (`OffsetArgs.limit`), one aggregate. The
    page size is a literal, and so is the first page's lack of an offset, so PostgreSQL keeps
    one plan for the statement of each (later pages are planned each time)."""
    first_page = args.offset == 0
    shape = filter_shape(wanted)
    key = (dialect.name, includes, shape, args.per_page, signed_in, limit, first_page)
    if key in _pages:
        _pages.move_to_end(key)
    else:
        per_page = args.per_page
        sql = _Sql(dialect, signed_in, limit)
        values: RecordedValues[IssueFilter] = RecordedValues(dialect, first=3)
        listed = listed_issues(wanted, "i", sql.viewer, values)
        window = (
            f"SELECT {sql.issue(includes)} AS j, i.id AS id FROM issues AS i WHERE {listed}"
            f" ORDER BY i.id DESC LIMIT {args.limit}"
        )
        if not first_page:
            window += f" OFFSET {dialect.int_param(IDS + 1)}"
        numbered = (
            "SELECT w.*, row_number() OVER (ORDER BY w.id DESC) AS rn"
            f" FROM ({window}) AS w ORDER BY rn"
        )
        items = dialect.concat("n.j", "n.rn")
        page = (
            "SELECT count(*),"
            f" coalesce('[' || {items} FILTER (WHERE n.rn <= {per_page}) || ']', '[]')"
            f" FROM ({numbered}) AS n"
        )
        compacted, taken = used_parameters(page, list(range(2 + len(values.reads))))
        _pages[key] = _PageStatement(compacted, values, taken)
        if len(_pages) > PAGES_KEPT:
            _pages.popitem(last=False)
    return _pages[key]


async def issue_page_text(
    scope: Scope, wanted: IssueFilter, args: OffsetArgs, includes: set[str]
) -> tuple[str, bool, int]:
    """A page of issues as JSON text, whether another page follows, and how many it holds:
    one statement (after the checks a filter needs)."""
    await check_filter(scope, wanted)
    dialect = current_dialect()
    chosen = frozenset(includes & {EVENTS, CATEGORIES, COMPANIES})
    signed_in = scope.actor.user_id is not None
    statement = _page_statement(dialect, chosen, wanted, args, signed_in, scope.actor.companies)
    values = [args.offset, scope.actor.user_id, *statement.filter_values.values_of(wanted)]
    row = await fetch_row(statement.sql, [values[position] for position in statement.taken])
    assert row is not None  # an aggregate always answers
    found, text = row
    assert isinstance(found, int)
    return str(text), found > args.per_page, min(found, args.per_page)
