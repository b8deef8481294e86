"""Writes for private support tickets: creation, replies, workflow, e-mail."""

from collections.abc import Iterable
from datetime import datetime, timedelta
from typing import Any

from django.conf import settings
from django.contrib.auth.models import AbstractBaseUser, AnonymousUser
from django.core import signing
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import ngettext

from accounts.selectors import user_language
from config.sanitize import markdown_to_html, plain_text
from outbox.models import OutboundMail
from outbox.services import mail_queue
from support.models import (
    MailKind,
    Ticket,
    TicketAttachment,
    TicketDeflection,
    TicketMessage,
)
from support.selectors import TICKET_HEADER, support_agents
from support.signals import ticket_created

ACCESS_SALT = "entraide.ticket-access"
# Requester addresses of tickets at most this many in one access-link mail.
ACCESS_LINKS_MAX = 20


# --- Signed access links for requesters without an account ------------------


def _access_salt(ticket: Ticket) -> str:
    # The address is part of the salt, not the payload: the link does not show
    # it, and correcting a ticket's address invalidates links sent before.
    return f"{ACCESS_SALT}:{ticket.requester_email.lower()}"


def ticket_access_token(ticket: Ticket) -> str:
    return signing.dumps({"t": str(ticket.public_id)}, salt=_access_salt(ticket))


def ticket_access_token_valid(ticket: Ticket, token: str | None) -> bool:
    """True when ``token`` was issued for this ticket and has not expired."""
    if not token:
        return False
    try:
        data = signing.loads(
            token,
            salt=_access_salt(ticket),
            max_age=timedelta(days=settings.TICKET_ACCESS_LINK_DAYS),
        )
    except (signing.BadSignature, ValueError, TypeError):
        return False
    return isinstance(data, dict) and data.get("t") == str(ticket.public_id)


def ticket_requester_url(ticket: Ticket) -> str:
    """Absolute link for the requester, in the requester's language.

    Members sign in to read it; anyone else gets a signed, expiring link.
    """
    with translation.override(ticket.language):
        path = ticket.get_absolute_url()
    url = settings.SITE_URL + path
    if ticket.requester_id is None:
        url += "?access=" + ticket_access_token(ticket)
    return url


def _agent_url(ticket: Ticket, language: str) -> str:
    with translation.override(language):
        return settings.SITE_URL + ticket.get_absolute_url()


def duration_text(minutes: int) -> str:
    """'1 hour', '2 days', '90 minutes': the promise as a person reads it."""
    if minutes and minutes % (24 * 60) == 0:
        days = minutes // (24 * 60)
        return ngettext("%(n)d day", "%(n)d days", days) % {"n": days}
    if minutes and minutes % 60 == 0:
        hours = minutes // 60
        return ngettext("%(n)d hour", "%(n)d hours", hours) % {"n": hours}
    return ngettext("%(n)d minute", "%(n)d minutes", minutes) % {"n": minutes}


# --- Outbound e-mail ----------------------------------------------------------


def _mail_render(
    template: str, language: str, context: dict[str, Any]
) -> tuple[str, str]:
    with translation.override(language):
        subject = render_to_string(f"support/email/{template}_subject.txt", context)
        body = render_to_string(f"support/email/{template}_body.txt", context)
    return " ".join(subject.split()), body.strip() + "\n"


# RFC 3834: mail robots and vacation responders must not answer it.
AUTOMATED_HEADERS = {
    "Auto-Submitted": "auto-replied",
    "X-Auto-Response-Suppress": "All",
}


def _ticket_mail_queue(
    *,
    kind: str,
    to: str,
    subject: str,
    body: str,
    language: str,
    ticket: Ticket | None = None,
    automated: bool = False,
) -> OutboundMail:
    headers = dict(AUTOMATED_HEADERS) if automated else {}
    if ticket is not None:
        headers[TICKET_HEADER] = ticket.reference
    return mail_queue(
        to=[to],
        subject=subject,
        body=body,
        kind=kind,
        headers=headers,
        language=language,
    )


def _agents_to_notify(ticket: Ticket) -> list[AbstractBaseUser]:
    if ticket.assignee_id and ticket.assignee.email and ticket.assignee.is_active:
        return [ticket.assignee]
    return [agent for agent in support_agents() if agent.email]


def _notify_agents(ticket: Ticket, message: TicketMessage, kind: str) -> None:
    template = "agent_new" if kind == MailKind.NEW_TICKET else "agent_update"
    for agent in _agents_to_notify(ticket):
        language = user_language(agent)
        subject, body = _mail_render(
            template,
            language,
            {
                "ticket": ticket,
                "message_text": _message_text(message),
                "url": _agent_url(ticket, language),
            },
        )
        _ticket_mail_queue(
            kind=kind,
            to=agent.email,
            subject=subject,
            body=body,
            language=language,
            ticket=ticket,
        )


def _message_text(message: TicketMessage) -> str:
    return plain_text(message.body_html).strip()


# --- Tickets ------------------------------------------------------------------


def _attachments_save(
    ticket: Ticket, message: TicketMessage, files: Iterable[UploadedFile]
) -> None:
    for upload in files:
        TicketAttachment.objects.create(
            ticket=ticket,
            message=message,
            file=upload,
            original_name=upload.name[:200],
            content_type=(getattr(upload, "content_type", "") or "")[:100],
            size=upload.size,
        )


def ticket_create(
    *,
    subject: str,
    description: str,
    category: str,
    language: str,
    user: AbstractBaseUser | AnonymousUser | None = None,
    email: str = "",
    context: dict | None = None,
    files: Iterable[UploadedFile] = (),
) -> Ticket:
    """Open a ticket, acknowledge it automatically and tell the agents."""
    if user is not None and not user.is_authenticated:
        user = None
    requester_email = (user.email if user and user.email else email).strip()
    with transaction.atomic():
        ticket = Ticket.objects.create(
            requester=user,
            requester_email=requester_email,
            language=language,
            subject=" ".join(subject.split())[:200],
            category=category,
            context=context or {},
        )
        message = TicketMessage.objects.create(
            ticket=ticket,
            kind=TicketMessage.Kind.REQUESTER,
            author=user,
            body_html=markdown_to_html(description),
            created_at=ticket.created_at,
        )
        _attachments_save(ticket, message, files)
    # Outside the atomic block: the ticket is committed whatever the mail does.
    ticket_created.send(sender=Ticket, ticket=ticket)
    subject_line, body = _mail_render(
        "acknowledgement",
        ticket.language,
        {
            "ticket": ticket,
            "url": ticket_requester_url(ticket),
            "first_response": duration_in(
                ticket.language, settings.TICKET_FIRST_RESPONSE_MINUTES
            ),
            "resolution": duration_in(
                ticket.language, settings.TICKET_RESOLUTION_MINUTES
            ),
            "is_member": ticket.requester_id is not None,
            "link_days": settings.TICKET_ACCESS_LINK_DAYS,
        },
    )
    _ticket_mail_queue(
        kind=MailKind.ACKNOWLEDGEMENT,
        to=ticket.requester_email,
        subject=subject_line,
        body=body,
        language=ticket.language,
        ticket=ticket,
        automated=True,
    )
    _notify_agents(ticket, message, MailKind.NEW_TICKET)
    return ticket


def duration_in(language: str, minutes: int) -> str:
    with translation.override(language):
        return duration_text(minutes)


def ticket_message_add(
    *,
    ticket: Ticket,
    author: AbstractBaseUser | AnonymousUser | None,
    body: str,
    kind: str,
    files: Iterable[UploadedFile] = (),
    status: str | None = None,
) -> TicketMessage:
    """Add a requester message, a public agent reply or an internal note.

    A public agent reply is e-mailed to the requester and counts as the first
    response; a requester message reopens the ticket and alerts the team.
    """
    now = timezone.now()
    with transaction.atomic():
        ticket = Ticket.objects.select_for_update().get(pk=ticket.pk)
        message = TicketMessage.objects.create(
            ticket=ticket,
            kind=kind,
            author=author if author and author.is_authenticated else None,
            body_html=markdown_to_html(body),
            created_at=now,
        )
        _attachments_save(ticket, message, files)
        fields = []
        if kind == TicketMessage.Kind.AGENT:
            if ticket.first_response_at is None:
                ticket.first_response_at = now
                fields.append("first_response_at")
            new_status = status or Ticket.Status.WAITING
        elif kind == TicketMessage.Kind.REQUESTER:
            # Back in the team's court; still "new" while nobody has answered.
            new_status = (
                Ticket.Status.OPEN if ticket.first_response_at else Ticket.Status.NEW
            )
        else:
            new_status = status or ticket.status
        _status_apply(ticket, new_status, now, fields)
        if kind == TicketMessage.Kind.AGENT and ticket.assignee_id is None and author:
            ticket.assignee = author
            fields.append("assignee")
        ticket.save(update_fields=[*fields, "updated_at"])
    if kind == TicketMessage.Kind.AGENT:
        subject, mail_body = _mail_render(
            "agent_reply",
            ticket.language,
            {
                "ticket": ticket,
                "message_text": _message_text(message),
                "url": ticket_requester_url(ticket),
                "solved": ticket.status == Ticket.Status.SOLVED,
            },
        )
        _ticket_mail_queue(
            kind=MailKind.AGENT_REPLY,
            to=ticket.requester_email,
            subject=subject,
            body=mail_body,
            language=ticket.language,
            ticket=ticket,
        )
    elif kind == TicketMessage.Kind.REQUESTER:
        _notify_agents(ticket, message, MailKind.REQUESTER_REPLY)
    return message


def _status_apply(
    ticket: Ticket, status: str, now: datetime, fields: list[str]
) -> None:
    if status == ticket.status:
        return
    ticket.status = status
    fields.append("status")
    if status == Ticket.Status.SOLVED:
        ticket.solved_at = now
        fields.append("solved_at")
    elif (
        status in (Ticket.Status.NEW, Ticket.Status.OPEN, Ticket.Status.WAITING)
        and ticket.solved_at is not None
    ):
        # Reopened: a new rating will be asked when it is solved again.
        ticket.solved_at = None
        ticket.rating = ""
        ticket.rated_at = None
        fields.extend(["solved_at", "rating", "rated_at"])


def ticket_update(
    *, ticket: Ticket, status: str, priority: int, assignee: AbstractBaseUser | None
) -> Ticket:
    """Agents' workflow change: status, priority, assignment."""
    now = timezone.now()
    with transaction.atomic():
        ticket = Ticket.objects.select_for_update().get(pk=ticket.pk)
        fields = []
        _status_apply(ticket, status, now, fields)
        if ticket.priority != priority:
            ticket.priority = priority
            fields.append("priority")
        if ticket.assignee_id != (assignee.pk if assignee else None):
            ticket.assignee = assignee
            fields.append("assignee")
        if fields:
            ticket.save(update_fields=[*fields, "updated_at"])
    return ticket


def ticket_rate(*, ticket: Ticket, rating: str) -> bool:
    """One-click satisfaction rating, only once the ticket is solved."""
    if ticket.status != Ticket.Status.SOLVED or rating not in Ticket.Rating.values:
        return False
    ticket.rating = rating
    ticket.rated_at = timezone.now()
    ticket.save(update_fields=["rating", "rated_at", "updated_at"])
    return True


def ticket_deflection_record(
    *,
    url: str,
    title: str = "",
    kind: str = "",
    query: str = "",
    language: str,
    user: AbstractBaseUser | AnonymousUser | None = None,
    context_kind: str = "",
) -> TicketDeflection:
    return TicketDeflection.objects.create(
        url=url[:500],
        title=title[:255],
        kind=kind[:10],
        query=query[:200],
        language=language[:8],
        user=user if user is not None and user.is_authenticated else None,
        context_kind=context_kind[:20],
    )


def ticket_access_links_send(*, email: str, language: str) -> OutboundMail | None:
    """E-mail fresh links to the tickets of ``email``.

    Sends nothing when the address has no ticket; the caller answers the same
    either way so the page does not reveal who wrote to support.
    """
    email = email.strip()
    tickets = list(
        Ticket.objects.filter(requester_email__iexact=email).order_by("-created_at")[
            :ACCESS_LINKS_MAX
        ]
    )
    if not tickets:
        return None
    with translation.override(language):
        my_tickets = settings.SITE_URL + reverse("support:ticket_list")
    links = [
        {"ticket": t, "url": ticket_requester_url(t)}
        for t in tickets
        if t.requester_id is None
    ]
    subject, body = _mail_render(
        "access_links",
        language,
        {
            "links": links,
            "has_member_tickets": any(t.requester_id for t in tickets),
            "my_tickets_url": my_tickets,
            "link_days": settings.TICKET_ACCESS_LINK_DAYS,
        },
    )
    return _ticket_mail_queue(
        kind=MailKind.ACCESS_LINK,
        to=email,
        subject=subject,
        body=body,
        language=language,
        automated=True,
    )
