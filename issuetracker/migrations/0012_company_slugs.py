import re
import unicodedata

from tortoise import migrations
from tortoise.migrations import operations as ops
from tortoise.fields.base import OnDelete
from tortoise import fields


def _slug_of(name):
    """As the server makes them (`resolvers/companies/slugs.py`), written out here so this
    migration stays what it is when the code moves on."""
    plain = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode().lower()
    slug = re.sub(r"[^a-z0-9]+", "-", plain).strip("-")[:56].strip("-")
    return slug or "company"


async def _a_slug_for_every_company(apps, schema_editor):
    """Every earlier company gets a slug made from its name; the second of two alike gets
    `-2`, and so on, oldest first."""
    client = schema_editor.client
    postgres = client.capabilities.dialect == "postgres"
    update = "UPDATE companies SET slug = {} WHERE id = {}".format(
        *(("$1", "$2") if postgres else ("?", "?"))
    )
    rows = await client.execute_query_dict("SELECT id, name, slug FROM companies ORDER BY id")
    taken = {row["slug"] for row in rows if row["slug"] is not None}
    changes = []
    for row in rows:
        if row["slug"] is not None:
            continue
        base = slug = _slug_of(row["name"])
        number = 2
        while slug in taken:
            slug, number = f"{base}-{number}", number + 1
        taken.add(slug)
        changes.append([slug, row["id"]])
    if changes:
        await client.execute_many(update, changes)


class Migration(migrations.Migration):
    dependencies = [('models', '0011_company_invitations')]

    initial = False

    operations = [
        ops.CreateModel(
            name='RetiredSlug',
            fields=[
                ('id', fields.IntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('company', fields.ForeignKeyField('models.Company', source_field='company_id', db_constraint=True, to_field='id', related_name='retired_slugs', on_delete=OnDelete.CASCADE)),
                ('slug', fields.CharField(unique=True, max_length=64)),
                ('retired_at', fields.DatetimeField(auto_now=False, auto_now_add=False)),
            ],
            options={'table': 'company_slugs', 'app': 'models', 'pk_attr': 'id'},
            bases=['Model'],
        ),
        ops.AddField(
            model_name='Company',
            name='slug',
            field=fields.CharField(null=True, unique=True, max_length=64),
        ),
        ops.AddField(
            model_name='Company',
            name='status_changed_at',
            field=fields.DatetimeField(null=True, auto_now=False, auto_now_add=False),
        ),
        ops.AddField(
            model_name='Company',
            name='status_version',
            field=fields.IntField(db_default=0),
        ),
        ops.RunPython(_a_slug_for_every_company),
    ]
