"""An issue's relations, and which of their rows a viewer is shown: written once here and read
by the executor's batches, the compiled read path and both REST dialects.

An issue is read only by those who may see it (`issue_visible`); of what belongs to it, the
categories shown are those the viewer may see, and its invitations (they name people by
address) and its webhook URL and secret (the URL may carry a secret) only to those taking part.
The rest (participants, tags, events, action items, facts, uploads, the subscriber count) is
shown to whoever sees the issue.
"""

from collections.abc import Collection
from typing import TypeVar

from ..core.fragments import Relation, inner, link_of
from ..core.involvement import taking_part_in
from ..core.sql import Viewer
from ..core.visibility import category_visible, issue_visible

T = TypeVar("T")


def for_those_taking_part(issue_id: str, viewer: Viewer) -> str:
    """SQL: the viewer takes part in the issue whose id is `issue_id` (none when anonymous)."""
    return "1 = 0" if viewer is None else taking_part_in(issue_id, viewer)


def shown_to_those_taking_part(
    value: T, viewer_id: int | None, participant_ids: Collection[int]
) -> T | None:
    """`for_those_taking_part` in Python, given the issue's participants."""
    return value if viewer_id is not None and viewer_id in participant_ids else None


def webhook_shown(issue: str, viewer: Viewer) -> str:
    """SQL: the issue row's webhook URL and secret are shown to the viewer."""
    return for_those_taking_part(f"{issue}.id", viewer)


def part_shown(part: str, viewer: Viewer, *, taking_part: bool = False) -> str:
    """SQL: the row `part` (an event, action item, fact, upload or invitation) belongs to an
    issue the viewer sees (and, with `taking_part`, takes part in). Looked up alone (a node),
    a part is shown under its relation's rule."""
    if taking_part and viewer is None:
        return "1 = 0"
    issue = inner(part, "issue")
    condition = issue_visible(issue, viewer)
    if taking_part:
        condition += f" AND {for_those_taking_part(f'{issue}.id', viewer)}"
    return f"{part}.issue_id IN (SELECT {issue}.id FROM issues AS {issue} WHERE {condition})"


def invitation_shown(invitation: str, viewer: Viewer) -> str:
    """SQL: the invitation row belongs to an issue the viewer sees and takes part in."""
    return part_shown(invitation, viewer, taking_part=True)


CATEGORIES = Relation(
    "categories",
    "issue_id",
    link=("issue_categories", "category_id"),
    shown=lambda category, issue_id, viewer: category_visible(category, viewer),
)
PARTICIPANTS = Relation(
    "users", "issue_id", link=("issue_participants", "user_id"), order_by_link=True
)
TAGS = Relation("tags", "issue_id", link=("issue_tags", "tag_id"), order="name")
EVENTS = Relation("issue_events", "issue_id")
ACTION_ITEMS = Relation("issue_action_items", "issue_id")
FACTS = Relation("issue_facts", "issue_id")
UPLOADS = Relation("issue_uploads", "issue_id")
INVITATIONS = Relation(
    "issue_invitations",
    "issue_id",
    shown=lambda invitation, issue_id, viewer: for_those_taking_part(issue_id, viewer),
)


def subscriber_count(issue: str) -> str:
    """SQL: how many confirmed e-mail subscriptions the issue row has."""
    subscription = inner(issue, "subscription")
    return (
        f"(SELECT count(*) FROM subscriptions AS {subscription}"
        f" WHERE {subscription}.issue_id = {issue}.id"
        f" AND {subscription}.confirmed_at IS NOT NULL)"
    )


def has_tag(issue: str, name: str) -> str:
    """SQL: the issue row has the tag whose name is the SQL `name`."""
    tag = inner(issue, "tag")
    link = link_of(tag)
    return (
        f"{issue}.id IN (SELECT {link}.issue_id FROM issue_tags AS {link}"
        f" JOIN tags AS {tag} ON {tag}.id = {link}.tag_id WHERE {tag}.name = {name})"
    )


def issues_of_company(issue: str, company_id: str) -> str:
    """SQL: the issue row (not deleted) is in a category of the company whose id is the SQL
    `company_id`. Only for companies the viewer sees: their categories are visible, and so
    their issues."""
    link, category = inner(issue, "link"), inner(issue, "category")
    return (
        f"{issue}.id IN (SELECT {link}.issue_id FROM issue_categories AS {link}"
        f" JOIN categories AS {category} ON {category}.id = {link}.category_id"
        f" WHERE {category}.company_id = {company_id}) AND {issue}.deleted_at IS NULL"
    )


def issues_of_category(issue: str, category_id: str) -> str:
    """SQL: the issue row (not deleted), reached through its issue_categories row (`link_of`),
    is in the category whose id is the SQL `category_id`. Only for categories the viewer sees:
    an issue in a visible category is visible."""
    return f"{link_of(issue)}.category_id = {category_id} AND {issue}.deleted_at IS NULL"
