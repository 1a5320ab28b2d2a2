"""The status reads as SQL, one statement each, whose one value is the answer's JSON: built
from the anonymous viewer's visibility rules (`core.visibility`), so a page shows exactly what
anyone may see through the API. Each is written once per database and kept.

Parameters: 1 is the company's id; 2 the issue's or category's id, or the time since which
closed issues are listed."""

from collections.abc import Callable
from functools import cache

from ...sqljson.arrays import Order, json_array
from ...sqljson.dialects import Dialect, json_object, nullable
from ..core.fragments import inner, link_of
from ..core.visibility import category_visible, company_visible, issue_visible
from ..issues.relations import CATEGORIES, issues_of_company
from .shapes import FEED_LENGTH, TIMELINE_LENGTH


def _in_company(issue: str) -> str:
    """SQL: the issue row `issue` is in a category of the company."""
    return issues_of_company(issue, "co.id")


def _in_category(issue: str, category_id: str) -> str:
    """SQL: the issue row `issue` is in the company's category whose id is `category_id`."""
    link, category = link_of(issue), inner(issue, "category")
    return (
        f"{issue}.id IN (SELECT {link}.issue_id FROM issue_categories AS {link}"
        f" JOIN categories AS {category} ON {category}.id = {link}.category_id"
        f" WHERE {category}.company_id = co.id AND {category}.id = {category_id})"
    )


def _last_update(issue: str) -> str:
    event = inner(issue, "last_event")
    return (
        f"coalesce((SELECT {event}.created_at FROM issue_events AS {event}"
        f" WHERE {event}.issue_id = {issue}.id"
        f" ORDER BY {event}.id DESC LIMIT 1), {issue}.created_at)"
    )


def _issue(d: Dialect, row: str) -> str:
    return json_object(
        [
            ("id", d.integer(f"{row}.id")),
            ("name", d.text(f"{row}.name")),
            ("severity", d.text(f"{row}.severity")),
            ("status", d.text(f"{row}.status")),
            ("created_at", d.datetime(f"{row}.created_at")),
            ("updated_at", d.datetime(_last_update(row))),
            ("closed_at", nullable(d.datetime(f"{row}.closed_at"))),
        ]
    )


def _event(d: Dialect, row: str) -> list[tuple[str, str]]:
    return [
        ("id", d.integer(f"{row}.id")),
        ("kind", d.text(f"{row}.kind")),
        ("description", d.text(f"{row}.description")),
        ("at", d.datetime(f"{row}.created_at")),
    ]


def _category(d: Dialect, row: str) -> list[tuple[str, str]]:
    return [("id", d.integer(f"{row}.id")), ("name", d.text(f"{row}.name"))]


def _public_company(d: Dialect, parts: list[tuple[str, str]]) -> str:
    """The company ?1, when public, with `parts` after its own fields; no row otherwise."""
    company = [
        ("id", d.integer("co.id")),
        ("name", d.text("co.name")),
        ("slug", d.text("co.slug")),
        ("logo_url", nullable(d.text("co.logo_url"))),
        ("created_at", d.datetime("co.created_at")),
        ("changed_at", d.datetime("coalesce(co.status_changed_at, co.updated_at)")),
    ]
    return (
        f"SELECT {json_object(company + parts)} FROM companies AS co"
        f" WHERE co.id = {d.int_param(1)} AND {company_visible('co', None)}"
    )


@cache
def company_status_sql(d: Dialect) -> str:
    """The company's categories, each with its open issues; the issues closed since ?2, and
    when the last one closed before was closed."""
    visible = issue_visible("i", None)
    newest = [Order("i.created_at", descending=True), Order("i.id", descending=True)]
    open_issues = json_array(
        d,
        _issue(d, "i"),
        "FROM issue_categories AS l JOIN issues AS i ON i.id = l.issue_id"
        f" WHERE l.category_id = ca.id AND i.status = 'open' AND {visible}",
        newest,
    )
    categories = json_array(
        d,
        json_object([*_category(d, "ca"), ("open", open_issues)]),
        f"FROM categories AS ca WHERE ca.company_id = co.id AND {category_visible('ca', None)}",
        [Order("ca.name"), Order("ca.id")],
    )
    closed = json_array(
        d,
        _issue(d, "i"),
        f"FROM issues AS i WHERE {_in_company('i')} AND i.status = 'closed'"
        f" AND i.closed_at >= {d.param(2)} AND {visible}",
        [Order("i.closed_at", descending=True), Order("i.id", descending=True)],
    )
    dropped = (
        f"(SELECT max(i.closed_at) FROM issues AS i WHERE {_in_company('i')}"
        f" AND i.status = 'closed' AND i.closed_at < {d.param(2)} AND {visible})"
    )
    return _public_company(
        d,
        [
            ("categories", categories),
            ("closed", closed),
            ("last_dropped", nullable(d.datetime(dropped))),
        ],
    )


def _the_issue(d: Dialect, fields: Callable[[str], list[tuple[str, str]]]) -> str:
    """The issue ?2 when it is visible and in the company, with `fields` of it; else null."""
    condition = f"i.id = {d.int_param(2)} AND {_in_company('i')} AND {issue_visible('i', None)}"
    return nullable(f"(SELECT {json_object(fields('i'))} FROM issues AS i WHERE {condition})")


@cache
def issue_status_sql(d: Dialect) -> str:
    """The issue ?2 with the company's categories it is in and its latest events."""

    def fields(issue: str) -> list[tuple[str, str]]:
        category = inner(issue, "category")
        rows, _ = CATEGORIES.rows(category, f"{issue}.id", None)
        categories = json_array(
            d,
            json_object(_category(d, category)),
            f"{rows} AND {category}.company_id = co.id",
            [Order(f"{category}.name"), Order(f"{category}.id")],
        )
        events = json_array(
            d,
            json_object(_event(d, "e")),
            f"FROM issue_events AS e WHERE e.issue_id = {issue}.id",
            [Order("e.id", descending=True)],
            str(TIMELINE_LENGTH),
        )
        counted = inner(issue, "counted_event")
        count = (
            f"(SELECT count(*) FROM issue_events AS {counted}"
            f" WHERE {counted}.issue_id = {issue}.id)"
        )
        return [
            ("issue", _issue(d, issue)),
            ("categories", categories),
            ("events", events),
            ("event_count", d.integer(count)),
        ]

    return _public_company(d, [("found", _the_issue(d, fields))])


def _entries(d: Dialect, which: str) -> str:
    """The latest events of the visible issues `which` picks (SQL on the issue row `i`)."""
    entry = json_object(
        [*_event(d, "e"), ("issue_id", d.integer("i.id")), ("issue_name", d.text("i.name"))]
    )
    return json_array(
        d,
        entry,
        "FROM issue_events AS e JOIN issues AS i ON i.id = e.issue_id"
        f" WHERE {which} AND {issue_visible('i', None)}",
        [Order("e.id", descending=True)],
        str(FEED_LENGTH),
    )


@cache
def company_feed_sql(d: Dialect) -> str:
    return _public_company(d, [("entries", _entries(d, _in_company("i")))])


@cache
def category_feed_sql(d: Dialect) -> str:
    """The category ?2 of the company and its issues' events; the category null if none."""
    category = nullable(
        f"(SELECT {json_object(_category(d, 'fc'))} FROM categories AS fc"
        f" WHERE fc.id = {d.int_param(2)} AND fc.company_id = co.id"
        f" AND {category_visible('fc', None)})"
    )
    entries = _entries(d, _in_category("i", d.int_param(2)))
    return _public_company(d, [("category", category), ("entries", entries)])


@cache
def issue_feed_sql(d: Dialect) -> str:
    """The issue ?2's events; the issue null when it is not one of the company's to show."""
    issue = _the_issue(d, lambda row: [("issue", _issue(d, row))])
    entries = _entries(d, f"i.id = {d.int_param(2)} AND {_in_company('i')}")
    return _public_company(d, [("found", issue), ("entries", entries)])
