from tortoise import migrations
from tortoise.migrations import operations as ops
from tortoise.fields.base import OnDelete
from tortoise import fields
from tortoise.indexes import Index
from issuetracker.models.live import ChangeKind


class Migration(migrations.Migration):
    dependencies = [('models', '0008_issue_search')]

    initial = False

    operations = [
        ops.CreateModel(
            name='LiveChange',
            fields=[
                ('id', fields.BigIntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('issue', fields.ForeignKeyField('models.Issue', source_field='issue_id', db_constraint=True, to_field='id', related_name='live_changes', on_delete=OnDelete.CASCADE)),
                ('event_id', fields.IntField(null=True)),
                ('kind', fields.CharEnumField(description='CREATED: created\nUPDATED: updated\nCLOSED: closed\nDELETED: deleted', enum_type=ChangeKind, max_length=16)),
                ('created_at', fields.DatetimeField(auto_now=False, auto_now_add=False)),
            ],
            options={'table': 'live_changes', 'app': 'models', 'indexes': [Index(fields=['created_at'])], 'pk_attr': 'id'},
            bases=['Model'],
        ),
    ]
