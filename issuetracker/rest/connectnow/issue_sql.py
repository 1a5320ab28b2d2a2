"""ConnectNow issue objects, with the includes asked for, built by the database in one
statement for a whole page: the same keys, values and rules as `includes.issues_json`, which
stays the reference."""

from datetime import UTC, datetime

from ...resolvers.core.actor import Actor
from ...resolvers.core.visibility import category_visible, company_visible
from ...sqljson import sqlite_functions
from ...sqljson.arrays import Order, json_array
from ...sqljson.dialects import Dialect, json_object, nullable
from ...sqljson.statements import current_dialect, fetch_text, used_parameters
from .formats import timestamp

EVENTS = "events"
CATEGORIES = "categories"
COMPANIES = "categories.company"


def _laravel_time(stored: str | None) -> str | None:
    return None if stored is None else timestamp(datetime.fromisoformat(stored).astimezone(UTC))


sqlite_functions.register("it_laravel_time", 1, _laravel_time)


class _Sql:
    def __init__(self, dialect: Dialect) -> None:
        self.dialect = dialect
        self.viewer = dialect.int_param(2)

    def time(self, expression: str) -> str:
        """Laravel's `2021-04-26T22:25:35.000000Z`."""
        if self.dialect.is_postgres:
            text = (
                f"to_char(({expression}) AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS.US\"Z\"')"
            )
            return nullable(f"('\"' || {text} || '\"')")
        return nullable(f"json_quote(it_laravel_time({expression}))")

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
            rows = "FROM issue_events AS e WHERE e.issue_id = i.id"
            pairs.append(("events", json_array(self.dialect, event, rows, [Order("e.id")])))
        if includes & {CATEGORIES, COMPANIES}:
            pairs.append(("categories", self._categories(COMPANIES in includes)))
        return json_object(pairs)

    def _categories(self, with_company: bool) -> str:
        """The categories the viewer may see, and each one's company when it may see it."""
        pairs = self.fields("c", ["id", "name", "company_id", "created_at", "updated_at"])
        if with_company:
            company = json_object(self.fields("co", ["id", "name", "created_at", "updated_at"]))
            found = (
                f"(SELECT {company} FROM companies AS co WHERE co.id = c.company_id"
                f" AND {company_visible('co', self.viewer)})"
            )
            pairs.append(("company", nullable(found)))
        rows = (
            "FROM issue_categories AS cl JOIN categories AS c ON c.id = cl.category_id"
            f" WHERE cl.issue_id = i.id AND {category_visible('c', self.viewer)}"
        )
        return json_array(self.dialect, json_object(pairs), rows, [Order("c.id")])


IDS, VIEWER = 0, 1
_statements: dict[tuple[str, frozenset[str]], tuple[str, list[int]]] = {}


def issues_statement(dialect: Dialect, includes: frozenset[str]) -> tuple[str, list[int]]:
    """The statement, and which of (the issue ids in their order, the viewer's id) it takes:
    without includes it needs no viewer."""
    key = (dialect.name, includes)
    if key not in _statements:
        rows, issue_id, position = dialect.id_list_rows(1)
        source = f"FROM {rows} JOIN issues AS i ON i.id = {issue_id}"
        array = json_array(dialect, _Sql(dialect).issue(includes), source, [Order(position)])
        _statements[key] = used_parameters(f"SELECT {array}", [IDS, VIEWER])
    return _statements[key]


async def issues_text(actor: Actor, issue_ids: list[int], includes: set[str]) -> str:
    """The JSON array of the issue objects, in the order of `issue_ids`."""
    dialect = current_dialect()
    wanted = frozenset(includes & {EVENTS, CATEGORIES, COMPANIES})
    sql, taken = issues_statement(dialect, wanted)
    values = [dialect.int_list(issue_ids), actor.user_id]
    return await fetch_text(sql, [values[position] for position in taken]) or "[]"
