import pytest

from accounts import roles
from status.models import Incident, SpikeAlert
from tests.factories import UserFactory, user_with_role
from tests.status.helpers import demo_components, open_incident

pytestmark = pytest.mark.django_db


def _form(**overrides):
    data = {
        "kind": "incident",
        "title_fr": "Panne de la messagerie",
        "title_en": "",
        "status": "investigating",
        "started_at": "2026-11-29T20:00",
        "message_fr": "Les mails arrivent en retard.",
        "state_email": "degraded",
    }
    data.update(overrides)
    return data


def test_only_staff_and_community_managers_create_or_update_incidents(client):
    demo_components()
    incident = open_incident()
    create = "/fr/status/incidents/new/"
    edit = f"/fr/status/incidents/{incident.pk}/edit/"
    for url in (create, edit):
        response = client.get(url)
        assert response.status_code == 302 and "login" in response["Location"]
        assert client.post(url, _form()).status_code == 302
    for user in (
        UserFactory(),
        user_with_role(roles.SUPPORT_AGENTS),
        user_with_role(roles.MODERATORS),
    ):
        client.force_login(user)
        for url in (create, edit):
            assert client.get(url).status_code == 403
            assert client.post(url, _form()).status_code == 403
    assert Incident.objects.count() == 1
    assert not Incident.objects.filter(title_fr="Panne de la messagerie").exists()
    for user in (user_with_role(roles.COMMUNITY_MANAGERS), user_with_role(roles.STAFF)):
        client.force_login(user)
        assert client.get(create).status_code == 200
        response = client.post(create, _form())
        assert response.status_code == 302
        assert client.get(edit).status_code == 200
    assert Incident.objects.filter(title_fr="Panne de la messagerie").count() == 2


def test_community_manager_publishes_then_updates_then_resolves(client):
    demo_components()
    client.force_login(user_with_role(roles.COMMUNITY_MANAGERS))
    response = client.post("/fr/status/incidents/new/", _form(), follow=True)
    incident = Incident.objects.get()
    assert response.redirect_chain[-1][0] == f"/fr/status/incidents/{incident.pk}/"
    html = response.content.decode()
    assert "Incident publié." in html and "Les mails arrivent en retard." in html
    assert incident.affected.get().component.slug == "email"
    edit = f"/fr/status/incidents/{incident.pk}/edit/"
    client.post(
        edit,
        _form(
            title_en="E-mail outage",
            status="monitoring",
            message_fr="Correctif déployé.",
            message_en="Fix deployed.",
        ),
    )
    client.post(
        edit,
        _form(
            title_en="E-mail outage",
            status="resolved",
            message_fr="",
            postmortem_fr="Un disque plein.",
            postmortem_en="A full disk.",
        ),
    )
    incident.refresh_from_db()
    assert incident.resolved_at is not None
    assert list(incident.updates.values_list("status", flat=True)) == [
        "resolved",
        "monitoring",
        "investigating",
    ]
    en = client.get(f"/en/status/incidents/{incident.pk}/").content.decode()
    assert "E-mail outage" in en and "A full disk." in en and "Fix deployed." in en


def test_bad_form_keeps_what_was_typed_and_says_why(client):
    demo_components()
    client.force_login(user_with_role(roles.COMMUNITY_MANAGERS))
    response = client.post(
        "/fr/status/incidents/new/",
        _form(title_fr="", message_fr="Texte gardé", started_at="pas une date"),
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert "Donnez un titre en français ou en anglais." in html
    assert "Texte gardé" in html
    assert not Incident.objects.exists()


def test_alert_link_opens_a_prefilled_incident_form(client):
    components = demo_components()
    alert = SpikeAlert.objects.create(
        topic="component:internet",
        window_minutes=10,
        count=9,
        expected=0.4,
        p_value=1e-9,
        window_end="2026-11-29T20:00:00Z",
        component=components["internet"],
    )
    client.force_login(user_with_role(roles.COMMUNITY_MANAGERS))
    html = client.get(f"/fr/status/incidents/new/?alert={alert.pk}").content.decode()
    assert "Perturbation : Internet et box" in html
    assert 'value="partial_outage" selected' in html
    response = client.post(
        f"/fr/status/incidents/new/?alert={alert.pk}",
        _form(title_fr="Perturbation : Internet et box", state_internet="major_outage"),
    )
    assert response.status_code == 302
    alert.refresh_from_db()
    assert alert.incident is not None
