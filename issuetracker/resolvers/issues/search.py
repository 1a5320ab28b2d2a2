"""Keyword search over an issue's name, description and tags.

PostgreSQL matches and ranks with full-text search over an expression that a GIN index
(created by migration 0003) covers; the expression rather than a generated column keeps the
shared models free of a type SQLite lacks. SQLite matches substrings, unranked.
"""

from pypika_tortoise.terms import BasicCriterion
from tortoise.contrib.postgres.search import Comp, SearchQuery, SearchRank
from tortoise.expressions import Expression, Q, RawSQL, ResolveContext, ResolveResult, Subquery
from tortoise.fields import BooleanField
from tortoise.queryset import QuerySet

from ...models import Issue, IssueTag

SEARCH_CONFIG = "english"
ISSUE_DOCUMENT = (
    f"(setweight(to_tsvector('{SEARCH_CONFIG}', \"issues\".\"name\"), 'A')"
    f" || setweight(to_tsvector('{SEARCH_CONFIG}', \"issues\".\"description\"), 'B'))"
)
CREATE_SEARCH_INDEX = (
    f"CREATE INDEX IF NOT EXISTS issues_search_idx ON issues USING GIN ({ISSUE_DOCUMENT})"
)


def _query(text: str) -> SearchQuery:
    return SearchQuery(text, config=SEARCH_CONFIG, search_type="websearch")


class _MatchesDocument(Expression):
    """`document @@ websearch_to_tsquery(text)`, the form the GIN index answers."""

    def __init__(self, text: str) -> None:
        self.text = text

    def resolve(self, resolve_context: ResolveContext) -> ResolveResult:
        query = _query(self.text).resolve(resolve_context)
        criterion = BasicCriterion(Comp.search, RawSQL(ISSUE_DOCUMENT), query.term)
        return ResolveResult(term=criterion, joins=query.joins, output_field=BooleanField())


def _tagged(text: str) -> Q:
    tagged = IssueTag.filter(tag__name=text.lower()).values_list("issue_id", flat=True)
    return Q(id__in=Subquery(tagged))


def _full_text() -> bool:
    return Issue._meta.db.capabilities.dialect == "postgres"


def matching_issues(issues: QuerySet[Issue], text: str) -> QuerySet[Issue]:
    """Issues whose words or tags match `text`."""
    text = text.strip()
    if not _full_text():
        return issues.filter(
            Q(name__icontains=text) | Q(description__icontains=text) | _tagged(text)
        )
    # A subquery of its own, so the planner answers it from the index whatever else filters
    # the outer query (an OR with the tags would otherwise force a scan of every row).
    matched = Issue.annotate(matches_words=_MatchesDocument(text)).filter(matches_words=True)
    return issues.filter(Q(id__in=Subquery(matched.values_list("id", flat=True))) | _tagged(text))


def best_first(issues: QuerySet[Issue], text: str) -> QuerySet[Issue]:
    """Most relevant first (PostgreSQL), then newest."""
    if not _full_text():
        return issues.order_by("-id")
    ranked = issues.annotate(rank=SearchRank(RawSQL(ISSUE_DOCUMENT), _query(text.strip())))
    return ranked.order_by("-rank", "-id")
