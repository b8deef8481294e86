"""Server errors reach people: Sentry when ``SENTRY_DSN`` is set, else ADMINS mail.

Django logs every 500 on the ``django.request`` logger; ``AdminErrorMailHandler``
turns the record into Django's usual plain-text report (no HTML page, so no
local variables travel by mail) and hands it to ``error_mail_send``, the one
place where an error mail leaves the site.
"""

from django.conf import settings
from django.core.mail import send_mail
from django.db import DatabaseError
from django.utils.log import AdminEmailHandler


def error_mail_send(*, subject: str, body: str) -> None:
    """Queue one error report to every address in ``ADMINS`` through the outbox
    (recorded, sent by the task backend, retried like every other mail)."""
    # Logging handlers are built while settings load, before the app registry is
    # ready: the outbox (models) can only be imported when a report is sent.
    from outbox.services import mail_queue  # noqa: PLC0415

    recipients = [address for _name, address in settings.ADMINS]
    if not recipients:
        return
    subject = f"{settings.EMAIL_SUBJECT_PREFIX}{subject}"
    try:
        mail_queue(to=recipients, subject=subject, body=body, kind="error")
    except DatabaseError:
        # The error may be the database itself: the outbox cannot record the
        # report then, so it leaves directly rather than not at all.
        send_mail(subject, body, None, recipients, fail_silently=True)


class AdminErrorMailHandler(AdminEmailHandler):
    """Django's admin error mail, sent through ``error_mail_send``."""

    def __init__(self):
        super().__init__(include_html=False)

    def emit(self, record):
        if not settings.ADMINS:
            return
        try:
            super().emit(record)
        except Exception:
            # The report of a failure must not fail the request a second time.
            self.handleError(record)

    def send_mail(self, subject, message, *args, **kwargs):
        error_mail_send(subject=subject, body=message)
