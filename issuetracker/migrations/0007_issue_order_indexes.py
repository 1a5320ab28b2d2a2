from tortoise import migrations
from tortoise.migrations import operations as ops

# The sort keys resolvers/issues/ordering.py writes, then the id: each order of an issue list
# reads its first rows from an index (PostgreSQL only; tests/server/test_migrations.py
# checks the expressions still match the code's).
ORDER_INDEXES = [
    "CREATE INDEX IF NOT EXISTS issues_created_order_idx ON issues (created_at, id)",
    "CREATE INDEX IF NOT EXISTS issues_updated_order_idx ON issues (updated_at, id)",
    "CREATE INDEX IF NOT EXISTS issues_name_order_idx ON issues (lower(name), id)",
    "CREATE INDEX IF NOT EXISTS issues_severity_order_idx ON issues ((CASE severity"
    " WHEN 'info' THEN 0 WHEN 'important' THEN 1 WHEN 'critical' THEN 2 END), id)",
]


async def _order_indexes(apps, schema_editor):
    client = schema_editor.client
    if client.capabilities.dialect == "postgres":
        for statement in ORDER_INDEXES:
            await client.execute_script(statement)


class Migration(migrations.Migration):
    dependencies = [('models', '0006_issue_webhook_secret')]

    initial = False

    operations = [
        ops.RunPython(_order_indexes),
    ]
