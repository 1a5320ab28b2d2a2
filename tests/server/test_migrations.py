"""The committed migrations build the schema the models describe, and keep every row."""

import base64
from collections.abc import AsyncIterator
from pathlib import Path

import pytest
from tortoise import Tortoise
from tortoise.context import tortoise_test_context
from tortoise.migrations.api import migrate
from tortoise.migrations.autodetector import MigrationAutodetector
from tortoise.transactions import in_transaction

from issuetracker import db
from issuetracker.models import (
    AuditEntry,
    Category,
    Company,
    Issue,
    IssueCategory,
    IssueEvent,
    IssueParticipant,
    IssueTag,
    Membership,
    OutboxMessage,
    Subscription,
    User,
    Webhook,
)
from issuetracker.resolvers.audit.reads import KEY_NAME as KEY
from issuetracker.resolvers.audit.reads import newest_first
from issuetracker.resolvers.core.pagination import PageArgs, keyed_window
from issuetracker.resolvers.core.sql import InputValues, table, where
from issuetracker.resolvers.issues.inputs import IssueFilter
from issuetracker.resolvers.issues.ordering import IssueOrder, IssueOrderField, sort_key
from issuetracker.resolvers.issues.search import search_conditions

from ..databases import TEST_DATABASE_URL, empty_database_url

FIRST_MIGRATION = "models.0001_initial"
KEPT_MODELS = [
    User,
    Company,
    Membership,
    Category,
    Issue,
    IssueCategory,
    IssueParticipant,
    IssueTag,
    IssueEvent,
    Webhook,
    Subscription,
]


@pytest.fixture
async def empty_database(tmp_path: Path) -> AsyncIterator[str]:
    async with empty_database_url(tmp_path, "migrations") as url:
        yield url


# The givens are written in SQL against the first migration's tables, as the code of that
# time wrote them: today's models have columns those tables lack.
ROWS_AT_FIRST_MIGRATION = [
    "INSERT INTO users (id, guid, email, name, created_at, updated_at) VALUES"
    " (1, '00000000-0000-4000-8000-000000000001', 'olive@example.com', 'Olive', {now}, {now}),"
    " (2, '00000000-0000-4000-8000-000000000002', 'pat@example.com', 'Pat', {now}, {now})",
    "INSERT INTO companies (id, name, created_at, updated_at) VALUES (1, 'Acme', {now}, {now})",
    "INSERT INTO memberships (user_id, company_id, role, created_at) VALUES (1, 1, 'owner', {now})",
    "INSERT INTO categories (id, company_id, name, created_at, updated_at) VALUES"
    " (1, 1, 'Network', {now}, {now}), (2, 1, 'Printers', {now}, {now})",
    "INSERT INTO issues (id, guid, name, description, owner_id, created_at, updated_at) VALUES"
    " (1, '00000000-0000-4000-8000-0000000000a1', 'Printer fire', 'It started.', 1, {now},"
    " {now})",
    "INSERT INTO issue_categories (issue_id, category_id) VALUES (1, 1), (1, 2)",
    "INSERT INTO issue_participants (issue_id, user_id, created_at) VALUES"
    " (1, 1, {now}), (1, 2, {now})",
    "INSERT INTO tags (id, name, created_at) VALUES (1, 'outage', {now}), (2, 'floor-2', {now})",
    "INSERT INTO issue_tags (issue_id, tag_id) VALUES (1, 1), (1, 2)",
    "INSERT INTO issue_events (issue_id, kind, description, author_id, created_at, updated_at)"
    " VALUES (1, 'created', 'It started.', 1, {now}, {now})",
    "INSERT INTO webhooks (user_id, url, secret, created_at, updated_at) VALUES"
    " (1, 'https://hooks.example.com/a', 'whsec_x', {now}, {now})",
    "INSERT INTO subscriptions (email, issue_id, confirmed_at, created_at) VALUES"
    " ('reader@example.com', 1, {now}, {now})",
    "INSERT INTO subscriptions (email, category_id, created_at) VALUES"
    " ('reader@example.com', 1, {now})",
]


async def _load_data_with_links() -> None:
    connection = Tortoise.get_connection("default")
    now = "CURRENT_TIMESTAMP"
    for statement in ROWS_AT_FIRST_MIGRATION:
        await connection.execute_script(statement.format(now=now))


async def _row_counts() -> dict[str, int]:
    return {model.__name__: await model.all().count() for model in KEPT_MODELS}


async def test_migrating_to_the_latest_keeps_every_row_and_link(empty_database: str) -> None:
    # given a database at the first migration, holding data with many-to-many links
    await migrate(config=db.tortoise_config(empty_database), target=FIRST_MIGRATION)
    await Tortoise.close_connections()
    await db.open_database(empty_database)
    try:
        await _load_data_with_links()
        before = await _row_counts()
    finally:
        await db.close_database()

    # when every later migration is applied
    await db.apply_migrations(empty_database)

    # then nothing was lost
    await db.open_database(empty_database)
    try:
        assert await _row_counts() == before
        assert before["IssueCategory"] == 2
        assert before["IssueTag"] == 2
        assert before["IssueParticipant"] == 2
        assert before["Subscription"] == 2
        [issue] = await Issue.all()
        assert issue.hash_key is not None
        assert len(issue.hash_key) == 40
        # and the earlier company got a slug made from its name, for its status page
        [company] = await Company.all()
        assert (company.slug, company.status_version) == ("acme", 0)
        # and the earlier issue got a webhook secret of its own, to sign its deliveries with
        assert issue.webhook_secret is not None
        assert issue.webhook_secret.startswith("whsec_")
        assert len(base64.b64decode(issue.webhook_secret.removeprefix("whsec_"))) == 32
        # and the secrets are kept encrypted now, opening to what they were
        [webhook] = await Webhook.all()
        assert webhook.secret == "whsec_x"
        connection = Tortoise.get_connection("default")
        stored = await connection.execute_query_dict(
            "SELECT secret AS s FROM webhooks UNION ALL SELECT webhook_secret FROM issues"
        )
        assert [row["s"].startswith("gcm1.") for row in stored] == [True, True]
        assert "whsec_" not in repr(stored)
    finally:
        await db.close_database()


async def test_the_committed_migrations_match_the_models() -> None:
    async with tortoise_test_context(db.MODEL_MODULES) as context:
        assert context.apps is not None
        apps_config = db.tortoise_config("sqlite://:memory:")["apps"]
        changes = await MigrationAutodetector(context.apps, apps_config).changes()

    assert changes == [], "models changed: run `tortoise makemigrations` and commit the result"


@pytest.mark.skipif(
    not TEST_DATABASE_URL.startswith("postgres"), reason="the search index is PostgreSQL's"
)
async def test_a_word_search_is_answered_by_the_migrated_trigram_index(
    empty_database: str,
) -> None:
    # given a migrated PostgreSQL database with 20,000 issues, three of them about a printer
    await db.apply_migrations(empty_database)
    await db.open_database(empty_database)
    try:
        connection = Tortoise.get_connection("default")
        await connection.execute_script(SEARCHABLE_ISSUES)
        # as autovacuum would: the index's pending list merged, the statistics current
        await connection.execute_script("VACUUM ANALYZE issues")
        # when the search's conditions on the issue row are explained
        wanted = IssueFilter(search='printer "on fire"')
        values = InputValues(wanted)
        conditions = search_conditions(
            table(Issue), values, wanted.parsed_search, None, lambda given: given.parsed_search
        )
        search = where(Issue.all(), values.fragment(" AND ".join(conditions)))
        query = search.values_list("id", flat=True)
        query.sql()
        sql, parameters = query.query.get_parameterized_sql()
        async with in_transaction("default") as connection:
            _, plan = await connection.execute_query(f"EXPLAIN {sql}", parameters)
    finally:
        await db.close_database()

    # then the trigram index the migration created answers it, with no sequential scan
    explained = " ".join(str(row[0]) for row in plan)
    assert "issues_search_text_idx" in explained
    assert "Seq Scan" not in explained


SEARCHABLE_ISSUES = """
INSERT INTO issues (guid, name, search_text, created_at, updated_at)
SELECT gen_random_uuid(), 'Issue ' || n,
       ' issue ' || n || ' | | ' || md5(n::text) || ' words of ' || (n % 97) || ' '
         || CASE WHEN n % 7000 = 0 THEN 'printer on fire ' ELSE '' END,
       now(), now()
FROM generate_series(1, 20000) AS n
"""


ORDER_FIELDS = ["CREATED_AT", "UPDATED_AT", "NAME", "SEVERITY"]


@pytest.mark.skipif(
    not TEST_DATABASE_URL.startswith("postgres"), reason="the order indexes are PostgreSQL's"
)
async def test_each_issue_order_is_read_from_a_migrated_index(empty_database: str) -> None:
    # given a migrated PostgreSQL database
    await db.apply_migrations(empty_database)
    await db.open_database(empty_database)
    try:
        # when the planner may neither scan nor sort, and explains the first page of each order
        plans = {field: await _plan_of_first_page(field) for field in ORDER_FIELDS}
    finally:
        await db.close_database()

    # then an index the migration created gives each order's rows, with no sort
    for field, plan in plans.items():
        assert f"issues_{field.split('_')[0].lower()}_order_idx" in plan, plan
        assert "Sort" not in plan, plan


async def _plan_of_first_page(field: str) -> str:
    values = InputValues(IssueFilter())
    key = sort_key(IssueOrder(IssueOrderField[field]), table(Issue), values)
    window = keyed_window(Issue.all(), PageArgs(first=10), key, values)
    window.sql()  # builds the query
    sql, parameters = window.query.get_parameterized_sql()
    async with in_transaction("default") as connection:
        await connection.execute_script("SET LOCAL enable_seqscan = off")
        await connection.execute_script("SET LOCAL enable_sort = off")
        _, plan = await connection.execute_query(f"EXPLAIN {sql}", parameters)
    return " ".join(str(row[0]) for row in plan)


@pytest.mark.skipif(
    not TEST_DATABASE_URL.startswith("postgres"), reason="the audit log's indexes are PostgreSQL's"
)
async def test_a_page_of_an_audit_log_is_read_from_a_migrated_index(empty_database: str) -> None:
    # given a migrated PostgreSQL database
    await db.apply_migrations(empty_database)
    await db.open_database(empty_database)
    try:
        # when the planner may neither scan nor sort, and explains a page of each log
        plans = [await _plan_of_audit_page(where) for where in ({"company_id": 1}, {"user_id": 1})]
    finally:
        await db.close_database()

    # then an index on (company or user, created_at, id) gives the rows, with no sort
    for column, plan in zip(["company_id", "user_id"], plans, strict=True):
        assert f"audit_log_{column.split('_')[0]}_" in plan, plan
        assert "Sort" not in plan, plan


async def _plan_of_audit_page(where: dict[str, int]) -> str:
    values: InputValues[None] = InputValues(None)
    page = PageArgs(first=10, after_id=5, after_key="2026-01-01T00:00:00.000000", key_name=KEY)
    window = keyed_window(AuditEntry.filter(**where), page, newest_first(values), values)
    window.sql()
    sql, parameters = window.query.get_parameterized_sql()
    async with in_transaction("default") as connection:
        await connection.execute_script("SET LOCAL enable_seqscan = off")
        await connection.execute_script("SET LOCAL enable_sort = off")
        _, plan = await connection.execute_query(f"EXPLAIN {sql}", parameters)
    return " ".join(str(row[0]) for row in plan)


OUTBOX_ROWS_BEFORE_HOSTS = (
    "INSERT INTO outbox_messages (kind, destination, event_type, payload, idempotency_key,"
    " next_attempt_at, created_at) VALUES"
    " ('webhook', 'https://Hooks.Example.COM./a/b?c=d', 'issue_updated', '{}', 'msg_1',"
    " CURRENT_TIMESTAMP, CURRENT_TIMESTAMP),"
    " ('webhook', 'http://[2001:db8::1]:8080/x', 'issue_updated', '{}', 'msg_2',"
    " CURRENT_TIMESTAMP, CURRENT_TIMESTAMP),"
    " ('email', 'reader@example.com', 'issue_updated', '{}', 'msg_3',"
    " CURRENT_TIMESTAMP, CURRENT_TIMESTAMP)"
)


async def test_earlier_webhook_messages_get_their_host(empty_database: str) -> None:
    # given messages in the outbox before the dispatcher counted deliveries by host
    await migrate(config=db.tortoise_config(empty_database), target="models.0010_outbox_request_id")
    await Tortoise.close_connections()
    await db.open_database(empty_database)
    try:
        connection = Tortoise.get_connection("default")
        await connection.execute_script(OUTBOX_ROWS_BEFORE_HOSTS)
    finally:
        await db.close_database()

    # when the later migrations are applied
    await db.apply_migrations(empty_database)

    # then each webhook message has its URL's host, and e-mail none
    await db.open_database(empty_database)
    try:
        hosts = await OutboxMessage.all().order_by("id").values_list("destination_host", flat=True)
        assert hosts == ["hooks.example.com", "2001:db8::1", ""]
    finally:
        await db.close_database()
