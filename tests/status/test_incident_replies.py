from datetime import timedelta

import pytest
from django.utils import timezone

from accounts import roles
from social_redirect.models import Mention
from social_redirect.services.mentions import mention_create
from status.models import IncidentMention
from status.services import incident_change, incident_reply_draft
from tests.factories import UserFactory, user_with_role
from tests.status.helpers import demo_components, open_incident

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _lexical(settings):
    settings.SOCIAL_SEMANTIC_MATCHING = False
    # Clicks are written in the request: the test transaction hides the
    # background writer's rows (see tests/social_redirect/test_links.py).
    settings.SOCIAL_CLICKS_ASYNC = False


def _mentions():
    texts = [
        (
            "claire",
            "@EntraideTelecom plus d'internet, la box clignote, inadmissible !!!",
        ),
        ("paul", "@EntraideTelecom my internet connection is down again, terrible"),
        ("lea", "@EntraideTelecom internet coupé depuis une heure, ras le bol"),
        ("marc", "@EntraideTelecom je veux changer mon forfait mobile"),
    ]
    return [
        mention_create(
            source="manual",
            text=text,
            author_handle=handle,
            posted_at=timezone.now() - timedelta(minutes=3),
        )[0]
        for handle, text in texts
    ]


def test_matching_mentions_are_grouped_acknowledged_at_once_and_followed_up(client):
    demo_components()
    incident = open_incident(
        title_fr="Panne internet à Lyon", title_en="Internet outage in Lyon"
    )
    claire, paul, lea, marc = _mentions()
    cm = user_with_role(roles.COMMUNITY_MANAGERS)
    client.force_login(cm)
    dashboard = client.get("/fr/social/").content.decode()
    group = dashboard[dashboard.index(f'id="incident-group-{incident.pk}"') :]
    assert "3 nouvelles mentions correspondent à cet incident." in group

    response = client.post(
        f"/fr/status/incidents/{incident.pk}/acknowledge/", follow=True
    )
    html = response.content.decode()
    assert "3 mentions prises en compte" in html
    for mention in (claire, paul, lea):
        mention.refresh_from_db()
        assert mention.status == Mention.Status.ACKNOWLEDGED
        assert mention.acted_by == cm and mention.response_seconds is not None
    marc.refresh_from_db()
    assert marc.status == Mention.Status.NEW  # about mobile, not this incident

    rows = list(IncidentMention.objects.filter(incident=incident))
    codes = {row.link.code for row in rows}
    assert len(codes) == 3  # one personal link per mention
    for row in rows:
        assert f"/r/{row.link.code}" in html
    paul_row = next(r for r in rows if r.mention == paul)
    redirect = client.get(
        f"/r/{paul_row.link.code}", headers={"user-agent": "Mozilla/5.0 (iPhone)"}
    )
    assert redirect.status_code == 302
    assert redirect["Location"].startswith(f"/en/status/incidents/{incident.pk}/")
    assert client.get(redirect["Location"]).status_code == 200
    paul_row.link.refresh_from_db()
    assert paul_row.link.clicks == 1  # the funnel counts it as usual
    assert "Internet outage in Lyon" in html and "next update around" in html
    assert "Panne internet à Lyon" in html and "prochain point vers" in html
    automatic = incident_reply_draft(
        incident=incident, mention=claire, link=rows[0].link, automatic=True
    )
    assert automatic.startswith("[Réponse automatique]")

    incident_change(
        incident=incident,
        author=cm,
        kind="incident",
        title_fr=incident.title_fr,
        title_en=incident.title_en,
        status="resolved",
        started_at=incident.started_at,
        states={},
        message_fr="Tout est rétabli.",
    )
    dashboard = client.get("/fr/social/").content.decode()
    assert "3 relances à publier" in dashboard
    followups = client.get(f"/fr/status/incidents/{incident.pk}/replies/")
    text = followups.content.decode()
    assert "Bonne nouvelle" in text and "Good news" in text


def test_only_managers_acknowledge_a_group(client):
    demo_components()
    incident = open_incident()
    _mentions()
    url = f"/fr/status/incidents/{incident.pk}/acknowledge/"
    client.force_login(UserFactory())
    assert client.post(url).status_code == 403
    assert client.get(f"/fr/status/incidents/{incident.pk}/replies/").status_code == 403
    assert not IncidentMention.objects.exists()
    assert not Mention.objects.exclude(status=Mention.Status.NEW).exists()
