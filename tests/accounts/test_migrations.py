"""Upgrading moves the profile model to `accounts` without touching its rows."""

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from accounts.models import Profile

FORUM_BEFORE = ("community_forum", "0003_forum_extras")


@pytest.mark.django_db(transaction=True)
def test_profiles_written_by_the_forum_app_survive_the_move(django_user_model):
    user = django_user_model.objects.create(username="before", email="b@example.org")
    executor = MigrationExecutor(connection)
    latest = executor.loader.graph.leaf_nodes()
    try:
        executor.migrate([FORUM_BEFORE, ("accounts", None)])
        old_apps = executor.loader.project_state([FORUM_BEFORE]).apps
        OldProfile = old_apps.get_model("community_forum", "Profile")
        OldProfile.objects.filter(user_id=user.pk).update(
            display_name="Avant", preferred_language="en"
        )
    finally:
        executor = MigrationExecutor(connection)
        executor.migrate(latest)

    profile = Profile.objects.get(user=user)
    assert (profile.display_name, profile.preferred_language) == ("Avant", "en")
