"""A company's relations as a viewer is shown them: its issues (`issues_of_company` lives with
the issues), the viewer's own role in it, and a category's company."""

from ..core.fragments import Relation, inner
from ..core.sql import Viewer, own_membership_sql
from ..core.visibility import company_visible

CATEGORIES = Relation("categories", "company_id")
"""A company's categories: all shown to whoever sees the company."""


def company_of_category(company: str, category: str, viewer: Viewer) -> str:
    """SQL: the company row is the category row's, and the viewer may see it."""
    return f"{company}.id = {category}.company_id AND {company_visible(company, viewer)}"


def viewer_membership(company: str, viewer: str) -> tuple[str, str]:
    """The viewer's own membership of the company row (one a company-limited token may use):
    its alias, and `FROM ... WHERE ...`."""
    membership = inner(company, "own")
    rows = (
        f"FROM memberships AS {membership} WHERE {membership}.company_id = {company}.id"
        f" AND {own_membership_sql(membership, viewer)}"
    )
    return membership, rows
