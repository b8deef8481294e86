"""Social mentions, triage and redirect links."""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

__all__ = ["Mention", "RedirectLink", "ReplyTemplate", "PollCheckpoint"]


class Mention(models.Model):
    class Source(models.TextChoices):
        MANUAL = "manual", _("Pasted by hand")
        IMPORT = "import", _("Imported file")
        WEBHOOK = "webhook", _("Webhook")
        X_API = "x_api", _("X API")

    class Status(models.TextChoices):
        NEW = "new", _("New")
        ACKNOWLEDGED = "acknowledged", _("Acknowledged")
        REDIRECTED = "redirected", _("Redirected")
        RESOLVED = "resolved", _("Resolved")
        IGNORED = "ignored", _("Ignored")

    source = models.CharField(_("source"), max_length=16, choices=Source.choices)
    external_id = models.CharField(_("external id"), max_length=64, blank=True)
    url = models.URLField(_("post URL"), max_length=500, blank=True)
    author_handle = models.CharField(_("author handle"), max_length=64, blank=True)
    author_name = models.CharField(_("author name"), max_length=200, blank=True)
    followers_count = models.PositiveIntegerField(_("followers"), default=0)
    text = models.TextField(_("text"))
    lang = models.CharField(_("language"), max_length=8, default="en")
    posted_at = models.DateTimeField(_("posted at"), default=timezone.now)
    received_at = models.DateTimeField(_("received at"), default=timezone.now)
    status = models.CharField(
        _("status"), max_length=16, choices=Status.choices, default=Status.NEW
    )
    # Triage results, recomputed by services.mentions.mention_triage().
    unhappiness = models.FloatField(_("unhappiness"), default=0.0)
    private_signals = models.JSONField(_("private signals"), default=list, blank=True)
    target_kind = models.CharField(_("suggested target"), max_length=16, blank=True)
    target_url = models.CharField(max_length=500, blank=True)
    target_title = models.CharField(max_length=300, blank=True)
    target_source = models.CharField(max_length=200, blank=True)
    confidence = models.FloatField(default=0.0)
    candidates = models.JSONField(default=list, blank=True)
    triaged_at = models.DateTimeField(null=True, blank=True)
    # False while only the fast lexical first triage of a burst is stored;
    # the mentions_refine task adds the meaning (services.mentions).
    refined = models.BooleanField(_("refined"), default=True)
    acted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("acted by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    acted_at = models.DateTimeField(_("acted at"), null=True, blank=True)
    response_seconds = models.PositiveIntegerField(
        _("response time (s)"), null=True, blank=True
    )

    class Meta:
        ordering = ["-posted_at"]
        verbose_name = _("mention")
        verbose_name_plural = _("mentions")
        constraints = [
            models.UniqueConstraint(
                fields=["external_id"],
                condition=~models.Q(external_id=""),
                name="mention_unique_external_id",
            ),
            models.UniqueConstraint(
                fields=["url"],
                condition=~models.Q(url=""),
                name="mention_unique_url",
            ),
        ]
        indexes = [models.Index(fields=["status", "posted_at"])]

    def __str__(self):
        return f"@{self.author_handle}: {self.text[:60]}"


class RedirectLink(models.Model):
    """A short `/r/<code>` link bound to one mention and one internal target.

    The target is only ever an internal path built by our own code from
    stored objects, never a URL that came from the outside.
    """

    class Kind(models.TextChoices):
        ARTICLE = "article", _("Article")
        TOPIC = "topic", _("Solved topic")
        TICKET = "ticket", _("Private ticket form")
        INCIDENT = "incident", _("Incident page")

    code = models.CharField(max_length=16, unique=True)
    mention = models.ForeignKey(Mention, on_delete=models.CASCADE, related_name="links")
    kind = models.CharField(max_length=16, choices=Kind.choices)
    target_path = models.CharField(max_length=1500)
    target_title = models.CharField(max_length=300, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    expires_at = models.DateTimeField(null=True, blank=True)
    # Funnel: clicked → read → helpful yes/no → ticket opened.
    clicks = models.PositiveIntegerField(default=0)
    first_clicked_at = models.DateTimeField(null=True, blank=True)
    read_at = models.DateTimeField(null=True, blank=True)
    helpful = models.BooleanField(null=True, blank=True)
    ticket_opened_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("redirect link")
        verbose_name_plural = _("redirect links")

    def __str__(self):
        return f"/r/{self.code}"

    def is_expired(self, now=None):
        return bool(self.expires_at and self.expires_at <= (now or timezone.now()))


class ReplyTemplate(models.Model):
    """Reply drafts, editable by staff in the Django admin.

    Placeholders: ``{name}`` (author handle with @), ``{link}`` (short link),
    ``{title}`` (target title).
    """

    class Variant(models.TextChoices):
        ARTICLE = "article", _("Article")
        TICKET = "ticket", _("Private ticket")
        AUTOMATIC = "automatic", _("Automatic acknowledgement")
        THANKS = "thanks", _("Thank-you (no answer needed)")

    variant = models.CharField(max_length=16, choices=Variant.choices)
    lang = models.CharField(max_length=8, choices=settings.LANGUAGES)
    text = models.TextField(
        help_text=_("Placeholders: {name}, {link}, {title}. At most 280 characters.")
    )
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("reply template")
        verbose_name_plural = _("reply templates")
        constraints = [
            models.UniqueConstraint(
                fields=["variant", "lang"], name="reply_template_unique_variant_lang"
            )
        ]

    def __str__(self):
        return f"{self.get_variant_display()} ({self.lang})"


class PollCheckpoint(models.Model):
    """Where the X poller stopped, and how many reads it used this month."""

    name = models.CharField(max_length=32, unique=True)
    since_id = models.CharField(max_length=32, blank=True)
    month = models.CharField(max_length=7, blank=True)  # "YYYY-MM"
    reads_this_month = models.PositiveIntegerField(default=0)
    updated_at = models.DateTimeField(auto_now=True)

    def __str__(self):
        return self.name
