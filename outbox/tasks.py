"""Sending one recorded e-mail, on the task backend, with retries and backoff."""

import logging
from datetime import datetime, timedelta

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.utils import timezone
from django_tasks import task

from outbox.models import OutboundMail

logger = logging.getLogger(__name__)


@task()
def mail_send(mail_id: int) -> bool | None:
    """Deliver one recorded e-mail; a failure is recorded on the row, not raised,
    so the immediate backend never turns a mail outage into an error page."""
    mail = OutboundMail.objects.filter(pk=mail_id).first()
    if mail is None or mail.status == OutboundMail.Status.SENT:
        return None
    return mail_deliver(mail=mail)


def mail_enqueue(*, mail: OutboundMail, run_after: datetime | None = None) -> None:
    """Hand a recorded mail to the task backend; a broken queue leaves the row
    pending for `manage.py mail_retry`."""
    try:
        send = mail_send
        if run_after is not None:
            if not send.get_backend().supports_defer:
                # An immediate backend would retry at once, in a loop: leave
                # the retry to `manage.py mail_retry` (cron).
                return
            send = send.using(run_after=run_after)
        send.enqueue(mail.pk)
    except Exception as exc:  # a broken queue must not lose the mail
        logger.exception("Could not enqueue mail %s", mail.pk)
        OutboundMail.objects.filter(
            pk=mail.pk, status=OutboundMail.Status.PENDING
        ).update(last_error=f"enqueue: {exc!r}"[:2000])


def _retry_delay(attempts):
    # 2, 4, 8 … minutes, at most six hours between attempts.
    return timedelta(minutes=min(2**attempts, 360))


def mail_deliver(*, mail: OutboundMail) -> bool:
    """Send one recorded e-mail now; record success or the failure (and the
    next attempt, with backoff)."""
    mail.attempts += 1
    now = timezone.now()
    message = EmailMultiAlternatives(
        subject=mail.subject,
        body=mail.body,
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=mail.recipients,
        reply_to=mail.reply_to_list or None,
        headers=mail.headers or None,
    )
    if mail.html_body:
        message.attach_alternative(mail.html_body, "text/html")
    try:
        message.send()
    except Exception as exc:  # any backend error: SMTP, DNS, socket, auth
        logger.warning("Mail %s failed (attempt %s): %r", mail.pk, mail.attempts, exc)
        mail.last_error = f"{type(exc).__name__}: {exc}"[:2000]
        if mail.attempts >= settings.MAIL_MAX_ATTEMPTS:
            mail.status = OutboundMail.Status.FAILED
        else:
            mail.status = OutboundMail.Status.PENDING
            mail.next_attempt_at = now + _retry_delay(mail.attempts)
        mail.save(update_fields=["attempts", "last_error", "status", "next_attempt_at"])
        if mail.status == OutboundMail.Status.PENDING:
            mail_enqueue(mail=mail, run_after=mail.next_attempt_at)
        return False
    mail.status = OutboundMail.Status.SENT
    mail.sent_at = now
    mail.save(update_fields=["attempts", "status", "sent_at"])
    return True
