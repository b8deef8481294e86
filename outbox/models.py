"""Every e-mail the site sends, recorded before it is sent."""

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class OutboundMail(models.Model):
    """One e-mail, kept so that a failed delivery is retried, not lost."""

    class Status(models.TextChoices):
        PENDING = "pending", _("Waiting to be sent")
        SENT = "sent", _("Sent")
        FAILED = "failed", _("Failed")

    # Named by the sending app ("ack", "forum_reply", "account"…): the outbox
    # only stores it, so a new kind of mail needs no migration here.
    kind = models.CharField(_("kind"), max_length=32)
    # Comma-separated addresses; see `recipients`.
    to = models.TextField(_("to"))
    reply_to = models.TextField(_("reply to"), blank=True)
    subject = models.CharField(_("subject"), max_length=255)
    body = models.TextField(_("body"))
    html_body = models.TextField(_("HTML body"), blank=True)
    headers = models.JSONField(default=dict, blank=True)
    language = models.CharField(_("language"), max_length=8, blank=True)
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.PENDING
    )
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    last_error = models.TextField(_("last error"), blank=True)
    created_at = models.DateTimeField(_("created"), default=timezone.now)
    next_attempt_at = models.DateTimeField(_("next attempt"), default=timezone.now)
    sent_at = models.DateTimeField(_("sent"), null=True, blank=True)

    class Meta:
        # Created by social_redirect for tickets before mail had its own app.
        db_table = "social_redirect_outboundmail"
        verbose_name = _("outbound e-mail")
        verbose_name_plural = _("outbound e-mails")
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["status", "next_attempt_at"])]

    def __str__(self):
        return f"{self.kind} → {self.to} ({self.status})"

    @property
    def recipients(self) -> list[str]:
        return _split(self.to)

    @property
    def reply_to_list(self) -> list[str]:
        return _split(self.reply_to)


def _split(addresses):
    return [a.strip() for a in (addresses or "").split(",") if a.strip()]
