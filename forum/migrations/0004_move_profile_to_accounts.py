"""The profile model now belongs to `accounts` (see accounts/migrations/0001_initial.py).

State only: the table ``community_forum_profile`` and its rows stay where they are.
"""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("community_forum", "0003_forum_extras"),
        ("accounts", "0001_initial"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[migrations.DeleteModel(name="Profile")],
            database_operations=[],
        ),
    ]
