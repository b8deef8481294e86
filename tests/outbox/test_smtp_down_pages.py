"""With the mail server down, every page that mails still answers, the mail is
queued, and no page claims that a mail was already sent."""

import pytest
from django.contrib.auth import get_user_model

from outbox.models import OutboundMail
from tests.factories import UserFactory
from tests.outbox.test_outbox import PASSWORD
from tests.support.ticket_helpers import ticket_form_data

pytestmark = pytest.mark.django_db

SMTP_DOWN = "tests.outbox.test_outbox.SmtpDownBackend"


@pytest.fixture(autouse=True)
def _smtp_down(settings):
    settings.EMAIL_BACKEND = SMTP_DOWN


def _queued_to(address):
    return OutboundMail.objects.filter(
        to=address, status__in=[OutboundMail.Status.PENDING, OutboundMail.Status.FAILED]
    )


def test_signup_with_smtp_down_answers_200_and_says_the_mail_is_on_its_way(client):
    response = client.post(
        "/en/accounts/signup/",
        {"email": "lea@example.org", "password1": PASSWORD, "password2": PASSWORD},
        follow=True,
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert "on its way" in html
    assert "We have sent" not in html
    assert "will be sent to lea@example.org" in html
    assert get_user_model().objects.filter(email="lea@example.org").exists()
    assert _queued_to("lea@example.org").count() == 1


@pytest.mark.parametrize(
    ("lang", "promise"), [("en", "on its way"), ("fr", "est en route")]
)
def test_password_reset_with_smtp_down_answers_200_and_queues_the_mail(
    client, lang, promise
):
    UserFactory(email="zoe@example.org")
    response = client.post(
        f"/{lang}/accounts/password/reset/", {"email": "zoe@example.org"}, follow=True
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert promise in html
    assert "We have sent" not in html
    assert _queued_to("zoe@example.org").count() == 1


@pytest.mark.parametrize(
    ("lang", "promise", "claim"),
    [
        ("en", "A confirmation will be sent to", "A confirmation was sent"),
        ("fr", "Une confirmation va être envoyée à", "a été envoyée"),
    ],
)
def test_ticket_page_says_the_confirmation_will_be_sent(client, lang, promise, claim):
    response = client.post(
        f"/{lang}/support/new/",
        ticket_form_data(email="camille@example.net"),
        follow=True,
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert promise in html
    assert claim not in html
    assert _queued_to("camille@example.net").exists()


def test_ticket_link_request_with_smtp_down_answers_200(client):
    client.post("/fr/support/new/", ticket_form_data(email="camille@example.net"))
    before = _queued_to("camille@example.net").count()
    response = client.post("/fr/support/link/", {"email": "camille@example.net"})
    assert response.status_code == 200
    assert _queued_to("camille@example.net").count() == before + 1
