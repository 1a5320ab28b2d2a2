"""Keyword search over an issue's name, description and tags, as an SQL condition.

PostgreSQL matches (and ranks) with full-text search over an expression that a GIN index
(created by migration 0003) covers; the expression rather than a generated column keeps the
shared models free of a type SQLite lacks. SQLite matches substrings, unranked.
"""

from collections.abc import Callable
from typing import Any

from tortoise.contrib.postgres.search import SearchQuery, SearchRank
from tortoise.expressions import RawSQL
from tortoise.filters import escape_like
from tortoise.queryset import QuerySet

from ...models import Issue
from ..core.sql import InputValues, SqlValues, where

SEARCH_CONFIG = "english"


def issue_document(issue: str) -> str:
    """The searchable text of the issue row `issue`, as the search index holds it."""
    return (
        f"(setweight(to_tsvector('{SEARCH_CONFIG}', {issue}.\"name\"), 'A')"
        f" || setweight(to_tsvector('{SEARCH_CONFIG}', {issue}.\"description\"), 'B'))"
    )


ISSUE_DOCUMENT = issue_document('"issues"')
CREATE_SEARCH_INDEX = (
    f"CREATE INDEX IF NOT EXISTS issues_search_idx ON issues USING GIN ({ISSUE_DOCUMENT})"
)


def search_sql(issue: str, values: SqlValues[Any], text: Callable[[Any], str]) -> str:
    """SQL: the issue row's words or tags match the text `text` reads from the input."""
    tag = values.value(lambda given: text(given).lower())
    tagged_ids = (
        "SELECT st.issue_id FROM issue_tags AS st"
        f" JOIN tags AS stn ON stn.id = st.tag_id WHERE stn.name = {tag}"
    )
    if values.dialect.is_postgres:
        # The matches first, from the full-text index and the tags, then those rows by their
        # ids: an OR of two IN subqueries would be a filter tried on every issue, and an IN of
        # their union is planned as if thousands matched, walking the primary key.
        query = values.value(text)
        matches = (
            f"SELECT sw.id FROM issues AS sw WHERE {issue_document('sw')}"
            f" @@ websearch_to_tsquery('{SEARCH_CONFIG}', {query}) UNION ALL {tagged_ids}"
        )
        return f"{issue}.id = ANY (ARRAY({matches}))"
    tagged = f"{issue}.id IN ({tagged_ids})"
    pattern = values.value(lambda given: f"%{escape_like(text(given))}%")
    contains = [
        f"UPPER(CAST({issue}.{column} AS VARCHAR)) LIKE UPPER({pattern}) ESCAPE '\\'"
        for column in ("name", "description")
    ]
    return f"({' OR '.join(contains)} OR {tagged})"


def relevance_sql(issue: str, values: SqlValues[Any], text: Callable[[Any], str]) -> str:
    """SQL: how well the issue row matches the text, higher is better. PostgreSQL ranks its
    full-text match; SQLite, which matches substrings, ranks every match alike."""
    if not values.dialect.is_postgres:
        return "0.0"
    query = values.value(text)
    return f"ts_rank({issue_document(issue)}, websearch_to_tsquery('{SEARCH_CONFIG}', {query}))"


def matching_issues(issues: QuerySet[Issue], text: str) -> QuerySet[Issue]:
    """Issues whose words or tags match `text`."""
    values = InputValues(text.strip())
    condition = search_sql('"issues"', values, lambda given: given)
    return where(issues, values.fragment(condition))


def best_first(issues: QuerySet[Issue], text: str) -> QuerySet[Issue]:
    """Most relevant first (PostgreSQL), then newest."""
    if not InputValues(text).dialect.is_postgres:
        return issues.order_by("-id")
    query = SearchQuery(text.strip(), config=SEARCH_CONFIG, search_type="websearch")
    ranked = issues.annotate(rank=SearchRank(RawSQL(ISSUE_DOCUMENT), query))
    return ranked.order_by("-rank", "-id")
