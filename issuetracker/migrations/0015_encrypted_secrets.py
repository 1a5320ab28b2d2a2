from tortoise import fields, migrations
from tortoise.migrations import operations as ops

from issuetracker import encryption
from issuetracker.models.encrypted import EncryptedTextField

BATCH = 1000
COLUMNS = [
    ("webhooks", "secret", "webhooks.secret"),
    ("issues", "webhook_secret", "issues.webhook_secret"),
]


class _WidenedOnPostgres(ops.AlterField):
    """The encrypted value is longer than the secret: PostgreSQL's column widens in place.
    SQLite does not hold text to a VARCHAR's length, and remaking its issues table (what
    Tortoise does to alter a column there) would drop the search triggers and, with foreign
    keys on, cascade into the link tables; so SQLite keeps its table."""

    def __init__(self, model_name, name, field, table):
        super().__init__(model_name, name, field)
        self.table = table

    async def database_forward(self, app_label, old_state, new_state, state_editor=None):
        if state_editor is None or state_editor.client.capabilities.dialect != "postgres":
            return
        column = self.field.source_field or self.name
        await state_editor.client.execute_script(
            f'ALTER TABLE "{self.table}" ALTER COLUMN "{column}" TYPE VARCHAR(255)'
        )


async def _encrypt_every_secret(apps, schema_editor):
    """Each plain secret is encrypted under the first of ENCRYPTION_KEYS, in batches by id.
    An already encrypted value is left as it is, so a migration cut short can run again."""
    client = schema_editor.client
    postgres = client.capabilities.dialect == "postgres"
    marks = ("$1", "$2") if postgres else ("?", "?")
    for table, column, purpose in COLUMNS:
        update = f"UPDATE {table} SET {column} = {marks[0]} WHERE id = {marks[1]}"
        last = 0
        while True:
            rows = await client.execute_query_dict(
                f"SELECT id, {column} AS secret FROM {table} WHERE id > {int(last)}"
                f" AND {column} IS NOT NULL ORDER BY id LIMIT {BATCH}"
            )
            if not rows:
                break
            plain = [row for row in rows if not encryption.is_encrypted(row["secret"])]
            if plain:
                keyring = encryption.current()
                await client.execute_many(
                    update, [[keyring.encrypt(row["secret"], purpose), row["id"]] for row in plain]
                )
            last = rows[-1]["id"]


class Migration(migrations.Migration):
    dependencies = [('models', '0014_audit_log')]

    initial = False

    operations = [
        _WidenedOnPostgres(
            model_name='Issue',
            name='webhook_secret',
            field=EncryptedTextField(null=True, purpose='issues.webhook_secret'),
            table='issues',
        ),
        _WidenedOnPostgres(
            model_name='Webhook',
            name='secret',
            field=EncryptedTextField(purpose='webhooks.secret'),
            table='webhooks',
        ),
        ops.AddField(
            model_name='Webhook',
            name='previous_secret',
            field=EncryptedTextField(null=True, purpose='webhooks.previous_secret'),
        ),
        ops.AddField(
            model_name='Webhook',
            name='previous_secret_until',
            field=fields.DatetimeField(null=True, auto_now=False, auto_now_add=False),
        ),
        ops.RunPython(_encrypt_every_secret),
    ]
