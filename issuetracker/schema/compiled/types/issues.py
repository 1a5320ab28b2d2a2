"""The issue types: an issue and its parts (events, invitations, action items, facts,
uploads). Which related rows a viewer is shown is the relations' own rule
(`resolvers/issues/relations.py`); here are only the GraphQL names and columns."""

from ....models import PART_TIMES
from ....resolvers.issues import relations
from ....resolvers.issues.uploads import DOWNLOAD_PREFIX
from ....sqljson.arrays import Order, json_array
from ..fields import (
    BOOLEAN,
    DATE,
    DATETIME,
    ENUM,
    INTEGER,
    TEXT,
    UUID,
    FieldSql,
    ObjectType,
    column,
    define,
    expression,
    node_fields,
    only_for_viewer,
)
from ..issue_order import list_key
from ..selections import Selection
from ..statements import Binding, Builder
from ..viewer_flags import ISSUE_FLAGS
from .related import relation_connection, to_many, user


def _camel(name: str) -> str:
    head, *rest = name.split("_")
    return head + "".join(part.title() for part in rest)


def _webhook_url(builder: Builder, selection: Selection, alias: str, binding: Binding) -> str:
    viewer = builder.viewer()
    if viewer is None:
        return "'null'"
    shown = builder.dialect.text(f"{alias}.webhook_url")
    return only_for_viewer(relations.webhook_shown(alias, viewer), shown)


def _tags(builder: Builder, selection: Selection, alias: str, binding: Binding) -> str:
    tag = builder.alias("t")
    rows, order = relations.TAGS.rows(tag, f"{alias}.id", None)
    return json_array(builder.dialect, builder.dialect.text(f"{tag}.name"), rows, [Order(order)])


def _part_time(part: str) -> FieldSql:
    """When the part last changed; its creation until then."""
    return expression(lambda alias: f"coalesce({alias}.{part}, {alias}.created_at)", DATETIME)


define(
    ObjectType(
        "Issue",
        "issues",
        {
            **node_fields("Issue"),
            "guid": column("guid", UUID),
            "name": column("name", TEXT),
            "description": column("description", TEXT),
            "severity": column("severity", ENUM),
            "status": column("status", ENUM),
            "conclusion": column("conclusion", TEXT, null=True),
            "externalReferenceId": column("external_reference_id", TEXT, null=True),
            "hashKey": column("hash_key", TEXT, null=True),
            "conferenceNumber": column("conference_number", TEXT, null=True),
            "closedAt": column("closed_at", DATETIME, null=True),
            "deletedAt": column("deleted_at", DATETIME, null=True),
            "createdAt": column("created_at", DATETIME),
            "updatedAt": column("updated_at", DATETIME),
            **{_camel(part): _part_time(part) for part in PART_TIMES},
            "owner": user("owner_id"),
            "webhookUrl": _webhook_url,
            "participants": to_many("User", relations.PARTICIPANTS),
            "tags": _tags,
            "subscriberCount": expression(relations.subscriber_count, INTEGER),
            "categories": relation_connection("Category", relations.CATEGORIES),
            "events": relation_connection("IssueEvent", relations.EVENTS, key=list_key()),
            "invitations": relation_connection("Invitation", relations.INVITATIONS),
            "actionItems": relation_connection("ActionItem", relations.ACTION_ITEMS),
            "facts": relation_connection("Fact", relations.FACTS),
            "uploads": relation_connection("IssueUpload", relations.UPLOADS),
            **ISSUE_FLAGS,
        },
    )
)
define(
    ObjectType(
        "IssueEvent",
        "issue_events",
        {
            **node_fields("IssueEvent"),
            "kind": column("kind", ENUM),
            "description": column("description", TEXT),
            "createdAt": column("created_at", DATETIME),
            "author": user("author_id"),
        },
    )
)
define(
    ObjectType(
        "Invitation",
        "issue_invitations",
        {
            **node_fields("Invitation"),
            "email": column("email", TEXT),
            "acceptedAt": column("accepted_at", DATETIME, null=True),
            "createdAt": column("created_at", DATETIME),
            "invitedBy": user("invited_by_id"),
            "acceptedBy": user("accepted_by_id"),
        },
    )
)
define(
    ObjectType(
        "ActionItem",
        "issue_action_items",
        {
            **node_fields("ActionItem"),
            "description": column("description", TEXT),
            "done": column("done", BOOLEAN),
            "dueOn": column("due_on", DATE, null=True),
            "createdAt": column("created_at", DATETIME),
            "updatedAt": column("updated_at", DATETIME),
            "assignee": user("assignee_id"),
            "createdBy": user("created_by_id"),
        },
    )
)
define(
    ObjectType(
        "Fact",
        "issue_facts",
        {
            **node_fields("Fact"),
            "description": column("description", TEXT),
            "createdAt": column("created_at", DATETIME),
            "updatedAt": column("updated_at", DATETIME),
            "author": user("author_id"),
        },
    )
)


def _download_url(builder: Builder, selection: Selection, alias: str, binding: Binding) -> str:
    base = builder.param(lambda bound: bound.public_url.rstrip("/") + DOWNLOAD_PREFIX)
    return builder.dialect.text(f"{base} || {builder.dialect.uuid_text(f'{alias}.guid')}")


define(
    ObjectType(
        "IssueUpload",
        "issue_uploads",
        {
            **node_fields("IssueUpload"),
            "guid": column("guid", UUID),
            "fileName": column("file_name", TEXT),
            "contentType": column("content_type", TEXT),
            "size": column("size", INTEGER),
            "createdAt": column("created_at", DATETIME),
            "url": _download_url,
            "uploadedBy": user("uploaded_by_id"),
        },
    )
)
