"""Pages of issues for many categories at once: `Category.issues` nested in a list costs two
statements per batch (ranked ids, then the rows), not one query per category."""

from collections import defaultdict
from collections.abc import Sequence

from tortoise import connections

from ...models import Issue
from ..core.pagination import Page, PageArgs

# Rows after the cursor rank first; a category with none still returns one row, for its total.
RANKED_IDS = """
SELECT id, category_id, total, in_window FROM (
  SELECT matching.*, ROW_NUMBER() OVER (
    PARTITION BY category_id ORDER BY in_window DESC, id {direction}) AS position
  FROM (
    SELECT issues.id, links.category_id,
           COUNT(*) OVER (PARTITION BY links.category_id) AS total,
           CASE WHEN {cursor} THEN 1 ELSE 0 END AS in_window
    FROM issues JOIN issue_categories AS links ON links.issue_id = issues.id
    WHERE links.category_id IN ({categories}) AND issues.deleted_at IS NULL
  ) AS matching
) AS ranked
WHERE position <= {limit}
ORDER BY category_id, position
"""


def _placeholders(count: int, start: int, postgres: bool) -> list[str]:
    """Numbered on both databases: the cursor's placeholder comes before the categories' in
    the text, but after them in the parameters."""
    return [f"${start + n}" if postgres else f"?{start + n}" for n in range(count)]


async def issue_pages_by_category(category_ids: Sequence[int], args: PageArgs) -> list[Page[Issue]]:
    """Newest first, like every issue list. Only for categories the caller already sees: an
    issue in a visible category is visible, so no other filter applies."""
    connection = connections.get("default")
    postgres = connection.capabilities.dialect == "postgres"
    params: list[int] = list(category_ids)
    cursor = ["1 = 1"]  # always true: no cursor, every row is in the window
    for value, operator in ((args.after_id, "<"), (args.before_id, ">")):
        if value is not None:
            params.append(value)
            cursor.append(f"issues.id {operator} {_placeholders(1, len(params), postgres)[0]}")
    sql = RANKED_IDS.format(
        direction="ASC" if args.backwards else "DESC",
        categories=", ".join(_placeholders(len(category_ids), 1, postgres)),
        cursor=" AND ".join(cursor),
        limit=int(args.size) + 1,
    )
    rows = await connection.execute_query_dict(sql, params)
    wanted = {row["id"] for row in rows if row["in_window"]}
    issues = {issue.id: issue for issue in await Issue.filter(id__in=wanted)}
    ranked: dict[int, list[Issue]] = defaultdict(list)
    totals: dict[int, int] = {}
    for row in rows:
        totals[row["category_id"]] = row["total"]
        if row["in_window"]:
            ranked[row["category_id"]].append(issues[row["id"]])
    return [_page(ranked[key], totals.get(key, 0), args) for key in category_ids]


def _page(rows: list[Issue], total: int, args: PageArgs) -> Page[Issue]:
    has_more = len(rows) > args.size
    rows = rows[: args.size]

    async def count() -> int:
        return total

    if args.backwards:
        rows.reverse()
        return Page(rows, args.before_id is not None, has_more, count)
    return Page(rows, has_more, args.after_id is not None, count)
