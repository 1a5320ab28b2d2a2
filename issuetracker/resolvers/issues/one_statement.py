"""A change to an issue and everything it causes, as one PostgreSQL statement: the live
change and the outbox rows for followers, their webhooks and the issue's own webhook
(`notify.issue_changed`'s rules, written in SQL), so a write costs one round trip and needs
no transaction of its own (one statement is atomic). The status pages' stamps and the NOTIFY
follow the commit (`after_commit`), or, for writes sent in batches (`sqljson.batched`), close
the batch's transaction (`batch_closing`).

The caller's CTEs come first: `ok`, the issue as the change leaves it (at most one row,
columns as `issues`'), `cats`, the ids of its categories after the change (`category_id`; the
statement's own writes are not seen by the others), and `e`, the timeline event it wrote (id,
kind, description), which may be empty. The differential tests hold these rows equal to those
the ORM's path writes."""

from dataclasses import dataclass

from ..live.changes import CHANNEL

HOST = (
    "lower(rtrim(regexp_replace(coalesce(substring({url} from"
    " '^[A-Za-z][A-Za-z0-9+.-]*://(?:[^@/?#]*@)?(\\[[^]/?#]*\\]|[^:/?#]*)'), ''),"
    " '^\\[(.*)\\]$', '\\1'), '.'))"
)
"""SQL: a URL's host as `webhook_targets.host_of` reads it (the URLs were checked when set)."""


def iso(column: str) -> str:
    """SQL: a timestamp as Python's `isoformat()` writes an aware UTC datetime."""
    utc = f"({column} AT TIME ZONE 'UTC')"
    fraction = (
        f"CASE WHEN date_part('microseconds', {utc})::bigint % 1000000 = 0 THEN ''"
        f" ELSE to_char({utc}, '.US') END"
    )
    return (
        f"CASE WHEN {column} IS NOT NULL THEN"
        f" to_char({utc}, 'YYYY-MM-DD\"T\"HH24:MI:SS') || {fraction} || '+00:00' END"
    )


SNAPSHOT = (
    "jsonb_build_object('id', ok.id, 'guid', ok.guid::text, 'name', ok.name,"
    " 'description', ok.description, 'severity', ok.severity, 'status', ok.status,"
    f" 'conclusion', ok.conclusion, 'closed_at', {iso('ok.closed_at')},"
    f" 'created_at', {iso('ok.created_at')})"
)
"""SQL: `notify.issue_snapshot` of `ok`."""

COMPANIES = (
    "(SELECT array_agg(DISTINCT sc.company_id) FROM categories AS sc"
    " WHERE sc.id IN (SELECT category_id FROM cats))"
)
"""SQL: the companies whose status pages show the issue, for the final SELECT."""

_BATCH_COMPANIES = (
    "coalesce(nullif(current_setting('issuetracker.batch_companies', true), ''), '{}')::int[]"
)
_BATCH_NOW = "nullif(current_setting('issuetracker.batch_now', true), '')::timestamptz"


def batch_closing(now: str, last: str) -> tuple[str, str]:
    """SQL for a write sent by `sqljson.batched.write_row`: a CTE (with a leading comma) and
    the final SELECT's columns that give the status pages' stamps and the NOTIFY of
    `after_commit`, once for the whole batch, by its last statement (`last`, the parameter
    `write_row` adds). Each earlier statement that wrote leaves its companies and its time in
    the transaction's own settings; the last bumps them all in company order, as
    `after_commit` does, so two batches never lock companies in opposite orders, and the
    companies stay locked only from the last statement to the commit. (Settings, not the
    answers: a batch is sent whole before any answer comes back.)"""
    wrote = "EXISTS (SELECT 1 FROM ok)"
    companies = f"{_BATCH_COMPANIES} || coalesce({COMPANIES}, '{{}}')"
    latest = f"greatest({_BATCH_NOW}, CASE WHEN {wrote} THEN {now} END)"
    cte = (
        ", stamps AS (UPDATE companies SET status_version = status_version + 1,"
        f" status_changed_at = {latest} WHERE {last} AND id IN (SELECT id FROM companies"
        f" WHERE id = ANY({companies}) ORDER BY id FOR UPDATE))"
    )
    columns = (
        f"CASE WHEN {last} THEN CASE WHEN {_BATCH_NOW} IS NOT NULL OR {wrote}"
        f" THEN pg_notify('{CHANNEL}', '')::text END"
        f" ELSE set_config('issuetracker.batch_companies', ({companies})::text, true)"
        f" || set_config('issuetracker.batch_now', coalesce({latest}::text, ''), true) END"
    )
    return cte, columns


KEY = "'msg_' || replace(gen_random_uuid()::text, '-', '')"

OUTBOX_COLUMNS = (
    "kind, destination, destination_host, event_type, payload, idempotency_key, webhook_id,"
    " issue_id, next_attempt_at, request_id, created_at"
)


@dataclass(frozen=True)
class Params:
    """The numbers of the parameters the consequences read."""

    now: int
    """The request's time (stamps, live change, outbox's due time)."""
    written_at: int
    """The wall clock (the rows' `created_at`, as the ORM's auto_now fields would)."""
    request_id: int
    timestamp: int
    """`now` as Python's isoformat, for webhook bodies."""


def consequences(event_type: str, live_kind: str, *, of_issue: bool, params: Params) -> str:
    """The CTEs after `ok`, `cats` and `e` (without a trailing comma). The caller calls
    `after_commit.settle` once the statement returns, with the issue's companies (`COMPANIES`),
    or closes its batch with `batch_closing`."""
    now, at, rid = f"${params.now}", f"${params.written_at}", f"${params.request_id}"
    following = "s.category_id IN (SELECT category_id FROM cats)"
    if of_issue:
        following = f"({following} OR s.issue_id = ok.id)"
    data = (
        f"jsonb_build_object('issue', {SNAPSHOT}) || coalesce((SELECT jsonb_build_object('event',"
        " jsonb_build_object('id', e.id, 'kind', e.kind, 'description', e.description))"
        " FROM e), '{}'::jsonb)"
    )
    body = (
        f"jsonb_build_object('type', '{event_type}', 'timestamp', ${params.timestamp}::text,"
        " 'data', d.data)"
    )
    return (
        " l AS (INSERT INTO live_changes (issue_id, kind, event_id, created_at)"
        f" SELECT ok.id, '{live_kind}', (SELECT id FROM e), {now} FROM ok),"
        " f AS (SELECT DISTINCT ON (s.email) s.id, s.email, s.issue_id, c.name AS category_name"
        " FROM ok, subscriptions AS s LEFT JOIN categories AS c ON c.id = s.category_id"
        f" WHERE s.confirmed_at IS NOT NULL AND {following}"
        " ORDER BY s.email, s.issue_id IS NULL, s.id),"
        # The payload, only when someone is to receive it: most changes have no follower.
        f" d AS (SELECT {data} AS data, ok.webhook_url, ok.id FROM ok"
        " WHERE ok.webhook_url IS NOT NULL OR EXISTS (SELECT 1 FROM f)),"
        f" m AS (INSERT INTO outbox_messages ({OUTBOX_COLUMNS})"
        f" SELECT 'email', f.email, '', '{event_type}', d.data || jsonb_build_object("
        f"'subscription_id', f.id, 'category_name', f.category_name), {KEY}, NULL, NULL,"
        f" {now}, {rid}, {at} FROM f, d ORDER BY f.issue_id IS NULL, f.id),"
        f" w AS (INSERT INTO outbox_messages ({OUTBOX_COLUMNS})"
        f" SELECT 'webhook', wh.url, {HOST.format(url='wh.url')}, '{event_type}', {body},"
        f" {KEY}, wh.id, NULL, {now}, {rid}, {at}"
        " FROM d, webhooks AS wh JOIN users AS wu ON wu.id = wh.user_id"
        " WHERE wh.active AND wu.email IN (SELECT email FROM f) ORDER BY wh.id),"
        f" iw AS (INSERT INTO outbox_messages ({OUTBOX_COLUMNS})"
        f" SELECT 'webhook', d.webhook_url, {HOST.format(url='d.webhook_url')}, '{event_type}',"
        f" {body}, {KEY}, NULL, d.id, {now}, {rid}, {at} FROM d WHERE d.webhook_url IS NOT NULL)"
    )
