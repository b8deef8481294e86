from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CommunityForumConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "forum"
    # machina owns the "forum" label.
    label = "community_forum"
    verbose_name = _("Community")

    def ready(self):
        from forum import signals  # noqa: F401
