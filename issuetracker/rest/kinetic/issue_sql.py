"""Kinetic issue objects built by the database, in one statement for any number of issues: the
same keys, values and rules as `formats.issue_json`, which stays the reference (and answers when
the database cannot: an owner's time zone PostgreSQL does not know)."""

import logging
import re
from collections.abc import Callable
from datetime import UTC, datetime

from ... import encryption
from ...models import PART_TIMES
from ...resolvers.accounts.rails_zones import rails_name_sql
from ...resolvers.accounts.relations import email_shown, first_visible_company_name
from ...resolvers.core.actor import Actor
from ...resolvers.core.fragments import Relation
from ...resolvers.core.sql import viewer_sql
from ...resolvers.issues import relations
from ...resolvers.issues.uploads import DOWNLOAD_PREFIX
from ...sqljson import sqlite_functions
from ...sqljson.arrays import Order, json_array
from ...sqljson.dialects import Dialect, json_object, literal, nullable
from ...sqljson.statements import current_dialect, fetch_text
from ...sqljson.text import dumps
from .formats import timestamp, zone_named

log = logging.getLogger("issuetracker.kinetic")
SEALED = re.compile('"\x01([^"\\\\]*)"')
"""A JSON string the statement marked (the database escapes a raw \\x01 in any text it
quotes, so only `_Sql.sealed` makes one)."""


def open_sealed(built: str, purpose: str) -> str:
    """The statement's JSON with each marked value decrypted, as the Python render has it."""
    keyring = encryption.current()

    def opened(found: re.Match[str]) -> str:
        stored = found[1]  # a value from before 0015, or loaded by hand, is shown as it is
        plain = keyring.decrypt(stored, purpose) if encryption.is_encrypted(stored) else stored
        return dumps(plain)

    return SEALED.sub(opened, built)


def _kinetic_time(stored: str | None, zone: str | None) -> str | None:
    if stored is None:
        return None
    moment = datetime.fromisoformat(stored).astimezone(UTC)
    return timestamp(moment, zone_named(zone))


sqlite_functions.register("it_kinetic_time", 2, _kinetic_time)


class _Sql:
    """The pieces of one statement: the dialect, the viewer's parameter, the owner's zone."""

    def __init__(self, dialect: Dialect, limit: frozenset[int] | None = None) -> None:
        self.dialect = dialect
        self.viewer = viewer_sql(dialect.int_param(2), limit)
        self.zone = "coalesce(o.time_zone, 'UTC')"

    def time(self, expression: str) -> str:
        """Rails' time in the owner's zone: milliseconds, and `Z` for a zero offset."""
        return nullable(self.dialect.rails_time(expression, self.zone))

    def text(self, expression: str, *, null: bool = True) -> str:
        shown = self.dialect.text(expression)
        return nullable(shown) if null else shown

    def sealed(self, expression: str) -> str:
        """An encrypted column, marked for `open_sealed` to decrypt: the database cannot."""
        return nullable(f"('\"' || {self.dialect.char(1)} || {expression} || '\"')")

    def integer(self, expression: str) -> str:
        return nullable(self.dialect.integer(expression))

    def user(self, user: str) -> str:
        return json_object(
            [
                ("id", self.integer(f"{user}.id")),
                ("email", self._email(user)),
                ("name", self.text(f"{user}.name")),
                ("created_at", self.time(f"{user}.created_at")),
                ("updated_at", self.time(f"{user}.updated_at")),
                (
                    "status",
                    f"CASE WHEN {user}.status = 'disabled' THEN '\"Disabled\"'"
                    " ELSE '\"Active\"' END",
                ),
                ("deleted_at", "'null'"),
                ("guid", self.dialect.uuid(f"{user}.guid")),
                ("time_zone", self.text(rails_name_sql(f"{user}.time_zone"))),
                ("company", self.text(first_visible_company_name(f"{user}.id", self.viewer))),
                ("phone", self.text(f"{user}.phone")),
                ("title", self.text(f"{user}.title")),
                *(
                    (name, "'null'")
                    for name in (
                        "avatar_file_name",
                        "avatar_content_type",
                        "avatar_file_size",
                        "avatar_updated_at",
                    )
                ),
                ("avatar_url", self.text(f"{user}.avatar_url")),
            ]
        )

    def _email(self, user: str) -> str:
        shown = email_shown(user, self.viewer, alongside_issue="i")
        return nullable(f"CASE WHEN {shown} THEN {self.dialect.text(f'{user}.email')} END")

    def issue(self) -> str:
        """The issue row `i`, its owner `o`."""
        d = self.dialect
        status = (
            "CASE WHEN i.deleted_at IS NOT NULL THEN '\"Deleted\"'"
            " WHEN i.status = 'closed' THEN '\"Closed\"' ELSE '\"Open\"' END"
        )
        webhook_shown = relations.webhook_shown("i", self.viewer)
        webhook_url = (
            f"CASE WHEN i.webhook_url IS NOT NULL AND {webhook_shown}"
            f" THEN {d.text('i.webhook_url')} ELSE '\"\"' END"
        )
        webhook_secret = (
            f"CASE WHEN {webhook_shown} THEN {self.sealed('i.webhook_secret')} ELSE 'null' END"
        )
        return json_object(
            [
                ("id", self.integer("i.id")),
                ("name", self.text("i.name")),
                (
                    "description",
                    f"CASE WHEN i.description = '' THEN 'null' ELSE {d.text('i.description')} END",
                ),
                ("created_at", self.time("i.created_at")),
                ("updated_at", self.time("i.updated_at")),
                ("conference_number", self.text("i.conference_number")),
                ("hash_key", self.text("i.hash_key")),
                ("owner_id", self.integer("i.owner_id")),
                ("deleted_at", self.time("i.deleted_at")),
                ("status", status),
                ("external_reference_id", self.text("i.external_reference_id")),
                *((part, self.time(f"coalesce(i.{part}, i.created_at)")) for part in PART_TIMES),
                ("guid", d.uuid("i.guid")),
                ("conclusion", self.text("i.conclusion")),
                ("webhook_url", webhook_url),
                ("webhook_secret", webhook_secret),
                ("participants", self._of_issue(relations.PARTICIPANTS, "pu", self.user)),
                ("invitations", self._of_issue(relations.INVITATIONS, "v", self._invitation)),
                ("tag_list", self._of_issue(relations.TAGS, "t", self._tag)),
                ("action_items", self._of_issue(relations.ACTION_ITEMS, "p", self._action_item)),
                ("facts", self._of_issue(relations.FACTS, "p", self._fact)),
                ("uploads", self._of_issue(relations.UPLOADS, "p", self._upload)),
                ("owner", f"CASE WHEN o.id IS NULL THEN 'null' ELSE {self.user('o')} END"),
            ]
        )

    def _of_issue(self, relation: Relation, row: str, item: Callable[[str], str]) -> str:
        """The issue `i`'s rows of the relation that the viewer is shown."""
        rows, order = relation.rows(row, "i.id", self.viewer)
        return json_array(self.dialect, item(row), rows, [Order(order)])

    def _invitation(self, row: str) -> str:
        return json_object(
            [
                ("id", self.integer(f"{row}.id")),
                ("email", self.text(f"{row}.email")),
                ("invited_by_id", self.integer(f"{row}.invited_by_id")),
                ("accepted_at", self.time(f"{row}.accepted_at")),
                ("created_at", self.time(f"{row}.created_at")),
                ("updated_at", self.time(f"{row}.updated_at")),
            ]
        )

    def _tag(self, row: str) -> str:
        return self.text(f"{row}.name", null=False)

    def _action_item(self, row: str) -> str:
        return json_object(
            [
                ("id", self.integer(f"{row}.id")),
                ("issue_id", self.integer(f"{row}.issue_id")),
                ("description", self.text(f"{row}.description")),
                ("done", self.dialect.boolean(f"{row}.done")),
                ("assignee_id", self.integer(f"{row}.assignee_id")),
                ("due_date", nullable(self.dialect.date(f"{row}.due_on"))),
                ("created_at", self.time(f"{row}.created_at")),
                ("updated_at", self.time(f"{row}.updated_at")),
            ]
        )

    def _fact(self, row: str) -> str:
        return json_object(
            [
                ("id", self.integer(f"{row}.id")),
                ("issue_id", self.integer(f"{row}.issue_id")),
                ("description", self.text(f"{row}.description")),
                ("user_id", self.integer(f"{row}.author_id")),
                ("created_at", self.time(f"{row}.created_at")),
                ("updated_at", self.time(f"{row}.updated_at")),
            ]
        )

    def _upload(self, row: str) -> str:
        guid = self.dialect.uuid_text(f"{row}.guid")
        return json_object(
            [
                ("id", self.integer(f"{row}.id")),
                ("issue_id", self.integer(f"{row}.issue_id")),
                ("user_id", self.integer(f"{row}.uploaded_by_id")),
                ("file_file_name", self.text(f"{row}.file_name")),
                ("file_content_type", self.text(f"{row}.content_type")),
                ("file_file_size", self.integer(f"{row}.size")),
                ("file_updated_at", self.time(f"{row}.created_at")),
                ("created_at", self.time(f"{row}.created_at")),
                ("updated_at", self.time(f"{row}.updated_at")),
                ("url", self.text(f"{literal(DOWNLOAD_PREFIX)} || {guid}")),
            ]
        )


STATEMENTS_KEPT = 256
"""Statements kept, one for each shape and company-limited token's set of companies: however
many narrowed tokens there are, the process keeps no more."""
_statements: dict[tuple[str, frozenset[int] | None], str] = {}


def issues_statement(dialect: Dialect, limit: frozenset[int] | None = None) -> str:
    """Parameters: the issue ids in their order, and the viewer's id (a company-limited
    token's companies are literals: a statement for each limit)."""
    key = (dialect.name, limit)
    if key not in _statements:
        rows, issue_id, position = dialect.id_list_rows(1)
        source = (
            f"FROM {rows} JOIN issues AS i ON i.id = {issue_id}"
            " LEFT JOIN users AS o ON o.id = i.owner_id"
        )
        array = json_array(dialect, _Sql(dialect, limit).issue(), source, [Order(position)])
        if len(_statements) >= STATEMENTS_KEPT:
            del _statements[next(iter(_statements))]  # the oldest: a company limit seldom used
        _statements[key] = f"SELECT {array}"
    return _statements[key]


async def issues_text(actor: Actor, issue_ids: list[int]) -> str | None:
    """The JSON array of the issue objects, in the order of `issue_ids`; None when the
    database could not build it."""
    dialect = current_dialect()
    try:
        built = await fetch_text(
            issues_statement(dialect, actor.companies),
            [dialect.int_list(issue_ids), actor.user_id],
        )
        return open_sealed(built, "issues.webhook_secret") if built is not None else None
    except Exception:  # e.g. a time zone only Python knows: the Python render answers
        log.warning("the database could not build Kinetic issues", exc_info=True)
        return None
