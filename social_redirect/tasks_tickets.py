"""Background work for support tickets: e-mail delivery with retries."""

from django_tasks import task


@task()
def ticket_mail_send(mail_id):
    """Deliver one recorded e-mail; a failure is recorded on the row, not raised,
    so the immediate backend never turns a mail outage into an error page."""
    from social_redirect.models import OutboundMail
    from social_redirect.services.tickets import outbound_mail_deliver

    mail = OutboundMail.objects.filter(pk=mail_id).first()
    if mail is None or mail.status == OutboundMail.Status.SENT:
        return None
    return outbound_mail_deliver(mail)
