"""The embedded index becomes posting lists scored in Python (see embedded.py).

Drops the SQLite FTS5 table and the PostgreSQL tsvector table, then indexes
every stored document again.
"""

from django.db import migrations, models


def drop_fulltext_tables(apps, schema_editor):
    if schema_editor.connection.vendor == "sqlite":
        schema_editor.execute("DROP TABLE IF EXISTS search_fts")
    elif schema_editor.connection.vendor == "postgresql":
        schema_editor.execute("DROP TABLE IF EXISTS search_pg_index")


def reindex(apps, schema_editor):
    from search.backends.embedded import BulkIndex

    SearchDocument = apps.get_model("search", "SearchDocument")
    bulk = BulkIndex()
    batch = []
    for doc in SearchDocument.objects.order_by("pk").iterator():
        batch.append(doc)
        if len(batch) >= 500:
            bulk.add(batch)
            batch = []
    bulk.add(batch)
    bulk.write()


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
        migrations.RunPython(reindex, migrations.RunPython.noop),
    ]
