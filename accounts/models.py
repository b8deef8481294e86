from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from accounts.selectors import user_public_name


class Profile(models.Model):
    """What a community member shows of themselves, and the language they read."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="profile"
    )
    display_name = models.CharField(
        _("display name"),
        max_length=60,
        blank=True,
        help_text=_(
            "Shown next to your edits and posts instead of your e-mail address."
        ),
    )
    preferred_language = models.CharField(
        _("preferred language"),
        max_length=8,
        choices=settings.LANGUAGES,
        default=settings.LANGUAGE_CODE,
    )

    class Meta:
        # Created by the forum app before people had their own; kept so that
        # upgrading loses nothing (see migrations/0001_initial.py).
        db_table = "community_forum_profile"
        verbose_name = _("profile")
        verbose_name_plural = _("profiles")

    def __str__(self):
        return self.public_name

    @property
    def public_name(self) -> str:
        return user_public_name(self.user)
