from datetime import timedelta
from io import StringIO

import pytest
from django.core.cache import cache
from django.utils import timezone

from status.demo import load_demo_status
from status.models import Incident
from status.services import incident_change
from tests.kb.factories import build_kb_tree
from tests.status.helpers import demo_components, open_incident

pytestmark = pytest.mark.django_db


def test_status_page_lists_demo_components_all_operational(client):
    demo_components()
    html = client.get("/fr/status/").content.decode()
    for name in (
        "Internet et box",
        "Mobile",
        "E-mail",
        "Hébergement web",
        "Noms de domaine",
    ):
        assert name in html
    assert "Tous les services fonctionnent normalement." in html
    en = client.get("/en/status/").content.decode()
    assert "Internet and box" in en and "All services are operating normally." in en


def test_incident_on_status_page_api_feed_and_kb_banner_in_both_languages(
    client, django_capture_on_commit_callbacks
):
    kb = build_kb_tree()
    # A cached anonymous KB page must show the banner as soon as it opens.
    assert client.get(kb.article_fr.url).status_code == 200
    with django_capture_on_commit_callbacks(execute=True):
        incident = open_incident(
            title_fr="Panne internet à Lyon",
            title_en="Internet outage in Lyon",
            message_fr="Une coupure de fibre touche Lyon.",
            message_en="A fibre cut affects Lyon.",
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
            states=dict.fromkeys(demo_components().values(), "")
            | {demo_components()["internet"]: "partial_outage"},
            message_fr="Réparation en cours.",
            message_en="Repair under way.",
        )
    fr = client.get("/fr/status/").content.decode()
    assert "Panne internet à Lyon" in fr
    # Newest update first.
    assert fr.index("Réparation en cours.") < fr.index("Une coupure de fibre")
    assert "Panne partielle" in fr
    en = client.get("/en/status/").content.decode()
    assert "Internet outage in Lyon" in en and "Repair under way." in en

    page = client.get(f"/fr/status/incidents/{incident.pk}/")
    assert page.status_code == 200 and "Réparation en cours." in page.content.decode()

    api = client.get("/api/status?lang=en").json()
    internet = next(c for c in api["components"] if c["id"] == "internet")
    assert internet["state"] == "partial_outage"
    [item] = api["incidents"]
    assert item["title"] == "Internet outage in Lyon"
    assert item["url"].endswith(f"/en/status/incidents/{incident.pk}/")
    assert [u["body_en"] for u in item["updates"]] == [
        "Repair under way.",
        "A fibre cut affects Lyon.",
    ]
    assert client.get("/api/status").json()["incidents"][0]["title"] == (
        "Panne internet à Lyon"
    )

    feed_fr = client.get("/fr/status/feed/")
    assert feed_fr["Content-Type"].startswith("application/atom+xml")
    assert "Panne internet à Lyon" in feed_fr.content.decode()
    assert "Internet outage in Lyon" in client.get("/en/status/feed/").content.decode()

    kb_fr = client.get(kb.article_fr.url).content.decode()
    assert "Panne internet à Lyon" in kb_fr
    assert f'data-status-incident="{incident.pk}"' in kb_fr
    assert f'href="/fr/status/incidents/{incident.pk}/"' in kb_fr
    assert "status/banner.js" in kb_fr
    kb_en = client.get(kb.article_en.url).content.decode()
    assert "Internet outage in Lyon" in kb_en
    assert f'href="/en/status/incidents/{incident.pk}/"' in kb_en


def test_missing_translation_shows_the_other_language_with_a_note(client):
    incident = open_incident(title_fr="Messagerie lente", message_fr="On regarde.")
    html = client.get(f"/en/status/incidents/{incident.pk}/").content.decode()
    assert "Messagerie lente" in html and "On regarde." in html
    assert "Not yet translated" in html


def test_resolved_incident_leaves_the_banner_and_shows_its_post_mortem(
    client, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        incident = open_incident()
    assert "Panne internet à Lyon" in client.get("/fr/forum/").content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        incident_change(
            incident=incident,
            author=None,
            kind="incident",
            title_fr=incident.title_fr,
            title_en="",
            status="resolved",
            started_at=incident.started_at,
            states={},
            message_fr="Tout est rétabli.",
            postmortem_fr="Une pelleteuse a coupé la fibre.",
        )
    cache.clear()
    incident.refresh_from_db()
    assert incident.resolved_at is not None and incident.status == "resolved"
    assert "data-status-incident" not in client.get("/fr/forum/").content.decode()
    page = client.get(f"/fr/status/incidents/{incident.pk}/").content.decode()
    assert "Une pelleteuse a coupé la fibre." in page
    status = client.get("/fr/status/").content.decode()
    assert "Derniers 90 jours" in status or "90 derniers jours" in status
    assert f"/fr/status/incidents/{incident.pk}/" in status
    assert client.get("/api/status").json()["incidents"] == []
    assert Incident.objects.count() == 1


def test_demo_loader_is_idempotent_and_fills_the_history(client):
    for _ in range(2):
        load_demo_status(StringIO())
    assert Incident.objects.count() == 1
    html = client.get("/en/status/").content.decode()
    assert "E-mail: messages delivered late" in html
    incident = Incident.objects.get()
    page = client.get(f"/fr/status/incidents/{incident.pk}/").content.decode()
    assert "Post-mortem" in page and "aucun n’a été perdu" in page


def test_maintenance_under_way_says_so_in_the_banner(
    client, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        open_incident(
            kind="maintenance",
            status="in_progress",
            title_fr="Mise à jour des serveurs de messagerie",
            states={demo_components()["email"]: "maintenance"},
        )
    html = client.get("/fr/status/").content.decode()
    assert "Maintenance en cours : Mise à jour des serveurs de messagerie" in html
    assert "En maintenance" in html


def test_planned_maintenance_is_announced_but_not_a_banner(client):
    open_incident(
        kind="maintenance",
        status="scheduled",
        title_fr="Maintenance du réseau mobile",
        started_at=timezone.now() + timedelta(days=2),
        scheduled_end=timezone.now() + timedelta(days=2, hours=2),
        states={demo_components()["mobile"]: "maintenance"},
    )
    html = client.get("/fr/status/").content.decode()
    assert "Maintenance planifiée" in html and "Maintenance du réseau mobile" in html
    assert "data-status-incident" not in html
    assert "Tous les services fonctionnent normalement." in html
    api = client.get("/api/status").json()
    assert api["incidents"] == []
    assert api["planned_maintenance"][0]["title"] == "Maintenance du réseau mobile"
