import base64
import secrets

from tortoise import migrations
from tortoise.migrations import operations as ops
from tortoise.fields.base import OnDelete
from tortoise import fields

BATCH = 5000


def _webhook_secret():
    """As the server makes them (`notifications.delivery.new_webhook_secret`), written out here
    so this migration stays what it is when the code moves on."""
    return "whsec_" + base64.b64encode(secrets.token_bytes(32)).decode()


async def _a_secret_for_every_issue(apps, schema_editor):
    """Every earlier issue gets its own secret now, from Python's CSPRNG as new issues do, so
    the secret an owner reads never changes under them and reading an issue never writes. In
    batches by id (the primary key), so a large table is read once."""
    client = schema_editor.client
    postgres = client.capabilities.dialect == "postgres"
    update = "UPDATE issues SET webhook_secret = {} WHERE id = {}".format(
        *(("$1", "$2") if postgres else ("?", "?"))
    )
    last = 0
    while True:
        rows = await client.execute_query_dict(
            f"SELECT id FROM issues WHERE id > {int(last)} AND webhook_secret IS NULL"
            f" ORDER BY id LIMIT {BATCH}"
        )
        if not rows:
            return
        await client.execute_many(update, [[_webhook_secret(), row["id"]] for row in rows])
        last = rows[-1]["id"]


class Migration(migrations.Migration):
    dependencies = [('models', '0005_graphql_clients')]

    initial = False

    operations = [
        ops.AddField(
            model_name='Issue',
            name='webhook_secret',
            field=fields.CharField(null=True, max_length=64),
        ),
        ops.AddField(
            model_name='OutboxMessage',
            name='issue',
            field=fields.ForeignKeyField('models.Issue', source_field='issue_id', null=True, db_constraint=True, to_field='id', related_name='webhook_messages', on_delete=OnDelete.CASCADE),
        ),
        ops.RunPython(_a_secret_for_every_issue),
    ]
