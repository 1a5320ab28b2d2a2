"""Changing an issue by one PostgreSQL statement: the checks (the issue visible, open and the
actor's to manage; new categories visible and of the actor's companies; a new owner visible and
active), the changed fields, the category and tag links, the new owner's participation, the
timeline entries (the new description; the closing note when it closes), the search text, and
everything `notify.issue_changed` writes (see `one_statement`); closing it too when asked (a
whole-issue PUT's status). The status stamps of the companies of categories it leaves follow
the commit with the others' (`after_commit`).

The search text is spliced: the parts that change (name, tags, description) are normalised in
Python (`search_words`), the others are kept from the stored text, whose form is
` name | tag | ... | description `.

A deletion, a company-limited token, invalid input and SQLite are the ORM's path's; so is any
refusal: the statement then writes nothing, and the ORM's path says why."""

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, cast

from tortoise import timezone

from ...logs import current_request_id
from ...models import EventKind, Issue, IssueStatus, UserStatus
from ...sqljson.statements import current_dialect, fetch_row
from ..core.ids import is_row_id
from ..core.permissions import may_change_issue_sql
from ..core.scope import Scope
from ..core.validation import LONG_TEXT_LENGTH, Collector, column_limit
from ..core.visibility import category_visible, user_visible
from ..webhooks.webhooks import check_public_url
from .after_commit import settle
from .closing import _columns
from .inputs import IssueChanges, clean_issue_fields, clean_tags
from .one_statement import COMPANIES, Params, consequences
from .search_words import words

_PARAMS = Params(now=3, written_at=4, request_id=5, timestamp=6)
WEBHOOK_URL_LENGTH = column_limit(Issue, "webhook_url")
SET_FIELDS = ("name", "severity", "description", "external_reference_id", "webhook_url")
NAME_PART = "substring(t.search_text from '^ ([^|]*) \\| ')"
TAGS_PART = "coalesce(substring(t.search_text from '^ [^|]* \\| (.* \\| )[^|]* $'), '')"
DESCRIPTION_PART = "substring(t.search_text from ' \\| ([^|]*) $')"
WELL_FORMED = "t.search_text ~ '^ [^|]* \\| (.* \\| )?[^|]* $'"


async def clean_webhook_url(
    scope: Scope, check: Collector, values: dict[str, Any], url: str | None
) -> None:
    """A blank URL removes it; any other must reach a public address."""
    if url is None:
        return
    cleaned = check.text("webhook_url", url, max_length=WEBHOOK_URL_LENGTH, required=False)
    if cleaned:
        await check_public_url(scope, check, "webhook_url", cleaned)
    values["webhook_url"] = cleaned or None


@dataclass
class _Change:
    """The statement's parameters, numbered as they are added (1 to 6 are fixed)."""

    values: list[Any]
    sets: list[str] = field(default_factory=list)
    shape: list[str] = field(default_factory=list)

    def param(self, value: Any, name: str) -> str:
        self.values.append(value)
        self.shape.append(name)
        return f"${len(self.values)}"


async def update_in_one_statement(
    scope: Scope, issue_id: int, changes: IssueChanges, *, seen: datetime | None = None
) -> Issue | None:
    """The issue changed, or None when the ORM's path must change it (nothing written). With
    `seen`, only while the issue's `updated_at` is still that (the caller compared against it)."""
    user_id = scope.actor.user_id
    unrestricted = scope.actor.companies is None
    if not (current_dialect().is_postgres and unrestricted and user_id is not None):
        return None
    if changes.deleting or not is_row_id(issue_id):
        return None
    if not all(is_row_id(number) for number in changes.category_ids or []):
        return None
    if changes.owner_id is not None and not is_row_id(changes.owner_id):
        return None
    check = Collector()
    values = clean_issue_fields(check, changes, creating=False)
    tags = clean_tags(check, changes.tags)
    conclusion = check.text(
        "conclusion", changes.conclusion, max_length=LONG_TEXT_LENGTH, required=False
    )
    await clean_webhook_url(scope, check, values, changes.webhook_url)
    if check.errors:
        return None
    now, written_at = scope.now, timezone.now()
    fixed = [issue_id, user_id, now, written_at, current_request_id.get(), now.isoformat()]
    change = _Change(list(fixed))
    sql = _statement(change, values, tags, changes, conclusion or "", seen)
    row = await fetch_row(sql, change.values)
    if row is None:
        return None
    companies = {*cast(list[int], row[0] or []), *cast(list[int], row[1] or [])}
    await settle(now, sorted(companies))
    return Issue._init_from_db(**dict(zip(_columns(), row[2:], strict=True)))


def _statement(
    change: _Change,
    values: dict[str, Any],
    tags: list[str] | None,
    changes: IssueChanges,
    conclusion: str,
    seen: datetime | None,
) -> str:
    checks: list[str] = []
    ctes: list[str] = []
    for name in SET_FIELDS:
        if name in values:
            value = values[name]
            value = getattr(value, "value", value)
            change.sets.append(f"{name} = {change.param(value, name)}")
    if seen is not None:
        checks.append(f"i.updated_at = {change.param(seen, 'seen')}")
    if "name" in values or "description" in values or tags is not None:
        checks.append(WELL_FORMED.replace("t.", "i."))
        change.sets.append(f"search_text = {_search_text(change, values, tags)}")
    events = []
    if "description" in values:
        events.append((EventKind.UPDATED, change.param(values["description"], "description")))
        change.sets.append("messages_updated_at = $3")
    if changes.closing:
        status = IssueStatus.CLOSED.value
        change.sets += [f"status = '{status}'", "closed_at = $3"]
        change.sets.append(f"conclusion = {change.param(conclusion or None, 'conclusion')}")
        if conclusion:
            events.append((EventKind.CLOSED, change.param(conclusion, "closing note")))
            if "description" not in values:
                change.sets.append("messages_updated_at = $3")
    categories = "SELECT category_id FROM issue_categories WHERE issue_id IN (SELECT id FROM t)"
    removed = "NULL::int[]"
    if changes.category_ids is not None:
        wanted = change.param(sorted(set(changes.category_ids)), "categories")
        checks.append(_categories_allowed(wanted))
        ctes += _category_links(wanted)
        change.sets.append(
            "categories_updated_at = CASE WHEN EXISTS (SELECT 1 FROM cd) OR EXISTS (SELECT 1"
            " FROM ci) THEN $3 ELSE u.categories_updated_at END"
        )
        categories = f"SELECT c_id AS category_id FROM unnest({wanted}::int[]) AS c_id"
        removed = (
            "(SELECT array_agg(DISTINCT rc.company_id) FROM categories AS rc"
            " WHERE rc.id IN (SELECT category_id FROM cd))"
        )
    if changes.owner_id is not None:
        ctes += _new_owner(change, change.param(changes.owner_id, "owner"), checks)
    if tags is not None:
        ctes += _tag_links(change.param(tags, "tags"))
    ctes += _events(events)
    change.sets.append("updated_at = $4")
    notified = EventKind.CLOSED if changes.closing else EventKind.UPDATED
    target = (
        "SELECT i.* FROM issues AS i WHERE i.id = $1"
        f" AND i.status = '{IssueStatus.OPEN.value}' AND {may_change_issue_sql('i', '$2')}"
        + "".join(f" AND {condition}" for condition in checks)
        + " FOR UPDATE OF i"
    )
    shown = ", ".join(f"ok.{column}" for column in _columns())
    event_type, live = (
        ("issue_closed", "closed") if changes.closing else ("issue_updated", "updated")
    )
    return (
        f"WITH t AS ({target}),"
        + "".join(f" {cte}," for cte in ctes)
        + f" e AS (SELECT id, kind, description FROM ev WHERE kind = '{notified.value}'),"
        f" ok AS (UPDATE issues AS u SET {', '.join(change.sets)}"
        " FROM t WHERE u.id = t.id RETURNING u.*),"
        f" cats AS ({categories}),"
        + consequences(event_type, live, of_issue=True, params=_PARAMS)
        + f" SELECT {COMPANIES}, {removed}, {shown} FROM ok"
    )


def _search_text(change: _Change, values: dict[str, Any], tags: list[str] | None) -> str:
    def part(text: str) -> str:
        return " ".join(words(text))

    name = NAME_PART
    if "name" in values:
        name = change.param(part(values["name"]), "name words") + "::text"
    middle = TAGS_PART
    if tags is not None:
        joined = "".join(f"{part(tag)} | " for tag in sorted(tags))
        middle = change.param(joined, "tag words") + "::text"
    description = DESCRIPTION_PART
    if "description" in values:
        description = change.param(part(values["description"]), "description words") + "::text"
    return f"' ' || {name} || ' | ' || {middle} || {description} || ' '"


def _categories_allowed(wanted: str) -> str:
    """Every wanted category visible, and of a company the actor is a member of."""
    found = (
        f"SELECT ca.id, ca.company_id FROM categories AS ca WHERE ca.id = ANY({wanted}::int[])"
        f" AND {category_visible('ca', '$2')}"
    )
    return (
        f"(SELECT count(*) FROM ({found}) AS fc) = cardinality({wanted}::int[])"
        f" AND NOT EXISTS (SELECT 1 FROM ({found}) AS fc WHERE NOT EXISTS (SELECT 1"
        " FROM memberships AS cm WHERE cm.company_id = fc.company_id AND cm.user_id = $2))"
    )


def _category_links(wanted: str) -> list[str]:
    return [
        f"cd AS (DELETE FROM issue_categories AS d WHERE d.issue_id IN (SELECT id FROM t)"
        f" AND d.category_id <> ALL({wanted}::int[]) RETURNING d.category_id)",
        "ci AS (INSERT INTO issue_categories (issue_id, category_id)"
        f" SELECT t.id, c_id FROM t, unnest({wanted}::int[]) AS c_id WHERE NOT EXISTS"
        " (SELECT 1 FROM issue_categories AS x WHERE x.issue_id = t.id AND x.category_id = c_id)"
        " ORDER BY c_id RETURNING id)",
    ]


def _new_owner(change: _Change, owner: str, checks: list[str]) -> list[str]:
    """A new owner (one other than the current) must be an active user the actor sees, and
    takes part from then on."""
    active = UserStatus.ACTIVE.value
    checks.append(
        f"(i.owner_id = {owner} OR EXISTS (SELECT 1 FROM users AS ou WHERE ou.id = {owner}"
        f" AND ou.status = '{active}' AND {user_visible('ou', '$2')}))"
    )
    change.sets += [
        f"owner_id = {owner}",
        f"involvements_updated_at = CASE WHEN t.owner_id <> {owner} THEN $3"
        " ELSE u.involvements_updated_at END",
    ]
    return [
        "op AS (INSERT INTO issue_participants (issue_id, user_id, created_at)"
        f" SELECT t.id, {owner}, $4 FROM t WHERE t.owner_id <> {owner}"
        " ON CONFLICT (issue_id, user_id) DO NOTHING)"
    ]


def _tag_links(tags: str) -> list[str]:
    """The tags, made where new (an upsert, so a tag made meanwhile is found), then linked
    exactly."""
    return [
        f"tg AS (INSERT INTO tags (name, created_at) SELECT n, $4 FROM unnest({tags}::text[]) AS n"
        " WHERE EXISTS (SELECT 1 FROM t) ORDER BY n"
        " ON CONFLICT (name) DO UPDATE SET name = EXCLUDED.name RETURNING id)",
        "td AS (DELETE FROM issue_tags AS d WHERE d.issue_id IN (SELECT id FROM t)"
        " AND d.tag_id NOT IN (SELECT id FROM tg))",
        "ti AS (INSERT INTO issue_tags (issue_id, tag_id) SELECT t.id, tg.id FROM t, tg"
        " WHERE NOT EXISTS (SELECT 1 FROM issue_tags AS x WHERE x.issue_id = t.id"
        " AND x.tag_id = tg.id) ORDER BY tg.id)",
    ]


def _events(events: list[tuple[EventKind, str]]) -> list[str]:
    """The timeline entries, numbered in their order: the description's, then the closing
    note."""
    if not events:
        return [
            "ev AS (SELECT NULL::int AS id, NULL::text AS kind, NULL::text AS description"
            " WHERE false)"
        ]
    rows = ", ".join(
        f"({n}, '{kind.value}', {value}::text)" for n, (kind, value) in enumerate(events)
    )
    return [
        "ev AS (INSERT INTO issue_events (issue_id, kind, description, author_id, created_at,"
        " updated_at) SELECT t.id, v.kind, v.description, $2, $4, $4"
        f" FROM t, (VALUES {rows}) AS v(n, kind, description) ORDER BY v.n"
        " RETURNING id, kind, description)"
    ]
