"""Full-text tables that Django's ORM cannot describe, one per database vendor."""

from django.db import migrations

SQLITE_CREATE = [
    # Terms are analysed in Python (search.analysis); FTS5 only stores and ranks
    # them, so the default unicode61 tokenizer just splits on spaces.
    "CREATE VIRTUAL TABLE IF NOT EXISTS search_fts USING fts5("
    "title, keywords, body)",
]
SQLITE_DROP = ["DROP TABLE IF EXISTS search_fts"]

POSTGRES_CREATE = [
    "CREATE TABLE IF NOT EXISTS search_pg_index ("
    " doc_id bigint PRIMARY KEY"
    " REFERENCES search_searchdocument(id) ON DELETE CASCADE DEFERRABLE INITIALLY DEFERRED,"
    " vector tsvector NOT NULL)",
    "CREATE INDEX IF NOT EXISTS search_pg_index_vector ON search_pg_index USING gin(vector)",
]
POSTGRES_DROP = ["DROP TABLE IF EXISTS search_pg_index"]


def _run(statements_by_vendor):
    def run(apps, schema_editor):
        for sql in statements_by_vendor.get(schema_editor.connection.vendor, []):
            schema_editor.execute(sql)

    return run


class Migration(migrations.Migration):
    dependencies = [("search", "0001_initial")]

    operations = [
        migrations.RunPython(
            _run({"sqlite": SQLITE_CREATE, "postgresql": POSTGRES_CREATE}),
            _run({"sqlite": SQLITE_DROP, "postgresql": POSTGRES_DROP}),
        )
    ]
