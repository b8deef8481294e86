"""Service status: components, incidents and their updates, subscribers, spikes."""

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

LANGS = ("fr", "en")


class State(models.TextChoices):
    # Ordered from best to worst: the worst open state wins on a component.
    OPERATIONAL = "operational", _("Operational")
    MAINTENANCE = "maintenance", _("Under maintenance")
    DEGRADED = "degraded", _("Degraded performance")
    PARTIAL_OUTAGE = "partial_outage", _("Partial outage")
    MAJOR_OUTAGE = "major_outage", _("Major outage")


STATE_RANK = {value: rank for rank, value in enumerate(State.values)}


def _in_language(obj, field, lang=None):
    """``(text, shown_lang)``: the field in ``lang``, else in the other language."""
    lang = (lang or get_language() or "fr")[:2]
    lang = lang if lang in LANGS else "fr"
    text = getattr(obj, f"{field}_{lang}")
    if text:
        return text, lang
    other = "en" if lang == "fr" else "fr"
    return getattr(obj, f"{field}_{other}"), other


class Component(models.Model):
    slug = models.SlugField(_("identifier"), unique=True)
    name_fr = models.CharField(_("name (French)"), max_length=100)
    name_en = models.CharField(_("name (English)"), max_length=100)
    position = models.PositiveSmallIntegerField(_("position"), default=0)
    # Words that point at this component in posts (spike alerts' likely component).
    keywords = models.TextField(
        _("keywords"), blank=True, help_text=_("Comma-separated, any language.")
    )

    class Meta:
        ordering = ["position", "slug"]
        verbose_name = _("component")
        verbose_name_plural = _("components")

    def __str__(self):
        return self.name

    @property
    def name(self):
        return _in_language(self, "name")[0]

    def keyword_list(self):
        return [k.strip().lower() for k in self.keywords.split(",") if k.strip()]


class Incident(models.Model):
    class Kind(models.TextChoices):
        INCIDENT = "incident", _("Incident")
        MAINTENANCE = "maintenance", _("Planned maintenance")

    class Status(models.TextChoices):
        INVESTIGATING = "investigating", _("Investigating")
        IDENTIFIED = "identified", _("Identified")
        MONITORING = "monitoring", _("Monitoring")
        SCHEDULED = "scheduled", _("Scheduled")
        IN_PROGRESS = "in_progress", _("In progress")
        RESOLVED = "resolved", _("Resolved")

    kind = models.CharField(
        _("kind"), max_length=16, choices=Kind.choices, default=Kind.INCIDENT
    )
    title_fr = models.CharField(_("title (French)"), max_length=200, blank=True)
    title_en = models.CharField(_("title (English)"), max_length=200, blank=True)
    status = models.CharField(
        _("status"), max_length=16, choices=Status.choices, default="investigating"
    )
    started_at = models.DateTimeField(_("start"), default=timezone.now)
    # Planned maintenance: the announced end.
    scheduled_end = models.DateTimeField(_("planned end"), null=True, blank=True)
    resolved_at = models.DateTimeField(_("resolution"), null=True, blank=True)
    postmortem_fr = models.TextField(_("post-mortem (French)"), blank=True)
    postmortem_en = models.TextField(_("post-mortem (English)"), blank=True)
    kb_article = models.ForeignKey(
        "kb.ArticlePage",
        verbose_name=_("pinned article"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    components = models.ManyToManyField(
        Component, through="IncidentComponent", related_name="incidents"
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-started_at"]
        verbose_name = _("incident")
        verbose_name_plural = _("incidents")
        indexes = [models.Index(fields=["resolved_at", "started_at"])]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("status:incident", args=[self.pk])

    @property
    def title(self):
        return _in_language(self, "title")[0]

    def title_in(self, lang=None):
        return _in_language(self, "title", lang)

    def postmortem_in(self, lang=None):
        return _in_language(self, "postmortem", lang)

    def is_open(self, now=None):
        now = now or timezone.now()
        return self.resolved_at is None and self.started_at <= now


class IncidentComponent(models.Model):
    incident = models.ForeignKey(
        Incident, on_delete=models.CASCADE, related_name="affected"
    )
    component = models.ForeignKey(Component, on_delete=models.CASCADE)
    state = models.CharField(_("state"), max_length=16, choices=State.choices)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["incident", "component"], name="status_incident_component"
            )
        ]

    def __str__(self):
        return f"{self.component_id}: {self.state}"


class IncidentUpdate(models.Model):
    incident = models.ForeignKey(
        Incident, on_delete=models.CASCADE, related_name="updates"
    )
    status = models.CharField(
        _("status"), max_length=16, choices=Incident.Status.choices
    )
    body_fr = models.TextField(_("message (French)"), blank=True)
    body_en = models.TextField(_("message (English)"), blank=True)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(_("published"), default=timezone.now)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("incident update")
        verbose_name_plural = _("incident updates")

    def __str__(self):
        return f"{self.incident_id} {self.status} {self.created_at:%Y-%m-%d %H:%M}"

    def body_in(self, lang=None):
        return _in_language(self, "body", lang)


class Subscriber(models.Model):
    email = models.EmailField(_("e-mail"), unique=True)
    language = models.CharField(
        _("language"), max_length=8, choices=settings.LANGUAGES, default="fr"
    )
    # None selected means every component.
    components = models.ManyToManyField(
        Component, blank=True, related_name="subscribers"
    )
    created_at = models.DateTimeField(default=timezone.now)
    confirmed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("subscriber")
        verbose_name_plural = _("subscribers")

    def __str__(self):
        return self.email


class SpikeAlert(models.Model):
    """More posts about one topic than usual for this hour of the week."""

    topic = models.CharField(_("topic"), max_length=200)
    window_minutes = models.PositiveIntegerField(_("window (minutes)"))
    count = models.PositiveIntegerField(_("posts"))
    expected = models.FloatField(_("expected"))
    p_value = models.FloatField()
    window_end = models.DateTimeField()
    mention_ids = models.JSONField(default=list)
    ticket_ids = models.JSONField(default=list)
    component = models.ForeignKey(
        Component, null=True, blank=True, on_delete=models.SET_NULL
    )
    incident = models.ForeignKey(
        Incident, null=True, blank=True, on_delete=models.SET_NULL
    )
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("spike alert")
        verbose_name_plural = _("spike alerts")

    def __str__(self):
        return f"{self.topic}: {self.count} / {self.expected:.1f}"


class IncidentMention(models.Model):
    """A mention answered as part of an incident's group, for the follow-up."""

    incident = models.ForeignKey(
        Incident, on_delete=models.CASCADE, related_name="mentions"
    )
    mention = models.ForeignKey(
        "social_redirect.Mention", on_delete=models.CASCADE, related_name="+"
    )
    link = models.ForeignKey(
        "social_redirect.RedirectLink",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    acknowledged_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    acknowledged_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["acknowledged_at", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["incident", "mention"], name="status_incident_mention"
            )
        ]

    def __str__(self):
        return f"{self.incident_id}: {self.mention_id}"
