import re
import unicodedata

from tortoise import fields, migrations
from tortoise.migrations import operations as ops

BATCH = 2000
WORD = re.compile(r"[^\W_]+")

# resolvers/issues/search.py's SEARCH_INDEXES, written out so this migration stays what it is
# when the code moves on.
SEARCH_INDEXES = [
    "CREATE EXTENSION IF NOT EXISTS pg_trgm",
    "DROP INDEX IF EXISTS issues_search_idx",
    "CREATE INDEX IF NOT EXISTS issues_search_text_idx ON issues"
    " USING GIN (search_text gin_trgm_ops)",
]


def _words(text):
    folded = unicodedata.normalize("NFKD", text.casefold())
    return WORD.findall("".join(char for char in folded if not unicodedata.combining(char)))


def _search_text(name, description, tags):
    """As resolvers/issues/search_words.py's `search_text_of` makes it."""
    parts = [name, *sorted(tags), description]
    return " " + " | ".join(" ".join(_words(part)) for part in parts) + " "


async def _search_text_for_every_issue(apps, schema_editor):
    """Every earlier issue's search text, in batches by id; then the index (PostgreSQL)."""
    client = schema_editor.client
    postgres = client.capabilities.dialect == "postgres"
    update = "UPDATE issues SET search_text = {} WHERE id = {}".format(
        *(("$1", "$2") if postgres else ("?", "?"))
    )
    last = 0
    while True:
        rows = await client.execute_query_dict(
            f"SELECT id, name, description FROM issues WHERE id > {int(last)}"
            f" ORDER BY id LIMIT {BATCH}"
        )
        if not rows:
            break
        first, last = rows[0]["id"], rows[-1]["id"]
        tags: dict[int, list[str]] = {}
        for link in await client.execute_query_dict(
            "SELECT it.issue_id, t.name FROM issue_tags AS it JOIN tags AS t ON t.id = it.tag_id"
            f" WHERE it.issue_id BETWEEN {int(first)} AND {int(last)}"
        ):
            tags.setdefault(link["issue_id"], []).append(link["name"])
        await client.execute_many(
            update,
            [
                [_search_text(row["name"], row["description"] or "", tags.get(row["id"], [])), row["id"]]
                for row in rows
            ],
        )
    if postgres:
        for statement in SEARCH_INDEXES:
            await client.execute_script(statement)


class Migration(migrations.Migration):
    dependencies = [('models', '0007_issue_order_indexes')]

    initial = False

    operations = [
        ops.AddField(
            model_name='Issue',
            name='search_text',
            field=fields.TextField(db_default=''),
        ),
        ops.RunPython(_search_text_for_every_issue),
    ]
