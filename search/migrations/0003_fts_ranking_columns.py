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
    from search.backends.embedded import document_fields, meta_tokens

    schema_editor.execute("DROP TABLE IF EXISTS search_fts")
    schema_editor.execute(f"CREATE VIRTUAL TABLE search_fts USING fts5({COLUMNS})")
    SearchDocument = apps.get_model("search", "SearchDocument")
    rows = []
    for doc in SearchDocument.objects.iterator():
        rows.append(
            (doc.pk, meta_tokens(doc), doc.lang, doc.kind, doc.boost, doc.solved,
             doc.category, *document_fields(doc))
        )
    with schema_editor.connection.cursor() as cursor:
        cursor.executemany(
            "INSERT INTO search_fts (rowid, meta, lang, kind, boost, solved,"
            " category, title, keywords, body)"
            " VALUES (%s, %s, %s, %s, %s, %s, %s, %s, %s, %s)",
            rows,
        )


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
