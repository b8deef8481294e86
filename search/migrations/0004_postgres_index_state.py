import django.contrib.postgres.search
import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):
    """Declare the PostgreSQL full-text table (created by 0002) to Django's state only."""

    dependencies = [("search", "0003_fts_ranking_columns")]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name="PostgresIndexRow",
                    fields=[
                        (
                            "document",
                            models.OneToOneField(
                                db_column="doc_id",
                                on_delete=django.db.models.deletion.DO_NOTHING,
                                primary_key=True,
                                related_name="+",
                                serialize=False,
                                to="search.searchdocument",
                            ),
                        ),
                        ("vector", django.contrib.postgres.search.SearchVectorField()),
                    ],
                    options={"db_table": "search_pg_index"},
                ),
            ],
            database_operations=[],
        )
    ]
