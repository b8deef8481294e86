from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class StatusConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "status"
    verbose_name = _("Service status")
