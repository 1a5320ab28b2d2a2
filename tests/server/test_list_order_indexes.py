"""Each order of each list other than issues reads its first rows from an index the migration
0017_connection_orders created, without sorting (PostgreSQL only), as the issues' orders do."""

from collections.abc import AsyncIterator, Callable
from pathlib import Path
from typing import Any

import pytest
from tortoise.queryset import QuerySet
from tortoise.transactions import in_transaction

from issuetracker import db
from issuetracker.models import Category, Company, IssueEvent, OutboxMessage, Webhook
from issuetracker.resolvers.accounts.token_order import TokenOrder, TokenOrderField
from issuetracker.resolvers.accounts.tokens import tokens_in_order
from issuetracker.resolvers.core.actor import ANONYMOUS
from issuetracker.resolvers.core.child_pages import Children, Parameters, page_sql
from issuetracker.resolvers.core.orders import ListOrder, ListOrderField, list_sort_key
from issuetracker.resolvers.core.pagination import PageArgs, keyed_window
from issuetracker.resolvers.core.sql import InputValues, table
from issuetracker.resolvers.core.visibility import visible_companies
from issuetracker.sqljson.dialects import POSTGRES

from ..databases import TEST_DATABASE_URL, empty_database_url

pytestmark = pytest.mark.skipif(
    not TEST_DATABASE_URL.startswith("postgres"), reason="the order indexes are PostgreSQL's"
)

Statement = tuple[str, list[object]]
NAME, CREATED = ListOrderField.NAME, ListOrderField.CREATED_AT
FIRST_PAGE = PageArgs(first=10)


@pytest.fixture
async def empty_database(tmp_path: Path) -> AsyncIterator[str]:
    async with empty_database_url(tmp_path, "list_orders") as url:
        yield url


def _window(
    queryset_of: Callable[[], QuerySet[Any]], field: ListOrderField, desc: bool
) -> Statement:
    queryset = queryset_of()
    values: InputValues[None] = InputValues(None)
    key = list_sort_key(ListOrder(field, desc), table(queryset.model), POSTGRES)
    window = keyed_window(queryset, FIRST_PAGE, key, values)
    window.sql()  # builds the query
    return window.query.get_parameterized_sql()


def _child_page(children: Children, field: ListOrderField, desc: bool) -> Statement:
    parameters = Parameters(POSTGRES)
    key = list_sort_key(ListOrder(field, desc), "r", POSTGRES)
    return page_sql(children, parameters, 1, FIRST_PAGE, key), parameters.values


def _tokens(field: TokenOrderField, desc: bool) -> Statement:
    tokens = tokens_in_order(1, TokenOrder(field, desc))
    tokens.sql()
    return tokens.query.get_parameterized_sql()


CASES: dict[str, tuple[str, Callable[[], Statement]]] = {
    f"{name} {'DESC' if desc else 'ASC'}": (index, statement)
    for desc in (False, True)
    for name, index, statement in [
        (
            "companies by name",
            "companies_name_order_idx",
            lambda desc=desc: _window(lambda: visible_companies(ANONYMOUS), NAME, desc),
        ),
        (
            "companies by creation",
            "companies_created_order_idx",
            lambda desc=desc: _window(lambda: Company.all(), CREATED, desc),
        ),
        (
            "a company's categories by name",
            "categories_name_order_idx",
            lambda desc=desc: _child_page(Children(Category, "company_id"), NAME, desc),
        ),
        (
            "a company's categories by creation",
            "categories_created_order_idx",
            lambda desc=desc: _child_page(Children(Category, "company_id"), CREATED, desc),
        ),
        (
            "an issue's timeline by creation",
            "issue_events_created_order_idx",
            lambda desc=desc: _child_page(Children(IssueEvent, "issue_id"), CREATED, desc),
        ),
        (
            "webhooks by creation",
            "webhooks_created_order_idx",
            lambda desc=desc: _window(lambda: Webhook.filter(user_id=1), CREATED, desc),
        ),
        (
            "a webhook's deliveries by creation",
            "outbox_messages_created_order_idx",
            lambda desc=desc: _window(lambda: OutboxMessage.filter(webhook_id=1), CREATED, desc),
        ),
        (
            "tokens by creation",
            "api_tokens_created_order_idx",
            lambda desc=desc: _tokens(TokenOrderField.CREATED_AT, desc),
        ),
        (
            "tokens by use",
            "api_tokens_used_order_idx",
            lambda desc=desc: _tokens(TokenOrderField.LAST_USED_AT, desc),
        ),
    ]
}


async def test_each_list_order_is_read_from_a_migrated_index(empty_database: str) -> None:
    # given a migrated PostgreSQL database
    await db.apply_migrations(empty_database)
    await db.open_database(empty_database)
    try:
        # when the planner may neither scan nor sort, and explains the first page of each order
        plans = {
            case: (index, await _plan(statement())) for case, (index, statement) in CASES.items()
        }
    finally:
        await db.close_database()

    # then the index the migration created gives each order's rows, with no sort
    for case, (index, plan) in plans.items():
        assert index in plan, (case, plan)
        assert "Sort" not in plan, (case, plan)


async def _plan(statement: Statement) -> str:
    sql, parameters = statement
    async with in_transaction("default") as connection:
        await connection.execute_script("SET LOCAL enable_seqscan = off")
        await connection.execute_script("SET LOCAL enable_sort = off")
        _, plan = await connection.execute_query(f"EXPLAIN {sql}", parameters)
    return " ".join(str(row[0]) for row in plan)
