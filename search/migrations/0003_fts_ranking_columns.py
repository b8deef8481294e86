"""SQLite: filter inside the full-text index, not row by row.

Language, kind and solved flag become tokens of a ``meta`` column, so a
filtered query is answered from the index alone; the other attributes sit in
UNINDEXED columns read only for the few top candidates.
"""

from django.db import migrations

COLUMNS = "meta, lang UNINDEXED, kind UNINDEXED, boost UNINDEXED, solved UNINDEXED, "
COLUMNS += "category UNINDEXED, title, keywords, body"


def forwards(apps, schema_editor):
    if schema_editor.connection.vendor != "sqlite":
        return
    # Migration 0005 replaces this table and indexes every document again.
    schema_editor.execute("DROP TABLE IF EXISTS search_fts")
    schema_editor.execute(f"CREATE VIRTUAL TABLE search_fts USING fts5({COLUMNS})")


def backwards(apps, schema_editor):
    if schema_editor.connection.vendor != "sqlite":
        return
    schema_editor.execute("DROP TABLE IF EXISTS search_fts")
    schema_editor.execute(
        "CREATE VIRTUAL TABLE search_fts USING fts5(title, keywords, body)"
    )


class Migration(migrations.Migration):
    dependencies = [("search", "0002_fulltext_tables")]

    operations = [migrations.RunPython(forwards, backwards)]
