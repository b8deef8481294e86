from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SearchConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "search"
    verbose_name = _("Search")

    def ready(self):
        # Not at the top: signals imports models, which need the app registry.
        from search import signals  # noqa: PLC0415

        signals.connect(self)
