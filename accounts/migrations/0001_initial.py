"""People get their own app: the profile model moves here from the forum.

Only Django's bookkeeping moves: the table keeps its name
(``community_forum_profile``) and its rows, so upgrading loses nothing.
``community_forum.0004_move_profile_to_accounts`` drops the forum's copy of the
model from the migration state, again without touching the table.
"""

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


def move_content_type(apps, schema_editor):
    """Keep the profile's content type (and any permission on it) under its new app."""
    ContentType = apps.get_model("contenttypes", "ContentType")
    if not ContentType.objects.filter(app_label="accounts", model="profile").exists():
        ContentType.objects.filter(app_label="community_forum", model="profile").update(
            app_label="accounts"
        )


def restore_content_type(apps, schema_editor):
    ContentType = apps.get_model("contenttypes", "ContentType")
    if not ContentType.objects.filter(
        app_label="community_forum", model="profile"
    ).exists():
        ContentType.objects.filter(app_label="accounts", model="profile").update(
            app_label="community_forum"
        )


class Migration(migrations.Migration):
    initial = True

    dependencies = [
        # The table was created there.
        ("community_forum", "0003_forum_extras"),
        ("contenttypes", "0002_remove_content_type_name"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name="Profile",
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
                            "display_name",
                            models.CharField(
                                blank=True,
                                help_text="Shown next to your edits and posts instead of your e-mail address.",
                                max_length=60,
                                verbose_name="display name",
                            ),
                        ),
                        (
                            "preferred_language",
                            models.CharField(
                                choices=[("fr", "Français"), ("en", "English")],
                                default="fr",
                                max_length=8,
                                verbose_name="preferred language",
                            ),
                        ),
                        (
                            "user",
                            models.OneToOneField(
                                on_delete=django.db.models.deletion.CASCADE,
                                related_name="profile",
                                to=settings.AUTH_USER_MODEL,
                            ),
                        ),
                    ],
                    options={
                        "verbose_name": "profile",
                        "verbose_name_plural": "profiles",
                        "db_table": "community_forum_profile",
                    },
                ),
            ],
            database_operations=[],
        ),
        migrations.RunPython(move_content_type, restore_content_type),
    ]
