"""A user's relations as a viewer is shown them: the e-mail address, the first company the
viewer may see, the viewer's own companies and "my tags"."""

from collections.abc import Collection

from ...sqljson.arrays import Order, json_array
from ...sqljson.dialects import Dialect
from ..core.fragments import inner
from ..core.involvement import takes_part_sql
from ..core.sql import Viewer, is_limited, own_membership_sql
from ..core.visibility import company_visible, issue_visible


def shown_email(
    viewer_id: int | None, user_id: int, email: str, alongside: Collection[int] = ()
) -> str | None:
    """E-mail addresses are personal: a user's own is shown to them, and no one else's. The
    one exception: where a face shows the people taking part in an issue together (the Kinetic
    issue object, whose document shows their addresses), they see each other's; `alongside`
    holds them then. `email_shown` is the same rule in SQL."""
    if viewer_id is not None and (viewer_id == user_id or viewer_id in alongside):
        return email
    return None


def email_shown(user: str, viewer: Viewer, alongside_issue: str | None = None) -> str:
    """SQL: the `shown_email` rule for the users row `user`; with `alongside_issue`, the issue
    row whose participants see each other's addresses."""
    if viewer is None:
        return "1 = 0"
    condition = f"{user}.id = {viewer}"
    if alongside_issue is not None:
        condition = f"({condition} OR {takes_part_sql(alongside_issue, viewer)})"
    return condition


def first_visible_company_name(user_id: str, viewer: Viewer) -> str:
    """SQL: the name of the user's (whose id is the SQL `user_id`) first company the viewer
    may see (Kinetic shows one)."""
    membership, company = inner(user_id, "membership"), inner(user_id, "company")
    return (
        f"(SELECT {company}.name FROM memberships AS {membership}"
        f" JOIN companies AS {company} ON {company}.id = {membership}.company_id"
        f" WHERE {membership}.user_id = {user_id} AND {company_visible(company, viewer)}"
        f" ORDER BY {membership}.id LIMIT 1)"
    )


def own_companies(company: str, user: str) -> str:
    """SQL: the company row is one the user (an SQL expression: the viewer) is a member of."""
    membership = inner(company, "membership")
    return (
        f"{company}.id IN (SELECT {membership}.company_id FROM memberships AS {membership}"
        f" WHERE {own_membership_sql(membership, user)})"
    )


def my_tags(user_id: str, viewer: Viewer) -> str:
    """SQL: `SELECT DISTINCT ... AS name` of the tags on the issues (not deleted) the user
    (whose id is the SQL `user_id`) takes part in; for a company-limited token, of those
    issues it may see."""
    tag, link, participant, issue = (
        inner(user_id, role) for role in ("tag", "link", "participant", "issue")
    )
    mine = (
        f"SELECT DISTINCT {tag}.name AS name FROM tags AS {tag}"
        f" JOIN issue_tags AS {link} ON {link}.tag_id = {tag}.id"
        f" JOIN issue_participants AS {participant} ON {participant}.issue_id = {link}.issue_id"
        f" JOIN issues AS {issue} ON {issue}.id = {link}.issue_id"
        f" WHERE {participant}.user_id = {user_id} AND {issue}.deleted_at IS NULL"
    )
    if is_limited(viewer):  # a company-limited token's issues: those it may see
        mine += f" AND {issue_visible(issue, viewer)}"
    return mine


def my_tags_json(dialect: Dialect, user_id: str, viewer: Viewer, listed: str) -> str:
    """SQL: the JSON array of `my_tags`' names, in order (`listed` aliases the names)."""
    mine = my_tags(user_id, viewer)
    names = dialect.text(f"{listed}.name")
    return json_array(dialect, names, f"FROM ({mine}) AS {listed}", [Order(f"{listed}.name")])
