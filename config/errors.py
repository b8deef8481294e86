"""Server errors reach people: Sentry when ``SENTRY_DSN`` is set, else ADMINS mail.

Django logs every 500 on the ``django.request`` logger; ``AdminErrorMailHandler``
turns the record into Django's usual plain-text report (no HTML page, so no
local variables travel by mail) and hands it to ``error_mail_send``, the one
place where an error mail leaves the site.
"""

from django.conf import settings
from django.core.mail import mail_admins
from django.utils.log import AdminEmailHandler


def error_mail_send(*, subject: str, body: str) -> None:
    """Send one error report to every address in ``ADMINS``.

    The single mail call for error reports: when the site-wide outbox lands,
    this becomes ``mail_queue(to=recipients, subject=subject, body=body,
    kind="error")`` and the handler below does not change.
    """
    recipients = [address for _name, address in settings.ADMINS]
    if not recipients:
        return
    mail_admins(subject, body, fail_silently=True)


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
