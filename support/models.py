"""Private support tickets."""

import secrets
import uuid
from dataclasses import dataclass
from datetime import timedelta

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

__all__ = [
    "MailKind",
    "Ticket",
    "TicketAttachment",
    "TicketDeflection",
    "TicketMessage",
]

# No 0/O or 1/I/L: references are read aloud on the phone.
_REFERENCE_ALPHABET = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"


def ticket_reference_new():
    return "T-" + "".join(secrets.choice(_REFERENCE_ALPHABET) for _ in range(7))


@dataclass(frozen=True)
class TicketTarget:
    """The time target a ticket is currently measured against."""

    kind: str  # "first_response" | "resolution"
    due: object  # aware datetime
    remaining: timedelta

    @property
    def overdue(self):
        return self.remaining < timedelta(0)

    @property
    def label(self):
        if self.kind == "first_response":
            return _("First response")
        return _("Resolution")


class Ticket(models.Model):
    class Status(models.TextChoices):
        NEW = "new", _("New")
        OPEN = "open", _("Open")
        WAITING = "waiting", _("Waiting on customer")
        SOLVED = "solved", _("Solved")
        CLOSED = "closed", _("Closed")

    class Category(models.TextChoices):
        BILLING = "billing", _("Billing and payments")
        ACCOUNT = "account", _("Account and personal data")
        CONNECTION = "connection", _("Internet connection")
        ORDER = "order", _("Order or delivery")
        TECHNICAL = "technical", _("Equipment and technical problem")
        OTHER = "other", _("Something else")

    class Priority(models.IntegerChoices):
        LOW = 1, _("Low")
        NORMAL = 2, _("Normal")
        HIGH = 3, _("High")
        URGENT = 4, _("Urgent")

    class Rating(models.TextChoices):
        GOOD = "good", _("Satisfied")
        BAD = "bad", _("Not satisfied")

    # The id in every URL: unguessable, so a ticket cannot be found by counting.
    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    reference = models.CharField(
        _("reference"), max_length=12, unique=True, default=ticket_reference_new
    )
    requester = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("requester"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="support_tickets",
    )
    requester_email = models.EmailField(_("requester e-mail"))
    language = models.CharField(_("language"), max_length=8, choices=settings.LANGUAGES)
    subject = models.CharField(_("subject"), max_length=200)
    category = models.CharField(
        _("category"), max_length=20, choices=Category.choices, default=Category.OTHER
    )
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.NEW
    )
    priority = models.PositiveSmallIntegerField(
        _("priority"), choices=Priority.choices, default=Priority.NORMAL
    )
    assignee = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("assignee"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="assigned_tickets",
    )
    # Signed context from a redirect link or a KB article (see tokens.py).
    context = models.JSONField(_("context"), default=dict, blank=True)
    created_at = models.DateTimeField(_("created"), default=timezone.now)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)
    # Targets are fixed at creation so a later settings change does not
    # rewrite the promise already made to the requester.
    first_response_due = models.DateTimeField(_("first response due"))
    resolution_due = models.DateTimeField(_("resolution due"))
    first_response_at = models.DateTimeField(_("first response"), null=True, blank=True)
    solved_at = models.DateTimeField(_("solved"), null=True, blank=True)
    rating = models.CharField(
        _("satisfaction"), max_length=4, choices=Rating.choices, blank=True
    )
    rated_at = models.DateTimeField(_("rated"), null=True, blank=True)

    class Meta:
        # Created by social_redirect before this app existed: the rows stay put.
        db_table = "social_redirect_ticket"
        verbose_name = _("support ticket")
        verbose_name_plural = _("support tickets")
        ordering = ["-created_at"]
        indexes = [
            models.Index(fields=["status", "first_response_due"]),
            models.Index(fields=["requester_email"]),
        ]

    def __str__(self):
        return f"{self.reference} {self.subject}"

    def save(self, *args, **kwargs):
        if not self.first_response_due:
            self.first_response_due = self.created_at + timedelta(
                minutes=settings.TICKET_FIRST_RESPONSE_MINUTES
            )
        if not self.resolution_due:
            self.resolution_due = self.created_at + timedelta(
                minutes=settings.TICKET_RESOLUTION_MINUTES
            )
        super().save(*args, **kwargs)

    def get_absolute_url(self):
        return reverse("support:ticket_detail", kwargs={"public_id": self.public_id})

    @property
    def is_active(self):
        """The team owes an answer: the clock is running."""
        return self.status in (self.Status.NEW, self.Status.OPEN)

    @property
    def is_finished(self):
        return self.status in (self.Status.SOLVED, self.Status.CLOSED)

    def target(self, now=None):
        """The running target, or None while waiting on the customer or done."""
        if not self.is_active:
            return None
        now = now or timezone.now()
        if self.first_response_at is None:
            return TicketTarget(
                "first_response", self.first_response_due, self.first_response_due - now
            )
        return TicketTarget(
            "resolution", self.resolution_due, self.resolution_due - now
        )

    def is_overdue(self, now=None):
        target = self.target(now)
        return bool(target and target.overdue)


class TicketMessage(models.Model):
    class Kind(models.TextChoices):
        REQUESTER = "requester", _("Requester")
        AGENT = "agent", _("Support reply")
        NOTE = "note", _("Internal note")

    ticket = models.ForeignKey(
        Ticket, on_delete=models.CASCADE, related_name="messages"
    )
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    # Sanitized with config.sanitize at write time.
    body_html = models.TextField(_("message"))
    created_at = models.DateTimeField(_("sent"), default=timezone.now)

    class Meta:
        db_table = "social_redirect_ticketmessage"
        verbose_name = _("ticket message")
        verbose_name_plural = _("ticket messages")
        ordering = ["created_at", "pk"]

    def __str__(self):
        return f"{self.ticket.reference} {self.kind} {self.created_at:%Y-%m-%d %H:%M}"

    @property
    def is_internal(self):
        return self.kind == self.Kind.NOTE


def _attachment_path(instance, filename):
    # Random stored name: the original name is kept in the database only.
    suffix = filename.rsplit(".", 1)[-1].lower() if "." in filename else "bin"
    return f"tickets/{timezone.now():%Y/%m}/{secrets.token_urlsafe(16)}.{suffix}"


class TicketAttachment(models.Model):
    ticket = models.ForeignKey(
        Ticket, on_delete=models.CASCADE, related_name="attachments"
    )
    message = models.ForeignKey(
        TicketMessage,
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="attachments",
    )
    file = models.FileField(_("file"), upload_to=_attachment_path, max_length=200)
    original_name = models.CharField(_("file name"), max_length=200)
    content_type = models.CharField(_("type"), max_length=100)
    size = models.PositiveIntegerField(_("size"))
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        db_table = "social_redirect_ticketattachment"
        verbose_name = _("ticket attachment")
        verbose_name_plural = _("ticket attachments")
        ordering = ["pk"]

    def __str__(self):
        return self.original_name

    def get_absolute_url(self):
        return reverse(
            "support:ticket_attachment",
            kwargs={"public_id": self.ticket.public_id, "pk": self.pk},
        )


class TicketDeflection(models.Model):
    """Someone found their answer in a suggestion instead of opening a ticket."""

    created_at = models.DateTimeField(default=timezone.now)
    language = models.CharField(max_length=8)
    query = models.CharField(_("what was typed"), max_length=200, blank=True)
    kind = models.CharField(max_length=10, blank=True)  # "article" | "topic"
    title = models.CharField(max_length=255, blank=True)
    url = models.CharField(max_length=500)
    context_kind = models.CharField(max_length=20, blank=True)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    class Meta:
        db_table = "social_redirect_ticketdeflection"
        verbose_name = _("ticket deflection")
        verbose_name_plural = _("ticket deflections")
        ordering = ["-created_at"]

    def __str__(self):
        return f"{self.created_at:%Y-%m-%d} {self.url}"


class MailKind(models.TextChoices):
    """The ``kind`` of the e-mails about tickets in the outbox."""

    ACKNOWLEDGEMENT = "ack", _("Automated acknowledgement")
    AGENT_REPLY = "reply", _("Support reply")
    NEW_TICKET = "new", _("New ticket (to agents)")
    REQUESTER_REPLY = "update", _("Requester reply (to agents)")
    ACCESS_LINK = "link", _("Access link")
