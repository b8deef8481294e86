import re

import pytest
from django.core import mail

from status.models import Subscriber
from status.services import incident_change
from tests.status.helpers import demo_components, open_incident

pytestmark = pytest.mark.django_db


def _link(message, fragment):
    return re.search(rf"https?://\S+{fragment}\S+", message.body).group(0)


def test_subscriber_confirms_gets_update_in_their_language_and_unsubscribes(
    client, django_capture_on_commit_callbacks
):
    demo_components()
    response = client.post("/en/status/subscribe/", {"email": "Lea@Example.org"})
    assert response.status_code == 200
    assert "Check your e-mail" in response.content.decode()
    [confirmation] = mail.outbox
    assert confirmation.to == ["lea@example.org"]
    confirm_url = _link(confirmation, "/en/status/subscribe/")
    assert "Subscription confirmed" in client.get(confirm_url).content.decode()
    mail.outbox.clear()

    with django_capture_on_commit_callbacks(execute=True):
        incident = open_incident(
            title_fr="Panne internet",
            title_en="Internet outage",
            message_fr="On enquête.",
            message_en="Investigating.",
        )
    with django_capture_on_commit_callbacks(execute=True):
        incident_change(
            incident=incident,
            author=None,
            kind="incident",
            title_fr=incident.title_fr,
            title_en=incident.title_en,
            status="identified",
            started_at=incident.started_at,
            states={demo_components()["internet"]: "major_outage"},
            message_fr="Cause trouvée.",
            message_en="Cause found.",
        )
    assert len(mail.outbox) == 2
    update = mail.outbox[-1]
    assert update.to == ["lea@example.org"]
    assert "Internet outage" in update.subject and "Cause found." in update.body
    assert "Cause trouvée" not in update.body
    unsubscribe = _link(update, "/en/status/unsubscribe/")
    assert update.extra_headers["List-Unsubscribe"] == f"<{unsubscribe}>"
    assert "unsubscribed" in client.get(unsubscribe).content.decode()
    assert not Subscriber.objects.exists()
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        open_incident(title_fr="Autre panne")
    assert mail.outbox == []


def test_unconfirmed_subscriber_gets_nothing(
    client, django_capture_on_commit_callbacks
):
    demo_components()
    client.post("/fr/status/subscribe/", {"email": "paul@example.org"})
    assert len(mail.outbox) == 1
    assert "Confirmez" in mail.outbox[0].subject
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        open_incident()
    assert mail.outbox == []


def test_subscription_per_component(client, django_capture_on_commit_callbacks):
    components = demo_components()
    client.post(
        "/fr/status/subscribe/",
        {"email": "mobile@example.org", "components": [components["mobile"].pk]},
    )
    client.get(_link(mail.outbox[0], "/fr/status/subscribe/"))
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        open_incident()  # Internet only
    assert mail.outbox == []
    with django_capture_on_commit_callbacks(execute=True):
        open_incident(states={components["mobile"]: "degraded"}, title_fr="4G lente")
    [sent] = mail.outbox
    assert "4G lente" in sent.subject and "désinscri" in sent.body.lower()


def test_forged_tokens_are_refused_with_a_clear_page(client):
    assert client.get("/fr/status/subscribe/forged/").status_code == 400
    assert client.get("/fr/status/unsubscribe/forged/").status_code == 400


def test_bad_email_is_a_form_error(client):
    response = client.post("/fr/status/subscribe/", {"email": "pas-un-mail"})
    assert response.status_code == 200
    assert 'aria-invalid="true"' in response.content.decode()
    assert mail.outbox == []


def test_resubscribing_an_address_changes_nothing_until_confirmed(client):
    components = demo_components()
    client.post("/fr/status/subscribe/", {"email": "zoe@example.org"})
    client.get(_link(mail.outbox[0], "/fr/status/subscribe/"))
    subscriber = Subscriber.objects.get()
    assert subscriber.confirmed_at and not subscriber.components.exists()
    mail.outbox.clear()
    # Someone else narrows Zoé's subscription to Mobile, in English.
    client.post(
        "/en/status/subscribe/",
        {"email": "zoe@example.org", "components": [components["mobile"].pk]},
    )
    subscriber.refresh_from_db()
    assert subscriber.language == "fr" and not subscriber.components.exists()
    # Only the link mailed to Zoé applies it.
    client.get(_link(mail.outbox[0], "/en/status/subscribe/"))
    subscriber.refresh_from_db()
    assert subscriber.language == "en"
    assert list(subscriber.components.all()) == [components["mobile"]]
