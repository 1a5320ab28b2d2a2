"""Who may see what, written once as SQL conditions on a row. Both read paths use them: the
ORM's querysets below (`visible_issues(actor)`, ...) and the compiled read path, which puts the
same conditions into the statements it builds.

A company is visible when public or when the viewer is a member; a category when its company is
visible; an issue (not deleted) when one of its categories is visible, or the viewer takes part
in it (its owner always does). A deleted issue is seen only by those taking part in it, and only
when asked for. A user is visible to themself and to those who share a company (are members of
one) or an issue (take part in one) with them; to no one else, anonymous viewers included.

A viewer whose token is limited to some companies (a `LimitedViewer`) is a member of those only,
and taking part in an issue opens nothing to it: it sees an issue only through a category it may
see (a deleted one too, when it takes part), and shares issues only in its companies.
"""

from collections.abc import Callable
from typing import Any

from tortoise.queryset import QuerySet

from ...models import Category, Company, Issue, User
from .actor import Actor
from .errors import ErrorCode, ValidationFailed
from .fragments import inner
from .ids import is_row_id
from .involvement import involved_issue_ids_sql, takes_part_sql
from .sql import LimitedViewer, Viewer, is_limited, own_membership_sql, table, viewer_of, where


def company_visible(company: str, viewer: Viewer) -> str:
    """`company` is the alias of a companies row."""
    if viewer is None:
        return f"{company}.is_public"
    membership = inner(company, "membership")
    member = (
        f"EXISTS (SELECT 1 FROM memberships AS {membership}"
        f" WHERE {membership}.company_id = {company}.id"
        f" AND {own_membership_sql(membership, viewer)})"
    )
    return f"({company}.is_public OR {member})"


def category_visible(category: str, viewer: Viewer) -> str:
    company = inner(category, "company")
    return (
        f"EXISTS (SELECT 1 FROM companies AS {company} WHERE {company}.id = {category}.company_id"
        f" AND {company_visible(company, viewer)})"
    )


def issue_visible(issue: str, viewer: Viewer, *, include_deleted: bool = False) -> str:
    link, category, company = (inner(issue, role) for role in ("link", "category", "company"))
    in_visible_category = (
        f"EXISTS (SELECT 1 FROM issue_categories AS {link}"
        f" JOIN categories AS {category} ON {category}.id = {link}.category_id"
        f" JOIN companies AS {company} ON {company}.id = {category}.company_id"
        f" WHERE {link}.issue_id = {issue}.id AND {company_visible(company, viewer)})"
    )
    if viewer is None:
        return f"({in_visible_category} AND {issue}.deleted_at IS NULL)"
    taking_part = takes_part_sql(issue, viewer)
    if include_deleted:
        not_deleted = f"({issue}.deleted_at IS NULL OR {taking_part})"
    else:
        not_deleted = f"{issue}.deleted_at IS NULL"
    if is_limited(viewer):  # taking part opens nothing beyond the token's companies
        return f"({in_visible_category} AND {not_deleted})"
    return f"(({in_visible_category} OR {taking_part}) AND {not_deleted})"


def user_visible(user: str, viewer: Viewer) -> str:
    """`user` is the alias of a users row. Sharing an issue is both taking part in it (deleted
    issues count: those taking part still see each other there)."""
    if viewer is None:
        return "1 = 0"
    theirs, mine, taking_part = (inner(user, role) for role in ("their", "mine", "participant"))
    shares_company = (
        f"EXISTS (SELECT 1 FROM memberships AS {theirs} JOIN memberships AS {mine}"
        f" ON {mine}.company_id = {theirs}.company_id"
        f" WHERE {theirs}.user_id = {user}.id AND {own_membership_sql(mine, viewer)})"
    )
    shares_issue = (
        f"EXISTS (SELECT 1 FROM issue_participants AS {taking_part}"
        f" WHERE {taking_part}.user_id = {user}.id"
        f" AND {taking_part}.issue_id IN ({involved_issue_ids_sql(viewer)})"
        f"{_in_limit(f'{taking_part}.issue_id', viewer)})"
    )
    return f"({user}.id = {viewer} OR {shares_company} OR {shares_issue})"


def _in_limit(issue_id: str, viewer: str) -> str:
    """For a company-limited viewer: ` AND` the issue is in a category of its companies."""
    if not isinstance(viewer, LimitedViewer):
        return ""
    link, category = inner(issue_id, "link"), inner(issue_id, "category")
    return (
        f" AND EXISTS (SELECT 1 FROM issue_categories AS {link}"
        f" JOIN categories AS {category} ON {category}.id = {link}.category_id"
        f" WHERE {link}.issue_id = {issue_id} AND {viewer.companies(f'{category}.company_id')})"
    )


def visible_companies(actor: Actor) -> QuerySet[Company]:
    return where(Company.all(), company_visible(table(Company), viewer_of(actor)))


def visible_categories(actor: Actor) -> QuerySet[Category]:
    return where(Category.all(), category_visible(table(Category), viewer_of(actor)))


def visible_issues(actor: Actor, *, include_deleted: bool = False) -> QuerySet[Issue]:
    """Deleted issues, when included, only to the people taking part in them."""
    condition = issue_visible(table(Issue), viewer_of(actor), include_deleted=include_deleted)
    return where(Issue.all(), condition)


def visible_users(actor: Actor) -> QuerySet[User]:
    return where(User.all(), user_visible(table(User), viewer_of(actor)))


async def ensure_all_visible(visible: QuerySet[Any], ids: list[int] | None, field: str) -> None:
    """Ids given as filters must name rows the actor can see; unknown and hidden look alike."""
    if not ids:
        return
    wanted = set(ids)
    in_range = all(is_row_id(row_id) for row_id in wanted)
    if not in_range or await visible.filter(id__in=wanted).count() != len(wanted):
        message = f"The selected {field.replace('_', ' ')} are invalid."
        raise ValidationFailed.single(field, message, ErrorCode.UNKNOWN)


def all_visible(
    table: str,
    visible: Callable[[str, Viewer], str],
    viewer: Viewer,
    ids: Callable[[str], str],
    count: str,
) -> str:
    """SQL: `ensure_all_visible`'s rule in a statement. `ids(column)` is the condition that
    `column` is one of the ids, `count` how many distinct ids there are."""
    row = "v_all"
    return (
        f"(SELECT count(*) FROM {table} AS {row}"
        f" WHERE {ids(f'{row}.id')} AND {visible(row, viewer)}) = {count}"
    )
