import functools
from json import dumps, loads

from tortoise import fields, migrations
from tortoise.indexes import Index
from tortoise.migrations import operations as ops

from issuetracker.models.audit import AuditAction


class Migration(migrations.Migration):
    dependencies = [('models', '0013_ops')]

    initial = False

    operations = [
        ops.CreateModel(
            name='AuditEntry',
            fields=[
                ('id', fields.IntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('action', fields.CharEnumField(description='COMPANY_CREATED: company_created\nCOMPANY_RENAMED: company_renamed\nCOMPANY_VISIBILITY_CHANGED: company_visibility_changed\nCOMPANY_SLUG_CHANGED: company_slug_changed\nCOMPANY_DELETED: company_deleted\nMEMBER_INVITED: member_invited\nMEMBER_JOINED: member_joined\nMEMBER_REMOVED: member_removed\nMEMBER_ROLE_CHANGED: member_role_changed\nCATEGORY_DELETED: category_deleted\nISSUE_DELETED: issue_deleted\nWEBHOOK_CREATED: webhook_created\nWEBHOOK_DELETED: webhook_deleted\nWEBHOOK_SECRET_ROTATED: webhook_secret_rotated\nAPI_TOKEN_CREATED: api_token_created\nAPI_TOKEN_REVOKED: api_token_revoked\nSIGN_IN_FROM_NEW_ADDRESS: sign_in_from_new_address\nSIGN_IN_LOCKED: sign_in_locked', enum_type=AuditAction, max_length=32)),
                ('actor_id', fields.IntField(null=True)),
                ('company_id', fields.IntField(null=True)),
                ('user_id', fields.IntField(null=True)),
                ('subject_type', fields.CharField(max_length=32)),
                ('subject_id', fields.IntField()),
                ('client_address', fields.CharField(db_default='', max_length=64)),
                ('changes', fields.JSONField(encoder=functools.partial(dumps, separators=(',', ':')), decoder=loads)),
                ('created_at', fields.DatetimeField(auto_now=False, auto_now_add=False)),
            ],
            options={'table': 'audit_log', 'app': 'models', 'indexes': [Index(fields=['company_id', 'created_at', 'id']), Index(fields=['user_id', 'created_at', 'id']), Index(fields=['created_at'])], 'pk_attr': 'id'},
            bases=['Model'],
        ),
    ]
