from django.apps import AppConfig
from django.db import connections
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


class CommunityForumConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "forum"
    # machina owns the "forum" label.
    label = "community_forum"
    verbose_name = _("Community")

    def ready(self):
        # Cycle with app loading: the receivers import models, which cannot be
        # imported before the registry is ready.
        from forum import signals  # noqa: F401, PLC0415

        post_migrate.connect(_sync_forum_permissions, sender=self)


def _sync_forum_permissions(sender, using="default", **kwargs):
    # Cycle with app loading, as in ready(): permissions imports auth and
    # machina models.
    from forum.permissions import forum_permissions_sync  # noqa: PLC0415

    # A partial migrate (e.g. to an early migration) may not have machina's tables.
    tables = connections[using].introspection.table_names()
    if "forum_permission_groupforumpermission" in tables and "auth_group" in tables:
        forum_permissions_sync()
