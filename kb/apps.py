from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class KbConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "kb"
    verbose_name = _("Knowledge base")

    def ready(self):
        # Not at the top: kb.signals imports models, which need the app
        # registry that is being populated when this module is imported.
        from kb import signals  # noqa: PLC0415

        signals.connect()
