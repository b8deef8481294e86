"""The embedded index becomes posting lists scored in Python (see embedded.py).

Drops the SQLite FTS5 table and the PostgreSQL tsvector table. The posting
lists of the documents already stored are built right after ``migrate`` by the
live code (``search.services.embedded_rebuild_pending``, on ``post_migrate``):
this migration only marks them as pending, so it never imports code that
may change after it was written.
"""

from django.db import migrations, models

# Frozen copy of search.services.REBUILD_PENDING at the time of writing.
REBUILD_PENDING = "rebuild-pending"


def drop_fulltext_tables(apps, schema_editor):
    if schema_editor.connection.vendor == "sqlite":
        schema_editor.execute("DROP TABLE IF EXISTS search_fts")
    elif schema_editor.connection.vendor == "postgresql":
        schema_editor.execute("DROP TABLE IF EXISTS search_pg_index")


def mark_rebuild_pending(apps, schema_editor):
    SearchDocument = apps.get_model("search", "SearchDocument")
    IndexState = apps.get_model("search", "IndexState")
    db = schema_editor.connection.alias
    langs = SearchDocument.objects.using(db).values_list("lang", flat=True)
    for lang in sorted(set(langs)):
        IndexState.objects.using(db).update_or_create(
            lang=lang, defaults={"token": REBUILD_PENDING}
        )


class Migration(migrations.Migration):
    dependencies = [("search", "0004_postgres_index_state")]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[migrations.DeleteModel(name="PostgresIndexRow")],
            database_operations=[
                migrations.RunPython(drop_fulltext_tables, migrations.RunPython.noop)
            ],
        ),
        migrations.AddField(
            model_name="searchdocument",
            name="length",
            field=models.PositiveIntegerField(default=0),
        ),
        migrations.CreateModel(
            name="IndexState",
            fields=[
                (
                    "lang",
                    models.CharField(
                        choices=[("fr", "French"), ("en", "English")],
                        max_length=8,
                        primary_key=True,
                        serialize=False,
                    ),
                ),
                ("token", models.CharField(max_length=32)),
            ],
            options={"db_table": "search_indexstate"},
        ),
        migrations.CreateModel(
            name="PostingBlock",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True,
                        primary_key=True,
                        serialize=False,
                        verbose_name="ID",
                    ),
                ),
                (
                    "lang",
                    models.CharField(
                        choices=[("fr", "French"), ("en", "English")], max_length=8
                    ),
                ),
                ("term", models.CharField(max_length=255)),
                ("block", models.PositiveIntegerField()),
                ("docs", models.BinaryField()),
                ("freqs", models.BinaryField()),
            ],
            options={
                "db_table": "search_posting",
                "constraints": [
                    models.UniqueConstraint(
                        fields=("lang", "term", "block"), name="search_posting_unique"
                    )
                ],
            },
        ),
        migrations.RunPython(mark_rebuild_pending, migrations.RunPython.noop),
    ]
