"""The object types the compiled path covers, field by field, in the schema's terms."""

from ...models import PART_TIMES
from ...resolvers.accounts.token_order import token_order_sql
from ...resolvers.core.involvement import email_shown_sql, takes_part_sql
from ...resolvers.core.visibility import category_visible
from ...resolvers.issues.uploads import DOWNLOAD_PREFIX
from ...resolvers.status.urls import STATUS_PREFIX, status_page_url_sql
from ...sqljson.arrays import Order, json_array
from ...sqljson.dialects import nullable
from .connections import Paging
from .issue_order import issue_key, list_key
from .objects import (
    BOOLEAN,
    DATE,
    DATETIME,
    ENUM,
    INTEGER,
    TEXT,
    UUID,
    FieldSql,
    ObjectType,
    by_parent,
    column,
    connection_of,
    expression,
    node_fields,
    object_json,
    to_many,
    to_one,
)
from .selections import Selection
from .statements import Binding, Builder
from .viewer_flags import CATEGORY_FLAGS, COMPANY_FLAGS, ISSUE_FLAGS

TYPES: dict[str, ObjectType] = {}

PENDING_BY_CLOCK = (
    "which invitations still wait depends on the request's clock (their expiry), which "
    "compiled statements do not bind"
)
EXECUTED: dict[str, str] = {
    "Viewer.companyInvitations": PENDING_BY_CLOCK,
    "Company.invitations": PENDING_BY_CLOCK,
    "Company.auditLog": "read by the executor: its rows are for owners and admins only",
    "Viewer.auditLog": "read by the executor, a page of the viewer's own entries",
    "Issue.webhookSecret": (
        "it is kept encrypted under ENCRYPTION_KEYS, which the database does not hold"
    ),
    "IssueUpload.downloadUrl": (
        "its signature is an HMAC under SECRET_KEY, which the database cannot compute"
    ),
}
"""The fields of the types below that the executor answers (with the root field holding
them), and why. Every other field of these types has its SQL here."""


def _camel(name: str) -> str:
    head, *rest = name.split("_")
    return head + "".join(part.title() for part in rest)


def _only_for_viewer(condition: str, value: str) -> str:
    return nullable(f"CASE WHEN {condition} THEN {value} END")


# --- people ----------------------------------------------------------------------------------


def _email(builder: Builder, selection: Selection, alias: str, binding: Binding) -> str:
    shown = email_shown_sql(alias, builder.viewer())
    return _only_for_viewer(shown, builder.dialect.text(f"{alias}.email"))


USER_FIELDS: dict[str, FieldSql] = {
    **node_fields("User"),
    "guid": column("guid", UUID),
    "name": column("name", TEXT),
    "title": column("title", TEXT, null=True),
    "timeZone": column("time_zone", TEXT),
    "avatarUrl": column("avatar_url", TEXT, null=True),
    "email": _email,
}


def _my_tags(builder: Builder, selection: Selection, alias: str, binding: Binding) -> str:
    """The tags on the issues the viewer takes part in (not deleted), by name."""
    tags = builder.alias("t")
    mine = (
        f"SELECT DISTINCT {tags}.name AS name FROM tags AS {tags}"
        f" JOIN issue_tags AS {tags}l ON {tags}l.tag_id = {tags}.id"
        f" JOIN issue_participants AS {tags}p ON {tags}p.issue_id = {tags}l.issue_id"
        f" JOIN issues AS {tags}i ON {tags}i.id = {tags}l.issue_id"
        f" WHERE {tags}p.user_id = {alias}.id AND {tags}i.deleted_at IS NULL"
    )
    listed = builder.alias("d")
    return json_array(
        builder.dialect,
        builder.dialect.text(f"{listed}.name"),
        f"FROM ({mine}) AS {listed}",
        [Order(f"{listed}.name")],
    )


def _api_tokens(builder: Builder, selection: Selection, alias: str, binding: Binding) -> str:
    """In `orderBy` (its field and direction shape the statement)."""
    given = binding.arguments_of(selection).get("order_by")
    row = builder.alias("m")
    shown = object_json(builder, "ApiToken", selection.children(), row, binding)
    terms = token_order_sql(given.to_order() if given else None, row)
    rows = f"FROM api_tokens AS {row} WHERE {row}.user_id = {alias}.id"
    return json_array(builder.dialect, shown, rows, [Order(sql, desc) for sql, desc in terms])


TYPES["User"] = ObjectType("User", "users", USER_FIELDS)
TYPES["Viewer"] = ObjectType(
    "Viewer",
    "users",
    {
        **USER_FIELDS,
        "phone": column("phone", TEXT, null=True),
        "emailVerifiedAt": column("email_verified_at", DATETIME, null=True),
        "apiTokens": _api_tokens,
        "tags": _my_tags,
        "companies": connection_of(
            "Company",
            "companies",
            lambda builder, row, parent: (
                f"{row}.id IN (SELECT mc.company_id FROM memberships AS mc"
                f" WHERE mc.user_id = {parent}.id)"
            ),
            paging=Paging.QUERY,
            key=list_key(),
            bounded=True,
        ),
    },
)
TYPES["ApiToken"] = ObjectType(
    "ApiToken",
    "api_tokens",
    {
        **node_fields("ApiToken"),
        "name": column("name", TEXT),
        "prefix": column("prefix", TEXT),
        "createdAt": column("created_at", DATETIME),
        "lastUsedAt": column("last_used_at", DATETIME, null=True),
        "expiresAt": column("expires_at", DATETIME, null=True),
        "revokedAt": column("revoked_at", DATETIME, null=True),
    },
)


def _user(key: str) -> FieldSql:
    return to_one("User", "users", key)


# --- companies and categories ----------------------------------------------------------------


def _viewer_role(builder: Builder, selection: Selection, alias: str, binding: Binding) -> str:
    viewer = builder.viewer()
    if viewer is None:
        return "'null'"
    role = (
        f"(SELECT {builder.dialect.enum_name('vr.role')} FROM memberships AS vr"
        f" WHERE vr.company_id = {alias}.id AND vr.user_id = {viewer})"
    )
    return nullable(role)


def _status_page_url(builder: Builder, selection: Selection, alias: str, binding: Binding) -> str:
    base = builder.param(lambda bound: bound.public_url.rstrip("/") + STATUS_PREFIX)
    return nullable(builder.dialect.text(status_page_url_sql(alias, base)))


def _issues_in_company(builder: Builder, row: str, parent: str) -> str:
    """Only for companies the viewer sees: their categories are visible, and so their issues."""
    return (
        f"{row}.id IN (SELECT {row}l.issue_id FROM issue_categories AS {row}l"
        f" JOIN categories AS {row}c ON {row}c.id = {row}l.category_id"
        f" WHERE {row}c.company_id = {parent}.id) AND {row}.deleted_at IS NULL"
    )


TYPES["Company"] = ObjectType(
    "Company",
    "companies",
    {
        **node_fields("Company"),
        "name": column("name", TEXT),
        "logoUrl": column("logo_url", TEXT, null=True),
        "isPublic": column("is_public", BOOLEAN),
        "slug": column("slug", TEXT, null=True),
        "statusPageUrl": _status_page_url,
        "createdAt": column("created_at", DATETIME),
        "updatedAt": column("updated_at", DATETIME),
        "categories": connection_of(
            "Category", "categories", by_parent("company_id"), key=list_key()
        ),
        "issues": connection_of(
            "Issue",
            "issues",
            _issues_in_company,
            newest_first=True,
            paging=Paging.QUERY,
            key=issue_key(),
        ),
        "viewerRole": _viewer_role,
        **COMPANY_FLAGS,
    },
)


def _issues_in_category(builder: Builder, row: str, parent: str) -> str:
    """Only for categories the viewer sees: an issue in a visible category is visible. The
    rows come through the link table (`{row}l`), newest first from its index."""
    return f"{row}l.category_id = {parent}.id AND {row}.deleted_at IS NULL"


TYPES["Category"] = ObjectType(
    "Category",
    "categories",
    {
        **node_fields("Category"),
        "name": column("name", TEXT),
        "createdAt": column("created_at", DATETIME),
        "updatedAt": column("updated_at", DATETIME),
        "company": to_one("Company", "companies", "company_id", null=False),
        "issues": connection_of(
            "Issue",
            "issues",
            _issues_in_category,
            newest_first=True,
            paging=Paging.QUERY,
            link=("issue_categories", "issue_id"),
            key=issue_key(),
        ),
        **CATEGORY_FLAGS,
    },
)


# --- issues ----------------------------------------------------------------------------------


def _visible_categories_of(builder: Builder, row: str, parent: str) -> str:
    """Through the link table (`{row}l`)."""
    return f"{row}l.issue_id = {parent}.id AND {category_visible(row, builder.viewer())}"


def _invitations_of(builder: Builder, row: str, parent: str) -> str:
    """Invitations name people by address: only those taking part see them."""
    viewer = builder.viewer()
    if viewer is None:
        return "1 = 0"
    return f"{row}.issue_id = {parent}.id AND {takes_part_sql(parent, viewer)}"


def _for_those_taking_part(column: str) -> FieldSql:
    """The webhook URL (it may carry a secret) and the webhook secret: shown to those taking
    part only."""

    def sql(builder: Builder, selection: Selection, alias: str, binding: Binding) -> str:
        viewer = builder.viewer()
        if viewer is None:
            return "'null'"
        shown = builder.dialect.text(f"{alias}.{column}")
        return _only_for_viewer(takes_part_sql(alias, viewer), shown)

    return sql


def _participants(builder: Builder, row: str, parent: str) -> tuple[str, list[Order]]:
    link = builder.alias("p")
    rows = (
        f"FROM issue_participants AS {link} JOIN users AS {row} ON {row}.id = {link}.user_id"
        f" WHERE {link}.issue_id = {parent}.id"
    )
    return rows, [Order(f"{link}.id")]


def _tags(builder: Builder, selection: Selection, alias: str, binding: Binding) -> str:
    tag = builder.alias("t")
    rows = (
        f"FROM issue_tags AS {tag}l JOIN tags AS {tag} ON {tag}.id = {tag}l.tag_id"
        f" WHERE {tag}l.issue_id = {alias}.id"
    )
    return json_array(
        builder.dialect, builder.dialect.text(f"{tag}.name"), rows, [Order(f"{tag}.name")]
    )


def _subscriber_count(alias: str) -> str:
    return (
        f"(SELECT count(*) FROM subscriptions AS sc"
        f" WHERE sc.issue_id = {alias}.id AND sc.confirmed_at IS NOT NULL)"
    )


def _part_time(part: str) -> FieldSql:
    """When the part last changed; its creation until then."""
    return expression(lambda alias: f"coalesce({alias}.{part}, {alias}.created_at)", DATETIME)


TYPES["Issue"] = ObjectType(
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
        "owner": _user("owner_id"),
        "webhookUrl": _for_those_taking_part("webhook_url"),
        "participants": to_many("User", _participants),
        "tags": _tags,
        "subscriberCount": expression(_subscriber_count, INTEGER),
        "categories": connection_of(
            "Category",
            "categories",
            _visible_categories_of,
            link=("issue_categories", "category_id"),
        ),
        "events": connection_of(
            "IssueEvent", "issue_events", by_parent("issue_id"), key=list_key()
        ),
        "invitations": connection_of("Invitation", "issue_invitations", _invitations_of),
        "actionItems": connection_of("ActionItem", "issue_action_items", by_parent("issue_id")),
        "facts": connection_of("Fact", "issue_facts", by_parent("issue_id")),
        "uploads": connection_of("IssueUpload", "issue_uploads", by_parent("issue_id")),
        **ISSUE_FLAGS,
    },
)
TYPES["IssueEvent"] = ObjectType(
    "IssueEvent",
    "issue_events",
    {
        **node_fields("IssueEvent"),
        "kind": column("kind", ENUM),
        "description": column("description", TEXT),
        "createdAt": column("created_at", DATETIME),
        "author": _user("author_id"),
    },
)
TYPES["Invitation"] = ObjectType(
    "Invitation",
    "issue_invitations",
    {
        **node_fields("Invitation"),
        "email": column("email", TEXT),
        "acceptedAt": column("accepted_at", DATETIME, null=True),
        "createdAt": column("created_at", DATETIME),
        "invitedBy": _user("invited_by_id"),
        "acceptedBy": _user("accepted_by_id"),
    },
)
TYPES["ActionItem"] = ObjectType(
    "ActionItem",
    "issue_action_items",
    {
        **node_fields("ActionItem"),
        "description": column("description", TEXT),
        "done": column("done", BOOLEAN),
        "dueOn": column("due_on", DATE, null=True),
        "createdAt": column("created_at", DATETIME),
        "updatedAt": column("updated_at", DATETIME),
        "assignee": _user("assignee_id"),
        "createdBy": _user("created_by_id"),
    },
)
TYPES["Fact"] = ObjectType(
    "Fact",
    "issue_facts",
    {
        **node_fields("Fact"),
        "description": column("description", TEXT),
        "createdAt": column("created_at", DATETIME),
        "updatedAt": column("updated_at", DATETIME),
        "author": _user("author_id"),
    },
)


def _download_url(builder: Builder, selection: Selection, alias: str, binding: Binding) -> str:
    base = builder.param(lambda bound: bound.public_url.rstrip("/") + DOWNLOAD_PREFIX)
    guid = f"({alias}.guid)::text" if builder.dialect.is_postgres else f"lower({alias}.guid)"
    return builder.dialect.text(f"{base} || {guid}")


TYPES["IssueUpload"] = ObjectType(
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
        "uploadedBy": _user("uploaded_by_id"),
    },
)
