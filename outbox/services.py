"""The one way the site sends e-mail: record the mail, then send it on the task
backend. Nothing is lost when the mail server or the queue is down."""

from collections.abc import Iterable
from datetime import datetime

from django.utils import timezone

from outbox import selectors
from outbox.models import OutboundMail
from outbox.tasks import mail_deliver, mail_enqueue


def mail_queue(
    *,
    to: list[str],
    subject: str,
    body: str,
    kind: str,
    html_body: str | None = None,
    reply_to: list[str] | None = None,
    headers: dict | None = None,
    language: str | None = None,
) -> OutboundMail:
    """Record an e-mail, then hand it to the task backend.

    The row is written first so nothing is lost when the backend or the mail
    server is down: `manage.py mail_retry` picks up what is left.
    """
    mail = OutboundMail.objects.create(
        kind=kind,
        to=", ".join(a.strip() for a in to if a and a.strip()),
        reply_to=", ".join(reply_to or []),
        # A header may not span lines; templates often end with a newline.
        subject=" ".join(subject.split())[:255],
        body=body,
        html_body=html_body or "",
        headers=headers or {},
        language=(language or "")[:8],
    )
    mail_enqueue(mail=mail)
    return mail


def mail_retry(
    *,
    now: datetime | None = None,
    include_failed: bool = False,
    mails: Iterable[OutboundMail] | None = None,
) -> tuple[int, int]:
    """Deliver every pending e-mail that is due (and failed ones when asked).

    Returns ``(sent, still_failing)`` counts.
    """
    now = now or timezone.now()
    if mails is None:
        mails = selectors.mail_due(now=now, include_failed=include_failed)
    sent = failing = 0
    for mail in mails:
        if mail.status == OutboundMail.Status.FAILED:
            # An explicit retry gives a given-up mail a fresh series of attempts.
            mail.attempts = 0
        if mail_deliver(mail=mail):
            sent += 1
        else:
            failing += 1
    return sent, failing
