from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SocialRedirectConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "social_redirect"
    verbose_name = _("Social redirect")

    def ready(self):
        # Connects the receivers of support's ticket_created; receivers import
        # models, so they load once the app registry is ready.
        from social_redirect import receivers  # noqa: F401, PLC0415
