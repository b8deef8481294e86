"""One outbound mail path: rows first, task delivery, backoff, retry, allauth."""

import io
from datetime import timedelta

import pytest
from allauth.account.models import EmailAddress
from django.contrib.auth import get_user_model
from django.core import mail
from django.core.mail.backends.base import BaseEmailBackend
from django.core.management import call_command
from django.utils import timezone
from freezegun import freeze_time

from outbox.models import OutboundMail
from outbox.services import mail_queue

pytestmark = pytest.mark.django_db

PASSWORD = "Une phrase de passe solide 42"


class SmtpDownBackend(BaseEmailBackend):
    def send_messages(self, email_messages):
        raise ConnectionRefusedError("smtp.entraide.example:587 refused the connection")


def test_queued_mail_is_recorded_then_sent_with_html_reply_to_and_headers():
    row = mail_queue(
        to=["ana@example.org", "bo@example.org"],
        subject="Votre demande\n",
        body="Bonjour",
        html_body="<p>Bonjour</p>",
        reply_to=["agents@entraide.example"],
        headers={"X-Test": "1"},
        kind="test",
        language="fr",
    )
    row.refresh_from_db()
    assert row.status == OutboundMail.Status.SENT and row.attempts == 1
    [sent] = mail.outbox
    assert sent.to == ["ana@example.org", "bo@example.org"]
    assert sent.subject == "Votre demande"
    assert sent.reply_to == ["agents@entraide.example"]
    assert sent.extra_headers["X-Test"] == "1"
    assert sent.alternatives[0][0] == "<p>Bonjour</p>"


def test_smtp_down_keeps_the_mail_backs_off_and_the_command_resends(settings):
    settings.EMAIL_BACKEND = f"{__name__}.SmtpDownBackend"
    with freeze_time("2026-05-04 09:00:00") as clock:
        row = mail_queue(to=["ana@example.org"], subject="S", body="B", kind="test")
        row.refresh_from_db()
        assert (row.status, row.attempts) == (OutboundMail.Status.PENDING, 1)
        assert "refused the connection" in row.last_error
        assert row.next_attempt_at == row.created_at + timedelta(minutes=2)
        # Not due yet: nothing is tried.
        call_command("mail_retry", stdout=io.StringIO())
        row.refresh_from_db()
        assert row.attempts == 1
        clock.tick(timedelta(minutes=3))
        call_command("mail_retry", stdout=io.StringIO())
        row.refresh_from_db()
        assert row.attempts == 2
        # Backoff: 2, 4, 8… minutes after each failure.
        assert row.next_attempt_at - timezone.now() == timedelta(minutes=4)
        settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
        clock.tick(timedelta(minutes=5))
        out = io.StringIO()
        call_command("mail_retry", stdout=out)
    row.refresh_from_db()
    assert row.status == OutboundMail.Status.SENT
    assert "1 sent, 0 still failing" in out.getvalue()
    assert [m.to for m in mail.outbox] == [["ana@example.org"]]


def test_failed_mails_are_listed_for_staff_in_the_django_admin(client, settings):
    settings.EMAIL_BACKEND = f"{__name__}.SmtpDownBackend"
    mail_queue(to=["ana@example.org"], subject="Réponse", body="B", kind="test")
    admin = get_user_model().objects.create_superuser(
        "root", "root@entraide.example", PASSWORD
    )
    client.force_login(admin)
    page = client.get("/django-admin/outbox/outboundmail/?status=pending")
    assert page.status_code == 200
    assert "ana@example.org" in page.content.decode()
    row = OutboundMail.objects.get()
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    response = client.post(
        "/django-admin/outbox/outboundmail/",
        {"action": "retry_now", "_selected_action": [row.pk]},
    )
    assert response.status_code == 302
    row.refresh_from_db()
    assert row.status == OutboundMail.Status.SENT


def test_signup_succeeds_with_smtp_down_and_the_confirmation_is_kept(client, settings):
    settings.EMAIL_BACKEND = f"{__name__}.SmtpDownBackend"
    settings.SITE_NAME = "Entraide Test"
    response = client.post(
        "/fr/accounts/signup/",
        {"email": "new@example.org", "password1": PASSWORD, "password2": PASSWORD},
    )
    assert response.status_code == 302
    assert EmailAddress.objects.filter(email="new@example.org").exists()
    row = OutboundMail.objects.get(kind="account")
    assert row.status == OutboundMail.Status.PENDING and row.to == "new@example.org"
    assert row.subject.startswith("[Entraide Test] ")
    assert "Entraide Test" in row.body and "/accounts/confirm-email/" in row.body
    assert row.language == "fr"

    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    call_command("mail_retry", "--failed", stdout=io.StringIO())
    [sent] = mail.outbox
    assert sent.to == ["new@example.org"]
    assert sent.subject.startswith("[Entraide Test] ")


def test_password_reset_mail_goes_through_the_outbox(client):
    user = get_user_model().objects.create_user("zoe", "zoe@example.org", PASSWORD)
    EmailAddress.objects.create(
        user=user, email=user.email, verified=True, primary=True
    )
    response = client.post("/en/accounts/password/reset/", {"email": "zoe@example.org"})
    assert response.status_code == 302
    row = OutboundMail.objects.get(kind="account")
    assert row.status == OutboundMail.Status.SENT
    assert [m.to for m in mail.outbox] == [["zoe@example.org"]]
