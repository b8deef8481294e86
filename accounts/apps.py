from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "accounts"
    verbose_name = _("People")

    def ready(self):
        # Importing connects the receivers; models are not ready at module level.
        from accounts import signals  # noqa: F401, PLC0415
