from tortoise import migrations
from tortoise.migrations import operations as ops
import functools
from issuetracker.models.notifications import MessageKind, MessageStatus
from json import dumps, loads
from tortoise.fields.base import OnDelete
from tortoise import fields
from tortoise.indexes import Index

class Migration(migrations.Migration):
    dependencies = [('models', '0001_initial')]

    initial = False

    operations = [
        ops.CreateModel(
            name='OutboxMessage',
            fields=[
                ('id', fields.IntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('kind', fields.CharEnumField(description='EMAIL: email\nWEBHOOK: webhook', enum_type=MessageKind, max_length=16)),
                ('destination', fields.CharField(max_length=2048)),
                ('event_type', fields.CharField(max_length=64)),
                ('payload', fields.JSONField(encoder=functools.partial(dumps, separators=(',', ':')), decoder=loads)),
                ('idempotency_key', fields.CharField(unique=True, max_length=64)),
                ('webhook', fields.ForeignKeyField('models.Webhook', source_field='webhook_id', null=True, db_constraint=True, to_field='id', related_name='deliveries', on_delete=OnDelete.CASCADE)),
                ('status', fields.CharEnumField(description='PENDING: pending\nDELIVERED: delivered\nDEAD: dead', db_default='pending', enum_type=MessageStatus, max_length=16)),
                ('attempts', fields.IntField(db_default=0)),
                ('next_attempt_at', fields.DatetimeField(auto_now=False, auto_now_add=False)),
                ('lease_owner', fields.TextField(null=True, unique=False)),
                ('lease_until', fields.DatetimeField(null=True, auto_now=False, auto_now_add=False)),
                ('last_error', fields.TextField(null=True, unique=False)),
                ('delivered_at', fields.DatetimeField(null=True, auto_now=False, auto_now_add=False)),
                ('created_at', fields.DatetimeField(auto_now=False, auto_now_add=True)),
            ],
            options={'table': 'outbox_messages', 'app': 'models', 'indexes': [Index(fields=['status', 'next_attempt_at']), Index(fields=['webhook_id', 'id'])], 'pk_attr': 'id'},
            bases=['Model'],
        ),
        ops.CreateModel(
            name='DeliveryAttempt',
            fields=[
                ('id', fields.IntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('message', fields.ForeignKeyField('models.OutboxMessage', source_field='message_id', db_constraint=True, to_field='id', related_name='delivery_attempts', on_delete=OnDelete.CASCADE)),
                ('attempted_at', fields.DatetimeField(auto_now=False, auto_now_add=False)),
                ('succeeded', fields.BooleanField()),
                ('response_status', fields.IntField(null=True)),
                ('latency_ms', fields.IntField()),
                ('error', fields.TextField(null=True, unique=False)),
            ],
            options={'table': 'delivery_attempts', 'app': 'models', 'indexes': [Index(fields=['message_id', 'id'])], 'pk_attr': 'id'},
            bases=['Model'],
        ),
    ]
