from tortoise import migrations
from tortoise.migrations import operations as ops

# The sort keys resolvers/core/orders.py and resolvers/accounts/token_order.py write, then the
# id, after the column a nested list is read by: each order of each list reads its first rows
# from an index (PostgreSQL only; tests/server/test_list_order_indexes.py checks the
# expressions still match the code's).
ORDER_INDEXES = [
    "CREATE INDEX IF NOT EXISTS companies_name_order_idx ON companies (lower(name), id)",
    "CREATE INDEX IF NOT EXISTS companies_created_order_idx ON companies (created_at, id)",
    "CREATE INDEX IF NOT EXISTS categories_name_order_idx"
    " ON categories (company_id, lower(name), id)",
    "CREATE INDEX IF NOT EXISTS categories_created_order_idx"
    " ON categories (company_id, created_at, id)",
    "CREATE INDEX IF NOT EXISTS issue_events_created_order_idx"
    " ON issue_events (issue_id, created_at, id)",
    "CREATE INDEX IF NOT EXISTS webhooks_created_order_idx ON webhooks (user_id, created_at, id)",
    "CREATE INDEX IF NOT EXISTS outbox_messages_created_order_idx"
    " ON outbox_messages (webhook_id, created_at, id)",
    "CREATE INDEX IF NOT EXISTS api_tokens_created_order_idx"
    " ON api_tokens (user_id, created_at, id)",
    "CREATE INDEX IF NOT EXISTS api_tokens_used_order_idx ON api_tokens (user_id,"
    " (CASE WHEN last_used_at IS NULL THEN 1 ELSE 0 END), last_used_at, id)",
]


async def _order_indexes(apps, schema_editor):
    client = schema_editor.client
    if client.capabilities.dialect == "postgres":
        for statement in ORDER_INDEXES:
            await client.execute_script(statement)


class Migration(migrations.Migration):
    dependencies = [("models", "0015_encrypted_secrets")]

    initial = False

    operations = [
        ops.RunPython(_order_indexes),
    ]
