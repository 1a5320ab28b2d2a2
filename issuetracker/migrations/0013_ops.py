from urllib.parse import urlsplit

from tortoise import migrations
from tortoise.migrations import operations as ops
from tortoise import fields

BATCH = 5000


def _host_of(url):
    """As `notifications.outbox` finds it for new messages, written out here so this migration
    stays what it is when the code moves on."""
    try:
        return (urlsplit(url).hostname or "").lower().rstrip(".")[:255]
    except ValueError:
        return ""


async def _the_host_of_every_webhook_message(apps, schema_editor):
    """Earlier webhook messages get their URL's host, in batches by id, so a redelivered one is
    held to its host's share of the dispatcher like a new one."""
    client = schema_editor.client
    postgres = client.capabilities.dialect == "postgres"
    update = "UPDATE outbox_messages SET destination_host = {} WHERE id = {}".format(
        *(("$1", "$2") if postgres else ("?", "?"))
    )
    last = 0
    while True:
        rows = await client.execute_query_dict(
            "SELECT id, destination FROM outbox_messages"
            f" WHERE id > {int(last)} AND kind = 'webhook' ORDER BY id LIMIT {BATCH}"
        )
        if not rows:
            return
        hosts = [[_host_of(row["destination"]), row["id"]] for row in rows]
        await client.execute_many(update, hosts)
        last = rows[-1]["id"]


class Migration(migrations.Migration):
    dependencies = [('models', '0012_company_slugs')]

    initial = False

    operations = [
        ops.AddField(
            model_name='OutboxMessage',
            name='destination_host',
            field=fields.CharField(db_default='', max_length=255),
        ),
        ops.RunPython(_the_host_of_every_webhook_message),
    ]
