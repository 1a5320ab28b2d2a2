from tortoise import migrations
from tortoise.migrations import operations as ops
from tortoise import fields
from tortoise.indexes import Index

class Migration(migrations.Migration):
    dependencies = [('models', '0004_accounts')]

    initial = False

    operations = [
        ops.CreateModel(
            name='ClientBudget',
            fields=[
                ('id', fields.BigIntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('key', fields.CharField(max_length=64)),
                ('window_start', fields.DatetimeField(auto_now=False, auto_now_add=False)),
                ('spent', fields.BigIntField(default=0)),
            ],
            options={'table': 'client_budgets', 'app': 'models', 'unique_together': (('key', 'window_start'),), 'indexes': [Index(fields=['window_start'])], 'pk_attr': 'id'},
            bases=['Model'],
        ),
        ops.CreateModel(
            name='RegisteredDocument',
            fields=[
                ('sha256', fields.CharField(max_length=64, primary_key=True, unique=True, db_index=True)),
                ('document', fields.TextField(unique=False)),
                ('name', fields.CharField(default='', max_length=255)),
                ('registered_at', fields.DatetimeField(auto_now=False, auto_now_add=False)),
            ],
            options={'table': 'registered_documents', 'app': 'models', 'pk_attr': 'sha256'},
            bases=['Model'],
        ),
    ]
