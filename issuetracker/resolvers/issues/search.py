"""A search (`search_language`) as SQL conditions on an issue row, and its relevance.

Words are matched in `issues.search_text` (`search_words`), text normalised in Python, with
LIKE patterns that hold only words and spaces: a word start is `% word%`, a phrase `% a b %`.
Both engines therefore compare the same text the same way and find the same issues.
PostgreSQL answers the patterns from a pg_trgm GIN index on the column (`SEARCH_INDEXES`);
SQLite reads the column.
"""

from collections.abc import Callable
from typing import Any

from ..core.errors import Unauthenticated
from ..core.fragments import inner
from ..core.involvement import involved_issue_ids_sql
from ..core.sql import SqlValues, Viewer
from ..core.visibility import category_visible, company_visible
from .relations import has_tag
from .search_language import ParsedSearch, Term
from .search_words import SEPARATOR

SEARCH_INDEXES = [
    "CREATE EXTENSION IF NOT EXISTS pg_trgm",
    "DROP INDEX IF EXISTS issues_search_idx",
    "CREATE INDEX IF NOT EXISTS issues_search_text_idx ON issues"
    " USING GIN (search_text gin_trgm_ops)",
]
"""PostgreSQL's: the trigram index that answers word and phrase patterns (and the English
full-text index of earlier versions gone). Migration 0008 runs them; so may a test."""

Read = Callable[[Any], ParsedSearch]
"""How the values of a search are read from the input a statement runs with."""


async def create_search_indexes(client: Any) -> None:
    """The search's indexes on a PostgreSQL database (nothing on SQLite)."""
    if client.capabilities.dialect == "postgres":
        for statement in SEARCH_INDEXES:
            await client.execute_script(statement)


def search_conditions(
    issue: str, values: SqlValues[Any], search: ParsedSearch, viewer: Viewer, read: Read
) -> list[str]:
    """SQL conditions on the issue row `issue` that all hold for the issues `search` finds.
    `search` decides which conditions there are, `read` gives their values. `owner:me` and
    `involves:me` need a signed-in viewer (Unauthenticated)."""

    def each(part: str, convert: Callable[[Any], object] = _same) -> list[str]:
        count = len(getattr(search, part))
        return [values.value(_nth(read, part, n, convert)) for n in range(count)]

    moment = values.dialect.datetime_value
    return [
        *(["1 = 0"] if search.unmatchable else []),
        *(f"{issue}.search_text LIKE {pattern}" for pattern in each("terms", _pattern)),
        *(f"{issue}.search_text NOT LIKE {pattern}" for pattern in each("excluded", _pattern)),
        *(f"{issue}.status = {status}" for status in each("statuses", _value)),
        *(f"{issue}.severity = {severity}" for severity in each("severities", _value)),
        *(has_tag(issue, tag) for tag in each("tags")),
        *(_in_company(issue, name, viewer) for name in each("companies")),
        *(_in_category(issue, name, viewer) for name in each("categories")),
        *_viewer_conditions(issue, search, viewer),
        *(f"{issue}.created_at >= {start}" for start in each("created_from", moment)),
        *(f"{issue}.created_at < {end}" for end in each("created_until", moment)),
    ]


def _in_company(issue: str, name: str, viewer: Viewer) -> str:
    """SQL: the issue row is in a category of a company the viewer sees named the SQL `name`."""
    link, category, company = (inner(issue, role) for role in ("link", "category", "company"))
    return (
        f"{issue}.id IN (SELECT {link}.issue_id FROM issue_categories AS {link}"
        f" JOIN categories AS {category} ON {category}.id = {link}.category_id"
        f" JOIN companies AS {company} ON {company}.id = {category}.company_id"
        f" WHERE {_same_name(company, name)} AND {company_visible(company, viewer)})"
    )


def _in_category(issue: str, name: str, viewer: Viewer) -> str:
    """SQL: the issue row is in a category the viewer sees named the SQL `name`."""
    link, category = inner(issue, "link"), inner(issue, "category")
    return (
        f"{issue}.id IN (SELECT {link}.issue_id FROM issue_categories AS {link}"
        f" JOIN categories AS {category} ON {category}.id = {link}.category_id"
        f" WHERE {_same_name(category, name)} AND {category_visible(category, viewer)})"
    )


def _same(value: Any) -> object:
    return value


def _pattern(term: Term) -> str:
    return term.pattern


def _value(choice: Any) -> object:
    return choice.value


def _nth(
    read: Read, part: str, n: int, convert: Callable[[Any], object]
) -> Callable[[Any], object]:
    """Reads the `n`th value of the search's `part` from a statement's input."""

    def get(given: Any) -> object:
        return convert(getattr(read(given), part)[n])

    return get


def _same_name(row: str, name: str) -> str:
    """Names compare ignoring (ASCII) case, as both engines' `lower` agree on it."""
    return f"lower({row}.name) = lower(CAST({name} AS TEXT))"


def _viewer_conditions(issue: str, search: ParsedSearch, viewer: Viewer) -> list[str]:
    if not (search.owner_me or search.involves_me):
        return []
    if viewer is None:
        raise Unauthenticated()
    conditions = [f"{issue}.owner_id = {viewer}"] if search.owner_me else []
    if search.involves_me:
        conditions.append(f"{issue}.id IN ({involved_issue_ids_sql(viewer)})")
    return conditions


def relevance_sql(issue: str, values: SqlValues[Any], search: ParsedSearch, read: Read) -> str:
    """SQL: how well the issue row matches, higher is better: how many of the search's words
    and phrases its name holds (an integer, the same on both engines). With no words every
    issue ranks alike; the 0 is cast so that no engine takes it for a column's position when
    it stands alone in an ORDER BY."""
    if not search.terms:
        return "CAST(0 AS INTEGER)"
    position = values.dialect.position
    name_end = position(f"{issue}.search_text", f"'{SEPARATOR}'")
    scores = []
    for n in range(len(search.terms)):
        needle = values.value(_nth(read, "terms", n, _needle))
        found = position(f"{issue}.search_text", needle)
        scores.append(f"(CASE WHEN {found} BETWEEN 1 AND {name_end} THEN 1 ELSE 0 END)")
    return f"({' + '.join(scores)})"


def _needle(term: Term) -> str:
    return term.needle
