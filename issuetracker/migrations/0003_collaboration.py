from tortoise import migrations
from tortoise.migrations import operations as ops
from tortoise.fields.base import OnDelete
from tortoise import fields
from tortoise.indexes import Index

# The expression is the one resolvers/search.py matches with, so the planner can use the index.
CREATE_SEARCH_INDEX = 'CREATE INDEX IF NOT EXISTS issues_search_idx ON issues USING GIN ((setweight(to_tsvector(\'english\', "issues"."name"), \'A\') || setweight(to_tsvector(\'english\', "issues"."description"), \'B\')))'



async def _search_index_and_hash_keys(apps, schema_editor):
    """The full-text index (PostgreSQL only), and a hash key for every existing issue."""
    client = schema_editor.client
    if client.capabilities.dialect == "postgres":
        await client.execute_script(CREATE_SEARCH_INDEX)
        random_hex = "substr(md5(random()::text) || md5(random()::text), 1, 40)"
    else:
        random_hex = "lower(hex(randomblob(20)))"
    await client.execute_script(f"UPDATE issues SET hash_key = {random_hex} WHERE hash_key IS NULL")


class Migration(migrations.Migration):
    dependencies = [('models', '0002_outbox')]

    initial = False

    operations = [
        ops.CreateModel(
            name='ActionItem',
            fields=[
                ('id', fields.IntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('issue', fields.ForeignKeyField('models.Issue', source_field='issue_id', db_constraint=True, to_field='id', related_name='action_items', on_delete=OnDelete.CASCADE)),
                ('description', fields.TextField(unique=False)),
                ('done', fields.BooleanField(db_default=False)),
                ('assignee', fields.ForeignKeyField('models.User', source_field='assignee_id', null=True, db_constraint=True, to_field='id', related_name='assigned_action_items', on_delete=OnDelete.SET_NULL)),
                ('due_on', fields.DateField(null=True)),
                ('created_by', fields.ForeignKeyField('models.User', source_field='created_by_id', null=True, db_constraint=True, to_field='id', related_name='created_action_items', on_delete=OnDelete.SET_NULL)),
                ('created_at', fields.DatetimeField(auto_now=False, auto_now_add=True)),
                ('updated_at', fields.DatetimeField(auto_now=True, auto_now_add=False)),
            ],
            options={'table': 'issue_action_items', 'app': 'models', 'indexes': [Index(fields=['issue_id', 'id'])], 'pk_attr': 'id'},
            bases=['Model'],
        ),
        ops.CreateModel(
            name='Fact',
            fields=[
                ('id', fields.IntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('issue', fields.ForeignKeyField('models.Issue', source_field='issue_id', db_constraint=True, to_field='id', related_name='facts', on_delete=OnDelete.CASCADE)),
                ('description', fields.TextField(unique=False)),
                ('author', fields.ForeignKeyField('models.User', source_field='author_id', null=True, db_constraint=True, to_field='id', related_name='facts', on_delete=OnDelete.SET_NULL)),
                ('created_at', fields.DatetimeField(auto_now=False, auto_now_add=True)),
                ('updated_at', fields.DatetimeField(auto_now=True, auto_now_add=False)),
            ],
            options={'table': 'issue_facts', 'app': 'models', 'indexes': [Index(fields=['issue_id', 'id'])], 'pk_attr': 'id'},
            bases=['Model'],
        ),
        ops.CreateModel(
            name='Invitation',
            fields=[
                ('id', fields.IntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('issue', fields.ForeignKeyField('models.Issue', source_field='issue_id', db_constraint=True, to_field='id', related_name='invitations', on_delete=OnDelete.CASCADE)),
                ('email', fields.CharField(max_length=254)),
                ('invited_by', fields.ForeignKeyField('models.User', source_field='invited_by_id', null=True, db_constraint=True, to_field='id', related_name='sent_invitations', on_delete=OnDelete.SET_NULL)),
                ('accepted_by', fields.ForeignKeyField('models.User', source_field='accepted_by_id', null=True, db_constraint=True, to_field='id', related_name='accepted_invitations', on_delete=OnDelete.SET_NULL)),
                ('accepted_at', fields.DatetimeField(null=True, auto_now=False, auto_now_add=False)),
                ('created_at', fields.DatetimeField(auto_now=False, auto_now_add=True)),
                ('updated_at', fields.DatetimeField(auto_now=True, auto_now_add=False)),
            ],
            options={'table': 'issue_invitations', 'app': 'models', 'unique_together': (('issue_id', 'email'),), 'indexes': [Index(fields=['email'])], 'pk_attr': 'id'},
            bases=['Model'],
        ),
        ops.CreateModel(
            name='Upload',
            fields=[
                ('id', fields.IntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('guid', fields.UUIDField(unique=True)),
                ('issue', fields.ForeignKeyField('models.Issue', source_field='issue_id', db_constraint=True, to_field='id', related_name='uploads', on_delete=OnDelete.CASCADE)),
                ('file_name', fields.CharField(max_length=255)),
                ('content_type', fields.CharField(max_length=255)),
                ('size', fields.BigIntField()),
                ('storage_key', fields.CharField(unique=True, max_length=64)),
                ('uploaded_by', fields.ForeignKeyField('models.User', source_field='uploaded_by_id', null=True, db_constraint=True, to_field='id', related_name='uploads', on_delete=OnDelete.SET_NULL)),
                ('created_at', fields.DatetimeField(auto_now=False, auto_now_add=True)),
                ('updated_at', fields.DatetimeField(auto_now=True, auto_now_add=False)),
            ],
            options={'table': 'issue_uploads', 'app': 'models', 'indexes': [Index(fields=['issue_id', 'id'])], 'pk_attr': 'id'},
            bases=['Model'],
        ),
        ops.AddField(
            model_name='Issue',
            name='action_items_updated_at',
            field=fields.DatetimeField(null=True, auto_now=False, auto_now_add=False),
        ),
        ops.AddField(
            model_name='Issue',
            name='categories_updated_at',
            field=fields.DatetimeField(null=True, auto_now=False, auto_now_add=False),
        ),
        ops.AddField(
            model_name='Issue',
            name='conference_number',
            field=fields.CharField(null=True, max_length=64),
        ),
        ops.AddField(
            model_name='Issue',
            name='facts_updated_at',
            field=fields.DatetimeField(null=True, auto_now=False, auto_now_add=False),
        ),
        ops.AddField(
            model_name='Issue',
            name='hash_key',
            field=fields.CharField(null=True, max_length=40),
        ),
        ops.AddField(
            model_name='Issue',
            name='involvements_updated_at',
            field=fields.DatetimeField(null=True, auto_now=False, auto_now_add=False),
        ),
        ops.AddField(
            model_name='Issue',
            name='messages_updated_at',
            field=fields.DatetimeField(null=True, auto_now=False, auto_now_add=False),
        ),
        ops.AddField(
            model_name='Issue',
            name='unknowns_updated_at',
            field=fields.DatetimeField(null=True, auto_now=False, auto_now_add=False),
        ),
        ops.AddField(
            model_name='Issue',
            name='uploads_updated_at',
            field=fields.DatetimeField(null=True, auto_now=False, auto_now_add=False),
        ),
        ops.AddIndex(
            model_name='Issue',
            index=Index(fields=['deleted_at']),
        ),
        ops.RunPython(_search_index_and_hash_keys),
    ]
