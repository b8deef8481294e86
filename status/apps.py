from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class StatusConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "status"
    verbose_name = _("Service status")

    def ready(self):
        # Receivers import models, so they load once the app registry is ready.
        from status import receivers  # noqa: F401, PLC0415
