"""The people types: a user, the viewer (a user as they see themself), an API token."""

from ....resolvers.accounts.relations import email_shown, my_tags_json, own_companies
from ....resolvers.accounts.token_order import token_order_sql
from ....sqljson.arrays import Order, json_array
from ..connections import Paging
from ..fields import (
    BOOLEAN,
    DATETIME,
    TEXT,
    UUID,
    FieldSql,
    ObjectType,
    column,
    define,
    node_fields,
    object_json,
    only_for_viewer,
)
from ..issue_order import list_key
from ..selections import Selection
from ..statements import Binding, Builder
from .related import connection_of


def _email(builder: Builder, selection: Selection, alias: str, binding: Binding) -> str:
    shown = email_shown(alias, builder.viewer())
    return only_for_viewer(shown, builder.dialect.text(f"{alias}.email"))


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
    """Only a company-limited token's viewer changes which (so only then is the viewer bound
    to the statement)."""
    viewer = builder.viewer() if builder.limited else None
    return my_tags_json(builder.dialect, f"{alias}.id", viewer, builder.alias("d"))


def _api_tokens(builder: Builder, selection: Selection, alias: str, binding: Binding) -> str:
    """In `orderBy` (its field and direction shape the statement)."""
    given = binding.arguments_of(selection).get("order_by")
    row = builder.alias("m")
    shown = object_json(builder, "ApiToken", selection.children(), row, binding)
    terms = token_order_sql(given.to_order() if given else None, row)
    rows = f"FROM api_tokens AS {row} WHERE {row}.user_id = {alias}.id"
    return json_array(builder.dialect, shown, rows, [Order(sql, desc) for sql, desc in terms])


define(ObjectType("User", "users", USER_FIELDS))
define(
    ObjectType(
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
                lambda builder, row, parent: own_companies(row, builder.viewer() or f"{parent}.id"),
                paging=Paging.QUERY,
                key=list_key(),
                bounded=True,
            ),
        },
    )
)
define(
    ObjectType(
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
            "readOnly": column("read_only", BOOLEAN),
        },
    )
)
