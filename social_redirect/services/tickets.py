"""Writes for private support tickets: creation, replies, workflow, e-mail."""

import logging
from datetime import timedelta

from django.conf import settings
from django.core import signing
from django.core.mail import EmailMessage
from django.db import transaction
from django.db.models import Q
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import ngettext

from accounts.selectors import user_language
from config.sanitize import markdown_to_html, plain_text
from social_redirect.models import (
    OutboundMail,
    Ticket,
    TicketAttachment,
    TicketDeflection,
    TicketMessage,
)

logger = logging.getLogger(__name__)

ACCESS_SALT = "entraide.ticket-access"
# Requester addresses of tickets at most this many in one access-link mail.
ACCESS_LINKS_MAX = 20
QUEUE_GRACE = timedelta(minutes=5)


# --- Signed access links for requesters without an account ------------------


def _access_salt(ticket):
    # The address is part of the salt, not the payload: the link does not show
    # it, and correcting a ticket's address invalidates links sent before.
    return f"{ACCESS_SALT}:{ticket.requester_email.lower()}"


def ticket_access_token(ticket):
    return signing.dumps({"t": str(ticket.public_id)}, salt=_access_salt(ticket))


def ticket_access_token_valid(ticket, token):
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


def ticket_requester_url(ticket):
    """Absolute link for the requester, in the requester's language.

    Members sign in to read it; anyone else gets a signed, expiring link.
    """
    with translation.override(ticket.language):
        path = ticket.get_absolute_url()
    url = settings.SITE_URL + path
    if ticket.requester_id is None:
        url += "?access=" + ticket_access_token(ticket)
    return url


def _agent_url(ticket, language):
    with translation.override(language):
        return settings.SITE_URL + ticket.get_absolute_url()


def duration_text(minutes):
    """'1 hour', '2 days', '90 minutes': the promise as a person reads it."""
    if minutes and minutes % (24 * 60) == 0:
        days = minutes // (24 * 60)
        return ngettext("%(n)d day", "%(n)d days", days) % {"n": days}
    if minutes and minutes % 60 == 0:
        hours = minutes // 60
        return ngettext("%(n)d hour", "%(n)d hours", hours) % {"n": hours}
    return ngettext("%(n)d minute", "%(n)d minutes", minutes) % {"n": minutes}


# --- Outbound e-mail ----------------------------------------------------------


def _mail_render(template, language, context):
    with translation.override(language):
        subject = render_to_string(
            f"social_redirect/tickets/email/{template}_subject.txt", context
        )
        body = render_to_string(
            f"social_redirect/tickets/email/{template}_body.txt", context
        )
    return " ".join(subject.split()), body.strip() + "\n"


def outbound_mail_queue(*, kind, to, subject, body, ticket=None, automated=False):
    """Record an e-mail, then hand it to the task backend.

    The row is written first so nothing is lost when the backend or the mail
    server is down: `manage.py tickets_retry_mail` picks up what is left.
    """
    headers = {}
    if automated:
        # RFC 3834: mail robots and vacation responders must not answer it.
        headers = {"Auto-Submitted": "auto-replied", "X-Auto-Response-Suppress": "All"}
    mail = OutboundMail.objects.create(
        ticket=ticket, kind=kind, to=to, subject=subject, body=body, headers=headers
    )
    _mail_enqueue(mail)
    return mail


def _mail_enqueue(mail, run_after=None):
    from social_redirect.tasks_tickets import ticket_mail_send

    try:
        task = ticket_mail_send
        if run_after is not None:
            if not task.get_backend().supports_defer:
                # An immediate backend would retry at once, in a loop: leave
                # the retry to `manage.py tickets_retry_mail` (cron).
                return
            task = task.using(run_after=run_after)
        task.enqueue(mail.pk)
    except Exception as exc:  # a broken queue must not lose the ticket
        logger.exception("Could not enqueue ticket mail %s", mail.pk)
        OutboundMail.objects.filter(
            pk=mail.pk, status=OutboundMail.Status.PENDING
        ).update(last_error=f"enqueue: {exc!r}"[:2000])


def _retry_delay(attempts):
    # 2, 4, 8 … minutes, at most six hours between attempts.
    return timedelta(minutes=min(2**attempts, 360))


def outbound_mail_deliver(mail):
    """Send one recorded e-mail now; record success or the failure. Returns bool."""
    mail.attempts += 1
    now = timezone.now()
    try:
        EmailMessage(
            subject=mail.subject,
            body=mail.body,
            from_email=settings.DEFAULT_FROM_EMAIL,
            to=[mail.to],
            headers=mail.headers or None,
        ).send()
    except Exception as exc:  # any backend error: SMTP, DNS, socket, auth
        logger.warning(
            "Ticket mail %s failed (attempt %s): %r", mail.pk, mail.attempts, exc
        )
        mail.last_error = f"{type(exc).__name__}: {exc}"[:2000]
        if mail.attempts >= settings.TICKET_MAIL_MAX_ATTEMPTS:
            mail.status = OutboundMail.Status.FAILED
        else:
            mail.status = OutboundMail.Status.PENDING
            mail.next_attempt_at = now + _retry_delay(mail.attempts)
        mail.save(update_fields=["attempts", "last_error", "status", "next_attempt_at"])
        if mail.status == OutboundMail.Status.PENDING:
            _mail_enqueue(mail, run_after=mail.next_attempt_at)
        return False
    mail.status = OutboundMail.Status.SENT
    mail.sent_at = now
    mail.save(update_fields=["attempts", "status", "sent_at"])
    return True


def outbound_mail_retry(*, now=None, include_failed=False, mails=None):
    """Deliver every pending e-mail that is due (and failed ones when asked).

    Returns ``(sent, still_failing)`` counts.
    """
    now = now or timezone.now()
    if mails is None:
        mails = outbound_mail_due(now=now, include_failed=include_failed)
    sent = failing = 0
    for mail in mails:
        if mail.status == OutboundMail.Status.FAILED:
            # An explicit retry gives a given-up mail a fresh series of attempts.
            mail.attempts = 0
        if outbound_mail_deliver(mail):
            sent += 1
        else:
            failing += 1
    return sent, failing


def outbound_mail_due(*, now=None, include_failed=False):
    now = now or timezone.now()
    statuses = [OutboundMail.Status.PENDING]
    if include_failed:
        statuses.append(OutboundMail.Status.FAILED)
    qs = OutboundMail.objects.filter(status__in=statuses)
    if not include_failed:
        # Never tried yet: leave the task queue a few minutes to do its job,
        # so a mail is not sent twice by the queue and by this retry.
        qs = qs.filter(
            Q(attempts__gt=0, next_attempt_at__lte=now)
            | Q(attempts=0, created_at__lte=now - QUEUE_GRACE)
        )
    return qs.order_by("created_at")


def _agents_to_notify(ticket):
    from social_redirect.selectors_tickets import support_agents

    if ticket.assignee_id and ticket.assignee.email and ticket.assignee.is_active:
        return [ticket.assignee]
    return [agent for agent in support_agents() if agent.email]


def _agent_language(agent):
    return user_language(agent)


def _notify_agents(ticket, message, kind):
    template = "agent_new" if kind == OutboundMail.Kind.NEW_TICKET else "agent_update"
    for agent in _agents_to_notify(ticket):
        language = _agent_language(agent)
        subject, body = _mail_render(
            template,
            language,
            {
                "ticket": ticket,
                "message_text": _message_text(message),
                "url": _agent_url(ticket, language),
            },
        )
        outbound_mail_queue(
            kind=kind, to=agent.email, subject=subject, body=body, ticket=ticket
        )


def _message_text(message):
    return plain_text(message.body_html).strip()


# --- Tickets ------------------------------------------------------------------


def _attachments_save(ticket, message, files):
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
    subject,
    description,
    category,
    language,
    user=None,
    email="",
    context=None,
    files=(),
):
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
    outbound_mail_queue(
        kind=OutboundMail.Kind.ACKNOWLEDGEMENT,
        to=ticket.requester_email,
        subject=subject_line,
        body=body,
        ticket=ticket,
        automated=True,
    )
    _notify_agents(ticket, message, OutboundMail.Kind.NEW_TICKET)
    return ticket


def duration_in(language, minutes):
    with translation.override(language):
        return duration_text(minutes)


def ticket_message_add(*, ticket, author, body, kind, files=(), status=None):
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
        outbound_mail_queue(
            kind=OutboundMail.Kind.AGENT_REPLY,
            to=ticket.requester_email,
            subject=subject,
            body=mail_body,
            ticket=ticket,
        )
    elif kind == TicketMessage.Kind.REQUESTER:
        _notify_agents(ticket, message, OutboundMail.Kind.REQUESTER_REPLY)
    return message


def _status_apply(ticket, status, now, fields):
    if status == ticket.status:
        return
    ticket.status = status
    fields.append("status")
    if status == Ticket.Status.SOLVED:
        ticket.solved_at = now
        fields.append("solved_at")
    elif status in (Ticket.Status.NEW, Ticket.Status.OPEN, Ticket.Status.WAITING):
        if ticket.solved_at is not None:
            # Reopened: a new rating will be asked when it is solved again.
            ticket.solved_at = None
            ticket.rating = ""
            ticket.rated_at = None
            fields.extend(["solved_at", "rating", "rated_at"])


def ticket_update(*, ticket, status, priority, assignee):
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


def ticket_rate(*, ticket, rating):
    """One-click satisfaction rating, only once the ticket is solved."""
    if ticket.status != Ticket.Status.SOLVED or rating not in Ticket.Rating.values:
        return False
    ticket.rating = rating
    ticket.rated_at = timezone.now()
    ticket.save(update_fields=["rating", "rated_at", "updated_at"])
    return True


def ticket_deflection_record(
    *, url, title="", kind="", query="", language, user=None, context_kind=""
):
    return TicketDeflection.objects.create(
        url=url[:500],
        title=title[:255],
        kind=kind[:10],
        query=query[:200],
        language=language[:8],
        user=user if user is not None and user.is_authenticated else None,
        context_kind=context_kind[:20],
    )


def ticket_access_links_send(*, email, language):
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
        my_tickets = settings.SITE_URL + reverse("social_redirect:ticket_list")
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
    return outbound_mail_queue(
        kind=OutboundMail.Kind.ACCESS_LINK,
        to=email,
        subject=subject,
        body=body,
        automated=True,
    )
