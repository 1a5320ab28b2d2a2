from tortoise import migrations
from tortoise.migrations import operations as ops
from issuetracker.models.companies import Role
from tortoise.fields.base import OnDelete
from tortoise import fields
from tortoise.indexes import Index

class Migration(migrations.Migration):
    dependencies = [('models', '0010_outbox_request_id')]

    initial = False

    operations = [
        ops.CreateModel(
            name='CompanyInvitation',
            fields=[
                ('id', fields.IntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('company', fields.ForeignKeyField('models.Company', source_field='company_id', db_constraint=True, to_field='id', related_name='invitations', on_delete=OnDelete.CASCADE)),
                ('email', fields.CharField(max_length=254)),
                ('role', fields.CharEnumField(description='OWNER: owner\nADMIN: admin\nMEMBER: member', enum_type=Role, max_length=16)),
                ('invited_by', fields.ForeignKeyField('models.User', source_field='invited_by_id', null=True, db_constraint=True, to_field='id', related_name='company_invitations_sent', on_delete=OnDelete.SET_NULL)),
                ('created_at', fields.DatetimeField(auto_now=False, auto_now_add=False)),
                ('expires_at', fields.DatetimeField(auto_now=False, auto_now_add=False)),
                ('accepted_at', fields.DatetimeField(null=True, auto_now=False, auto_now_add=False)),
            ],
            options={'table': 'company_invitations', 'app': 'models', 'unique_together': (('company_id', 'email'),), 'indexes': [Index(fields=['email'])], 'pk_attr': 'id', 'table_description': 'An invitation to join a company, waiting for the person with the address to accept it.'},
            bases=['Model'],
        ),
    ]
