from tortoise import migrations
from tortoise.migrations import operations as ops
from tortoise import fields


class Migration(migrations.Migration):
    dependencies = [('models', '0017_connection_orders')]

    initial = False

    operations = [
        ops.AddField(
            model_name='ApiToken',
            name='read_only',
            field=fields.BooleanField(db_default=False),
        ),
        ops.AddField(
            model_name='ApiToken',
            name='company_ids',
            field=fields.JSONField(null=True),
        ),
    ]
